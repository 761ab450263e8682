/*
 * Reset: QEMU's -kernel (or a boot loader) jumps here in SVC mode, MMU and
 * caches off. We point VBAR at our vectors, give each exception mode its own
 * stack, copy .data, zero .bss, turn on the MMU with a flat map, turn on
 * VFP/NEON and call kernel_start(), which never returns.
 */
#include "boot/asm.h"

    .section .text.boot, "ax"

func _start
    cpsid   if
    mov     r0, #0                  /* no current coroutine yet (TPIDRPRW) */
    mcr     p15, 0, r0, c13, c0, 4

    /* Vectors at VBAR rather than 0 or 0xffff0000: SCTLR.V must be clear. */
    ldr     r0, =vectors
    mcr     p15, 0, r0, c12, c0, 0
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #(1 << 13)
    mcr     p15, 0, r0, c1, c0, 0
    isb

    /* One stack per exception mode; FIQ is only ever a fatal report and
     * shares the abort stack. */
    cps     #PSR_MODE_UND
    ldr     sp, =__und_stack_top
    cps     #PSR_MODE_ABT
    ldr     sp, =__abt_stack_top
    cps     #PSR_MODE_FIQ
    ldr     sp, =__abt_stack_top
    cps     #PSR_MODE_IRQ
    ldr     sp, =__irq_stack_top
    cps     #PSR_MODE_SVC
    ldr     sp, =__svc_stack_top

    /* .data from its load address (a no-op copy in a RAM image). */
    ldr     r0, =__data_start
    ldr     r1, =__data_end
    ldr     r2, =__data_load
1:  cmp     r0, r1
    ldrlo   r3, [r2], #4
    strlo   r3, [r0], #4
    blo     1b

    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    mov     r2, #0
2:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     2b

    bl      mmu_enable              /* before any C: see boot/mmu.S */

    /* Full access to CP10/CP11 (VFP and NEON), then switch the unit on. */
    mrc     p15, 0, r0, c1, c0, 2
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #(1 << 30)          /* FPEXC.EN */
    vmsr    fpexc, r0

    /* The outermost frame: stop gdb's backtrace here. */
    .cfi_undefined lr
    mov     lr, #0
    mov     fp, #0
    bl      kernel_start
    b       .
endfunc _start
