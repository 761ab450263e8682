/*
 * void mmu_enable(void);
 *
 * Turns the MMU on with a flat map of 1 MiB sections: RAM (__ram_start to
 * __ram_end, from the linker script) as Normal memory, everything else as
 * Device memory that cannot be executed. Caches stay off.
 *
 * Why at all: with the MMU off every data access is Strongly-ordered, and
 * on real ARMv7 hardware an unaligned access to Strongly-ordered memory
 * faults whatever SCTLR.A says. newlib (built for unaligned access) makes
 * such accesses from its first printf. QEMU does not model that fault, so
 * only hardware would show it. Called from reset, before any C code;
 * touches r0-r3 and r12 only.
 */
#include "arch/asm.h"

#define SECTION                 0x2         /* short-descriptor section entry */
#define SECTION_AP_FULL         (3 << 10)   /* read/write at every level */
#define SECTION_NORMAL_NC       (1 << 12)   /* TEX=001 C=0 B=0: Normal, non-cacheable */
#define SECTION_DEVICE          (1 << 2)    /* TEX=000 C=0 B=1: shareable Device */
#define SECTION_XN              (1 << 4)    /* never executable */
#define SECTION_SIZE            0x100000
#define DACR_DOMAIN0_CLIENT     1           /* domain 0: permissions checked */
#define SCTLR_M                 (1 << 0)
#define SCTLR_A                 (1 << 1)

    .section .bss.page_table, "aw", %nobits
    .balign 16384                           /* TTBR0 wants the table 16 KiB aligned */
l1_table:
    .space  4096 * 4

    .text

func mmu_enable
    ldr     r0, =l1_table
    ldr     r1, =__ram_start
    ldr     r2, =__ram_end
    mov     r3, #0                          /* each section's address */
1:  orr     r12, r3, #SECTION
    orr     r12, r12, #SECTION_AP_FULL
    cmp     r3, r1
    cmphs   r2, r3                          /* hi: __ram_start <= r3 < __ram_end */
    orrhi   r12, r12, #SECTION_NORMAL_NC
    orrls   r12, r12, #(SECTION_DEVICE | SECTION_XN)
    str     r12, [r0], #4
    adds    r3, r3, #SECTION_SIZE
    bne     1b                              /* until the address wraps to 0 */

    mov     r1, #DACR_DOMAIN0_CLIENT
    mcr     p15, 0, r1, c3, c0, 0           /* DACR */
    mov     r1, #0
    mcr     p15, 0, r1, c2, c0, 2           /* TTBCR: TTBR0 translates everything */
    ldr     r0, =l1_table
    mcr     p15, 0, r0, c2, c0, 0           /* TTBR0 */
    mcr     p15, 0, r1, c8, c7, 0           /* TLBIALL */
    dsb
    isb
    mrc     p15, 0, r1, c1, c0, 0
    orr     r1, r1, #SCTLR_M
    bic     r1, r1, #SCTLR_A                /* unaligned access allowed on Normal memory */
    mcr     p15, 0, r1, c1, c0, 0
    isb
    bx      lr
endfunc mmu_enable
