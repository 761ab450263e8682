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

/* The CPU number, the one rule for it: MPIDR's affinity level 0. start.S
 * picks each CPU's mode stacks by it (cpu_index_read below), the kernel
 * starts and counts CPUs by it and the coroutine core files each one's
 * co_cpus[] slot under it (cpu_index(), arch/cpu.h). */
#define MPIDR_AFF0_MASK 0xff

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

/* reg = this CPU's number (MPIDR_AFF0_MASK above). */
.macro cpu_index_read reg
    mrc     p15, 0, \reg, c0, c0, 5        /* MPIDR */
    and     \reg, \reg, #MPIDR_AFF0_MASK
.endm
#endif

#endif
