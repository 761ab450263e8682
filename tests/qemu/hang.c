/*
 * An image that never ends: the runner must fail it as a timeout and show
 * its last console lines.
 *
 * runner: name=runner-reports-timeout timeout=3 meta='not ok # timed out after 3s'
 * runner: name=runner-shows-console timeout=3 meta='spinning forever'
 */
#include "arch/sysreg.h"

#include <stdio.h>

int main(void)
{
    printf("spinning forever\n");
    for (;;) {
        compiler_barrier();
    }
}
