/*
 * Reset: QEMU's -kernel (or a boot loader) jumps to _start in SVC mode, MMU
 * and caches off. We point VBAR at our vectors, give each exception mode
 * its own stack (this CPU's, from the linker layout's per-CPU mode stacks),
 * copy .data, zero .bss, turn on VFP/NEON, build the translation table
 * (boot/armv7a/mmu.c), turn on the MMU and caches and call kernel_start(),
 * which never returns.
 *
 * The other CPUs start at secondary_entry (boot/armv7a/cpus.c has the
 * board's starter start them), the same way but for the memory set-up the
 * first CPU has done, and call kernel_cpu_main(). Each CPU finds its
 * number in MPIDR (cpu_index_read, arch/asm.h), nowhere else.
 */
#include "arch/asm.h"

/* MODE_STACK mode, top: enters mode and sets its sp to CPU 0's top plus
 * this CPU's offset (r1). */
.macro MODE_STACK mode, top
    cps     #\mode
    ldr     sp, =\top
    add     sp, sp, r1
.endm

    .section .text.boot, "ax"

func _start
    bl      cpu_early_setup
    ldr     r0, =__data_start       /* .data from its load address (a no-op copy in a RAM image) */
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

    bl      vfp_enable              /* before any C: the compiler may use VFP registers */
    bl      mmu_build_table
    bl      mmu_enable

    /* The outermost frame: stop gdb's backtrace here. */
    .cfi_undefined lr
    mov     lr, #0
    mov     fp, #0
    bl      kernel_start
    b       .
endfunc _start

/* Where a starter (boot/cpu_start.h) starts another CPU: in SVC mode, MMU
 * and caches off, with no argument in any register (a mailbox passes
 * none). */
func secondary_entry
    bl      cpu_early_setup
    bl      vfp_enable
    bl      mmu_enable              /* no memory is read or written before: the caches are off */
    .cfi_undefined lr
    mov     lr, #0
    mov     fp, #0
    bl      kernel_cpu_main
    b       .
endfunc secondary_entry

/*
 * IRQs and FIQs masked, no current coroutine nor per-CPU data yet (the
 * thread ID registers), our vectors, and the mode stacks. Returns in SVC
 * mode; touches r0-r3 only. A CPU the layout has no stacks for stops here.
 */
func cpu_early_setup
    cpsid   if
    mov     r0, #0
    mcr     p15, 0, r0, c13, c0, 4  /* TPIDRPRW */
    mcr     p15, 0, r0, c13, c0, 3  /* TPIDRURO */

    /* Vectors at VBAR rather than 0 or 0xffff0000: SCTLR.V must be clear. */
    ldr     r0, =vectors
    mcr     p15, 0, r0, c12, c0, 0
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #(1 << 13)
    mcr     p15, 0, r0, c1, c0, 0
    isb

    /* One stack per exception mode, this CPU's: CPU n's are n strides past
     * CPU 0's. FIQ is only ever a fatal report and shares the abort stack.
     * lr is banked per mode: SVC's, ours, survives the mode changes. */
    cpu_index_read r1
    ldr     r2, =__mode_stacks_cpus
    cmp     r1, r2
    bhs     no_stacks
    ldr     r2, =__mode_stacks_cpu_stride
    mul     r1, r1, r2                      /* r1: this CPU's offset */
    MODE_STACK PSR_MODE_UND, __und_stack_top
    MODE_STACK PSR_MODE_ABT, __abt_stack_top
    MODE_STACK PSR_MODE_FIQ, __abt_stack_top
    MODE_STACK PSR_MODE_IRQ, __irq_stack_top
    MODE_STACK PSR_MODE_SVC, __svc_stack_top
    bx      lr
endfunc cpu_early_setup

/* Full access to CP10/CP11 (VFP and NEON), then the unit on. */
func vfp_enable
    mrc     p15, 0, r0, c1, c0, 2
    orr     r0, r0, #(0xf << 20)
    mcr     p15, 0, r0, c1, c0, 2
    isb
    mov     r0, #(1 << 30)          /* FPEXC.EN */
    vmsr    fpexc, r0
    bx      lr
endfunc vfp_enable

/* A CPU beyond the layout's count: nothing of ours may run on it. */
func no_stacks
1:  wfi
    b       1b
endfunc no_stacks
