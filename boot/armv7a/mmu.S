/*
 * The flat map of 1 MiB sections every CPU runs with: RAM (__ram_start to
 * __ram_end, from the linker script) as Normal write-back cacheable, inner
 * shareable memory, everything else as Device memory that cannot be
 * executed.
 *
 * Why at all: with the MMU off every data access is Strongly-ordered and
 * uncached. On real ARMv7 hardware an unaligned access to Strongly-ordered
 * memory faults whatever SCTLR.A says (newlib, built for unaligned access,
 * makes such accesses from its first printf), and ldrex/strex are only
 * architecturally guaranteed to work on cacheable shareable memory, which
 * every lock needs once there is more than one CPU. QEMU models neither, so
 * only hardware would show either. Both routines run from reset before any
 * C code and touch r0-r3 and r12 only.
 */
#include "arch/asm.h"

#define SECTION                 0x2         /* short-descriptor section entry */
#define SECTION_AP_FULL         (3 << 10)   /* read/write at every level */
#define SECTION_TEX1            (1 << 12)   /* with C=1 B=1: Normal write-back, write-allocate */
#define SECTION_CB              ((1 << 3) | (1 << 2))
#define SECTION_SHAREABLE       (1 << 16)   /* coherent between the CPUs */
#define SECTION_DEVICE          (1 << 2)    /* TEX=000 C=0 B=1: shareable Device */
#define SECTION_XN              (1 << 4)    /* never executable */
#define SECTION_SIZE            0x100000
#define DACR_DOMAIN0_CLIENT     1           /* domain 0: permissions checked */
/* Table walks through the caches, as the table was written: inner and
 * outer write-back write-allocate (IRGN=01, RGN=01), shareable. */
#define TTBR_WALK_CACHED        ((1 << 6) | (1 << 3) | (1 << 1))
#define SCTLR_M                 (1 << 0)
#define SCTLR_A                 (1 << 1)
#define SCTLR_C                 (1 << 2)    /* data and unified caches */
#define SCTLR_I                 (1 << 12)   /* instruction cache */
#define ACTLR_SMP               (1 << 6)    /* Cortex-A7/A15: take part in coherency */

    .section .bss.page_table, "aw", %nobits
    .balign 16384                           /* TTBR0 wants the table 16 KiB aligned */
l1_table:
    .space  4096 * 4

    .text

/* void mmu_build_table(void): once, by the first CPU, MMU still off. */
func mmu_build_table
    ldr     r0, =l1_table
    ldr     r1, =__ram_start
    ldr     r2, =__ram_end
    mov     r3, #0                          /* each section's address */
1:  orr     r12, r3, #SECTION
    orr     r12, r12, #SECTION_AP_FULL
    cmp     r3, r1
    cmphs   r2, r3                          /* hi: __ram_start <= r3 < __ram_end */
    orrhi   r12, r12, #SECTION_TEX1
    orrhi   r12, r12, #SECTION_CB
    orrhi   r12, r12, #SECTION_SHAREABLE
    orrls   r12, r12, #(SECTION_DEVICE | SECTION_XN)
    str     r12, [r0], #4
    adds    r3, r3, #SECTION_SIZE
    bne     1b                              /* until the address wraps to 0 */
    dsb                                     /* the table is in memory before a walk */
    bx      lr
endfunc mmu_build_table

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
    ldr     r0, =l1_table
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
