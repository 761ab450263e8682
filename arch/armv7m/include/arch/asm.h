/*
 * ARMv7-M program status bits and assembly helpers. func/endfunc give
 * every routine a type, a size and call-frame information, so the map
 * file is readable and gdb can unwind through it; every routine is Thumb
 * (the only state an M-profile core has).
 */
#ifndef ARCH_ARMV7M_ASM_H
#define ARCH_ARMV7M_ASM_H

#define XPSR_EXCEPTION_MASK 0x1ff       /* IPSR: the active exception, 0 in thread mode */
#define XPSR_STACK_ALIGNED  (1 << 9)    /* the frame was pushed below a 4-byte pad */

#define CONTROL_SPSEL       (1 << 1)    /* thread mode runs on PSP, handlers on MSP */

/* EXC_RETURN: what lr holds on exception entry. */
#define EXC_RETURN_PSP      (1 << 2)    /* the frame is on the process stack */
#define EXC_RETURN_NO_FP    (1 << 4)    /* a basic frame: no s0-s15, FPSCR */

#ifdef __ASSEMBLER__
    .syntax unified
    .thumb
    /* Where gdb reads it from; the linker keeps no .eh_frame. */
    .cfi_sections .debug_frame

.macro func name
    .global \name
    .type \name, %function
    .thumb_func
    .balign 4
\name:
    .cfi_startproc
.endm

/* The nop keeps the next routine's first instruction out of this one's
 * debug-info range, which GAS starts from the symbol, Thumb bit and all:
 * a byte late, so one byte past the end. Without it, gdb names a routine
 * that follows another at once after the one before it, as it would a
 * new coroutine's first frame, at the trampoline. */
.macro endfunc name
    .cfi_endproc
    .size \name, . - \name
    nop
.endm
#endif

#endif
