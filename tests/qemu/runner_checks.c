/*
 * Images that exit 0 but must still fail: the runner checks the KTAP lines,
 * not only the status. One stops before its last planned test (as an image
 * that crashed into a clean exit would); one reports a failed test and
 * returns 0 all the same.
 *
 * runner: name=runner-requires-all-tests-ran args=stop-early meta='not ok # the image stopped before its last test'
 * runner: name=runner-reads-failed-tests args=ignore-failure meta='not ok # the image reported a failed test'
 */
#include "boot/kernel.h"
#include "tests/qemu/lib/ktest.h"

#include <string.h>

int main(void)
{
    kt_plan(3);
    KT_EXPECT(true, "one");
    if (strcmp(kernel_cmdline(), "ignore-failure") == 0) {
        KT_EXPECT(false, "two fails");
        KT_EXPECT(true, "three");
        kt_done();
        return 0;
    }
    KT_EXPECT(true, "two");
    return 0;
}
