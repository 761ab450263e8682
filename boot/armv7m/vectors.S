/*
 * The vector table and the entry of every exception but reset.
 *
 * Faults (HardFault, MemManage, BusFault, UsageFault) and every exception
 * the kernel never raises (NMI, SVC, DebugMonitor, PendSV, the reserved
 * slots) end in fault_report(), which prints the fault registers,
 * the stacked frame and the running coroutine and stops the run: there is
 * no recovery and never a silent hang. The IRQ entry, of the external
 * interrupts and of SysTick (a board's timer, drivers/system/stm32_timer), is
 * the only one that returns (and a semihosting call nobody serves,
 * which fault_report() answers with -1).
 */
#include "arch/asm.h"

/* External interrupts the table has room for: a Cortex-M4's most. */
#define VECTOR_IRQS     240

    .section .vectors, "a"
    .balign 1024                    /* VTOR: aligned to the table's size, a power of two */
    .global vectors
vectors:
    .word   __irq_stack_top         /* MSP at reset: the handlers' stack */
    .word   _start                  /* 1: reset (the symbol carries the Thumb bit) */
    .rept   13                      /* 2-14: NMI, the faults, SVC, PendSV, reserved */
    .word   fault_entry
    .endr
    .word   irq_entry               /* 15: SysTick, an interrupt like the external ones */
    .rept   VECTOR_IRQS             /* 16 on: external interrupts */
    .word   irq_entry
    .endr

    .text

/*
 * Every fault and unexpected exception. Hands fault_report() the frame
 * the exception stacked (r0-r3, r12, lr, pc, xPSR, on whichever stack was
 * in use: EXC_RETURN says), r4-r11 as they were, and EXC_RETURN; it reads
 * which exception this is from IPSR.
 *
 * Runs on the fault stack (the layout's ABT stack, which ARMv7-M has no
 * other use for): a fault may come from a handler that ran the handler
 * stack into its guard, where not a word more can be pushed. A fault
 * while already on the fault stack (one of the report's own, or a
 * semihosting call it makes that nobody serves) stays where it is, below
 * the frames in use. MSP is put back on return.
 */
func fault_entry
    mrs     ip, msp
    ldr     r0, =__abt_stack_limit
    ldr     r1, =__abt_stack_top
    cmp     ip, r0
    blo     1f
    cmp     ip, r1
    bls     2f
1:  msr     msp, r1
2:  tst     lr, #EXC_RETURN_PSP
    ite     eq
    moveq   r0, ip
    mrsne   r0, psp
    push    {r4-r11}                /* 32 bytes: MSP stays 8-byte aligned */
    mov     r1, sp
    mov     r2, lr
    push    {r2, ip}
    bl      fault_report
    pop     {r2, ip}                /* returned: a semihosting call was answered */
    pop     {r4-r11}
    msr     msp, ip
    bx      r2
endfunc fault_entry

/*
 * IRQ: the hardware has stacked the caller-saved integer state (and, by
 * lazy stacking, the FPU's s0-s15 and FPSCR once a handler uses it) on the
 * interrupted stack; the handler runs on MSP with every other IRQ held off
 * (one priority for all: they never nest).
 *
 * While the handler runs, the current coroutine is this CPU's interrupt
 * stand-in, a coroutine that the coroutine API refuses: a handler that
 * tries to enter, yield or block stops the kernel with a message instead
 * of switching stacks under the interrupted code. The stand-in is the
 * first member of the CPU's struct co_cpu (coro/cpu.h), whose address the
 * second thread ID word holds; an image without coro/ has 0 there.
 */
func irq_entry
    ldr     r2, =thread_id_words
    ldrd    r0, r1, [r2]            /* r0 = current, r1 = this CPU's stand-in */
    push    {r0, lr}
    str     r1, [r2]
    bl      irq_dispatch
    pop     {r0, lr}
    ldr     r2, =thread_id_words
    str     r0, [r2]
    bx      lr
endfunc irq_entry
