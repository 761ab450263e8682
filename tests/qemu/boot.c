/*
 * The foundation: the C runtime that reset set up, the console, the
 * semihosting command line and exit status, the FPU.
 *
 * runner: args='alpha beta'
 * runner: name=exit-status args='exit 7' status=7 expect='^exiting with 7$'
 */
#include "boot/kernel.h"
#include "tests/qemu/lib/ktest.h"

#include <stdint.h>
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

/* volatile: computed at run time on the FPU, not folded by the compiler;
 * single precision, which every FPU we boot has (a Cortex-M4's has no
 * other). */
static volatile float fpu_operand = 2.0f;

#if __ARM_ARCH_PROFILE == 'A'
#include "arch/sysreg.h"

#define MMU_CHECKS 2
/* The MMU's answer for a privileged read of addr: PAR, after ATS1CPR. */
static uint32_t translate(uintptr_t addr)
{
    write_ats1cpr((uint32_t)addr);
    isb();
    return read_par();
}

#define PAR_FAULT 1u
#define PAR_ADDRESS(par) ((par) & 0xfffff000u)
#else
#define MMU_CHECKS 0   /* M profile: no MMU */
#endif

int main(void)
{
    const char *cmdline = kernel_cmdline();

    if (strncmp(cmdline, "exit ", 5) == 0) {
        int status = atoi(cmdline + 5);
        printf("exiting with %d\n", status);
        return status;
    }

    kt_plan(7 + MMU_CHECKS);
    KT_EXPECT_EQ(initialised_data, 42, ".data is copied");
    KT_EXPECT_EQ(zeroed_bss, 0, ".bss is zeroed");
    KT_EXPECT_EQ(constructor_ran, 1, "constructors ran before main");
    KT_EXPECT(strcmp(cmdline, "alpha beta") == 0, "command line from -append");

    char line[64];
    snprintf(line, sizeof(line), "%d %s %#x %5lu|%-3c|", -12, "str", 255u, 42ul, 'z');
    KT_EXPECT(strcmp(line, "-12 str 0xff    42|z  |") == 0, "newlib formatting");

#if MMU_CHECKS
    /* The MMU is on, with RAM mapped flat: what unaligned accesses need on
     * hardware (QEMU allows them either way). */
    uintptr_t ram = (uintptr_t)&initialised_data & ~(uintptr_t)0xfffu;
    uint32_t par = translate(ram);
    KT_EXPECT((read_sctlr() & SCTLR_M) && !(par & PAR_FAULT) && PAR_ADDRESS(par) == ram,
              "MMU on, RAM mapped to itself");
    /* Caches on, as ldrex/strex need on hardware (RAM's write-back,
     * shareable attributes are the MMU's: QEMU's PAR leaves them out). */
    KT_EXPECT((read_sctlr() & (SCTLR_C | SCTLR_I)) == (SCTLR_C | SCTLR_I), "data and instruction caches on");
#endif
    static uint8_t bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    volatile uint32_t *unaligned = (volatile uint32_t *)(void *)(bytes + 1);
    KT_EXPECT_EQ(*unaligned, 0x05040302u, "an unaligned word load from RAM");

    float root = __builtin_sqrtf(fpu_operand);
    KT_EXPECT(root > 1.41421 && root < 1.41422, "VFP is enabled");
    return kt_done();
}
