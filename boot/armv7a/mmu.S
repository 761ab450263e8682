/*
 * Turns on the MMU and caches with the table boot/armv7a/mmu.c built.
 *
 * Why at all: with the MMU off every data access is Strongly-ordered and
 * uncached. On real ARMv7 hardware an unaligned access to Strongly-ordered
 * memory faults whatever SCTLR.A says (newlib, built for unaligned access,
 * makes such accesses from its first printf), and ldrex/strex are only
 * architecturally guaranteed to work on cacheable shareable memory, which
 * every lock needs once there is more than one CPU. QEMU models neither, so
 * only hardware would show either. And the table's permissions are what
 * turns an overflow, a NULL pointer or a write to code into a fault.
 * Touches r0-r1 only.
 */
#include "arch/asm.h"
#include "arch/sysreg.h"

#define DACR_DOMAIN0_CLIENT     1           /* domain 0: permissions checked */
/* Table walks through the caches, as the table was written: inner and
 * outer write-back write-allocate (IRGN=01, RGN=01), shareable. */
#define TTBR_WALK_CACHED        ((1 << 6) | (1 << 3) | (1 << 1))
#define ACTLR_SMP               (1 << 6)    /* Cortex-A7/A15: take part in coherency */

    .text

/*
 * void mmu_enable(void): on every CPU, with the table built. The caches
 * of a Cortex-A7/A15 come out of reset invalidated by the hardware, so
 * they are switched on as they are.
 */
func mmu_enable
    mrc     p15, 0, r1, c1, c0, 1           /* ACTLR.SMP before the caches */
    orr     r1, r1, #ACTLR_SMP
    mcr     p15, 0, r1, c1, c0, 1
    isb
    mov     r1, #DACR_DOMAIN0_CLIENT
    mcr     p15, 0, r1, c3, c0, 0           /* DACR */
    mov     r1, #0
    mcr     p15, 0, r1, c2, c0, 2           /* TTBCR: TTBR0 translates everything */
    ldr     r0, =mmu_l1_table
    orr     r0, r0, #TTBR_WALK_CACHED
    mcr     p15, 0, r0, c2, c0, 0           /* TTBR0 */
    mcr     p15, 0, r1, c8, c7, 0           /* TLBIALL */
    dsb
    isb
    mrc     p15, 0, r1, c1, c0, 0
    orr     r1, r1, #(SCTLR_M | SCTLR_C)
    orr     r1, r1, #SCTLR_I
    bic     r1, r1, #SCTLR_A                /* unaligned access allowed on Normal memory */
    mcr     p15, 0, r1, c1, c0, 0
    isb
    bx      lr
endfunc mmu_enable
