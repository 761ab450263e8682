/*
 * The foundation: the C runtime that reset set up, the console, the
 * semihosting command line and exit status, the FPU.
 *
 * runner: args='alpha beta'
 * runner: name=exit-status args='exit 7' status=7 expect='^exiting with 7$'
 */
#include "boot/kernel.h"
#include "tests/qemu/lib/ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int initialised_data = 42;
static int zeroed_bss;
static int constructor_ran;

__attribute__((constructor)) static void mark_constructor(void)
{
    constructor_ran = 1;
}

/* volatile: computed at run time on the FPU, not folded by the compiler. */
static volatile double fpu_operand = 2.0;

int main(void)
{
    const char *cmdline = kernel_cmdline();

    if (strncmp(cmdline, "exit ", 5) == 0) {
        int status = atoi(cmdline + 5);
        printf("exiting with %d\n", status);
        return status;
    }

    kt_plan(6);
    KT_EXPECT_EQ(initialised_data, 42, ".data is copied");
    KT_EXPECT_EQ(zeroed_bss, 0, ".bss is zeroed");
    KT_EXPECT_EQ(constructor_ran, 1, "constructors ran before main");
    KT_EXPECT(strcmp(cmdline, "alpha beta") == 0, "command line from -append");

    char line[64];
    snprintf(line, sizeof(line), "%d %s %#x %5lu|%-3c|", -12, "str", 255u, 42ul, 'z');
    KT_EXPECT(strcmp(line, "-12 str 0xff    42|z  |") == 0, "newlib formatting");

    double root = __builtin_sqrt(fpu_operand);
    KT_EXPECT(root > 1.41421 && root < 1.41422, "VFP is enabled");
    return kt_done();
}
