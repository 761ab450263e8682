/*
 * ARMv7-A program status bits and assembly helpers. func/endfunc give
 * every routine a type, a size and call-frame information, so the map
 * file is readable and gdb can unwind through it.
 */
#ifndef ARCH_ARMV7A_ASM_H
#define ARCH_ARMV7A_ASM_H

#define PSR_MODE_MASK   0x1f
#define PSR_MODE_USR    0x10
#define PSR_MODE_FIQ    0x11
#define PSR_MODE_IRQ    0x12
#define PSR_MODE_SVC    0x13
#define PSR_MODE_ABT    0x17
#define PSR_MODE_UND    0x1b
#define PSR_MODE_SYS    0x1f
#define PSR_T           (1 << 5)    /* Thumb state */
#define PSR_F           (1 << 6)    /* FIQs masked */
#define PSR_I           (1 << 7)    /* IRQs masked */

#define SEMIHOST_SVC    0x123456    /* ARM-state semihosting call */

#ifdef __ASSEMBLER__
    .syntax unified
    .arm
    /* Where gdb reads it from; the linker keeps no .eh_frame. */
    .cfi_sections .debug_frame

.macro func name
    .global \name
    .type \name, %function
    .balign 4
\name:
    .cfi_startproc
.endm

.macro endfunc name
    .cfi_endproc
    .size \name, . - \name
.endm
#endif

#endif
