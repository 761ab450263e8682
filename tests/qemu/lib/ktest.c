#include "tests/qemu/lib/ktest.h"

#include <stdarg.h>
#include <stdio.h>

static int planned = -1;
static int ran;
static int failed;

void kt_plan(int n)
{
    planned = n;
    printf("KTAP version 1\n1..%d\n", n + 1);
}

bool kt_result(bool ok, const char *name, const char *file, int line, const char *fmt, ...)
{
    ran++;
    if (ok) {
        printf("ok %d %s\n", ran, name);
        return true;
    }
    failed++;
    printf("not ok %d %s # %s:%d: ", ran, name, file, line);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    return false;
}

void kt_skip(const char *name, const char *why)
{
    ran++;
    printf("ok %d %s # SKIP %s\n", ran, name, why);
}

int kt_done(void)
{
    int all_ran = ran == planned;

    ran++;
    if (all_ran) {
        printf("ok %d all tests ran\n", ran);
    } else {
        failed++;
        printf("not ok %d all tests ran # %d of %d planned tests ran\n", ran, ran - 1, planned);
    }
    printf("# %d failed\n", failed);
    return failed ? 1 : 0;
}
