/*
 * Reset: the core loads MSP and the reset vector from the table at 0 (the
 * image's first word, boot/armv7m/vectors.S) and starts here in thread
 * mode, privileged, on MSP. We turn the FPU on before any code that could
 * touch it (GCC may use VFP registers anywhere in C), enable the
 * configurable fault handlers, copy .data from its load address, zero
 * .bss, move thread mode to PSP on the main context's stack (handlers keep
 * MSP, the IRQ stack) and call kernel_start(), which never returns.
 */
#include "arch/asm.h"

#define SCB_VTOR        0xe000ed08
#define SCB_SHCSR       0xe000ed24
#define SCB_CPACR       0xe000ed88
#define CPACR_CP10_CP11 (0xf << 20)         /* full access to the FPU */
#define SHCSR_FAULTS    (7 << 16)           /* MemManage, BusFault, UsageFault handlers */

    .section .text.boot, "ax"

func _start
    cpsid   i
    ldr     r0, =__irq_stack_top    /* again: a debugger may enter here */
    msr     msp, r0
    ldr     r1, =SCB_VTOR
    ldr     r0, =vectors
    str     r0, [r1]

    ldr     r1, =SCB_CPACR
    ldr     r0, [r1]
    orr     r0, r0, #CPACR_CP10_CP11
    str     r0, [r1]
    ldr     r1, =SCB_SHCSR
    ldr     r0, [r1]
    orr     r0, r0, #SHCSR_FAULTS
    str     r0, [r1]
    dsb
    isb

    ldr     r0, =__data_start       /* .data from its load address */
    ldr     r1, =__data_end
    ldr     r2, =__data_load
1:  cmp     r0, r1
    itt     lo
    ldrlo   r3, [r2], #4
    strlo   r3, [r0], #4
    blo     1b

    ldr     r0, =__bss_start
    ldr     r1, =__bss_end
    movs    r2, #0
2:  cmp     r0, r1
    itt     lo
    strlo   r2, [r0], #4
    blo     2b

    ldr     r0, =__svc_stack_top    /* the main context's stack */
    msr     psp, r0
    movs    r0, #CONTROL_SPSEL
    msr     control, r0
    isb

    /* The outermost frame: stop gdb's backtrace here. */
    .cfi_undefined lr
    movs    r0, #0
    mov     lr, r0
    bl      kernel_start
    b       .
endfunc _start
