/*
 * Exception vectors and the entry stubs of every exception but reset.
 *
 * Faults (undefined instruction, prefetch/data abort, stray SVC and FIQ,
 * the reserved vector) all end in fault_report(), which prints the register
 * file and stops the run with a non-zero status: there is no recovery and
 * never a silent hang. The IRQ entry is the only one that returns.
 */
#include "arch/asm.h"
#include "boot/armv7a/fault.h"

    .section .vectors, "ax"
    .balign 32                      /* VBAR ignores the low five bits */
    .global vectors
vectors:
    b       _start                  /* reset */
    b       undef_entry
    b       svc_entry
    b       prefetch_abort_entry
    b       data_abort_entry
    b       reserved_entry
    b       irq_entry
    b       fiq_entry

    .text

/*
 * FAULT_ENTRY name, kind, lr_adjust: push {r0-r12, pc} where pc is the
 * address of the faulting instruction, then join fault_common with the kind
 * in r0. lr_adjust is how far the exception's lr is past that instruction
 * in ARM state.
 */
.macro FAULT_ENTRY name, kind, lr_adjust
func \name
    sub     lr, lr, #\lr_adjust
    push    {r0-r12, lr}
    mov     r0, #\kind
    b       fault_common
endfunc \name
.endm

FAULT_ENTRY undef_entry,          FAULT_UNDEFINED,      4
FAULT_ENTRY svc_fault,            FAULT_SVC,            4
FAULT_ENTRY prefetch_abort_entry, FAULT_PREFETCH_ABORT, 4
FAULT_ENTRY data_abort_entry,     FAULT_DATA_ABORT,     8
FAULT_ENTRY reserved_entry,       FAULT_RESERVED,       4
FAULT_ENTRY fiq_entry,            FAULT_FIQ,            4

/*
 * SVC: the kernel makes none but semihosting's "svc 0x123456" (ARM state),
 * which an emulator or debugger normally intercepts before it gets here.
 * One that arrives found nobody listening: it returns -1, as semihosting
 * does for a request it cannot serve, so kernel_exit() can park the CPU.
 * Any other SVC is a fault.
 */
func svc_entry
    push    {r0, r1}
    mrs     r0, spsr
    tst     r0, #PSR_T
    ldreq   r0, [lr, #-4]
    biceq   r0, r0, #0xff000000
    movweq  r1, #(SEMIHOST_SVC & 0xffff)
    movteq  r1, #(SEMIHOST_SVC >> 16)
    cmpeq   r0, r1
    pop     {r0, r1}
    bne     svc_fault
    mvn     r0, #0
    movs    pc, lr                  /* back after the svc, CPSR from SPSR */
endfunc svc_entry

/*
 * r0 = kind, sp -> {r0-r12, pc}. Completes the frame with the interrupted
 * mode's SPSR, sp and lr (read by briefly entering that mode, System mode
 * standing in for User), then calls fault_report(kind, frame), which does
 * not return.
 */
func fault_common
    mrs     r1, spsr
    mrs     r2, cpsr
    and     r3, r1, #PSR_MODE_MASK
    cmp     r3, #PSR_MODE_USR
    moveq   r3, #PSR_MODE_SYS
    orr     r3, r3, #(PSR_I | PSR_F)
    msr     cpsr_c, r3
    mov     r4, sp
    mov     r5, lr
    msr     cpsr_c, r2
    push    {r1, r4, r5}            /* frame: spsr, sp, lr, r0-r12, pc */
    mov     r1, sp
    bic     sp, sp, #7              /* the AAPCS wants 8-byte alignment at a call */
    bl      fault_report
    b       .                       /* not reached */
endfunc fault_common

/*
 * IRQ: runs the handler on the IRQ stack with IRQs masked and returns to
 * whatever was interrupted. Handlers are C code that may use the FPU (an
 * optimising compiler vectorises), so the caller-saved VFP state is saved
 * here too; the callee-saved half is the handler's to keep.
 *
 * While the handler runs, the current coroutine (TPIDRPRW) is this CPU's
 * interrupt stand-in, a coroutine that the coroutine API refuses: a
 * handler that tries to enter, yield or block stops the kernel with a
 * message instead of switching stacks under the interrupted code. The
 * stand-in is the first member of the CPU's struct co_cpu (coro/cpu.h),
 * whose address TPIDRURO holds; an image without coro/ has 0 there.
 */

func irq_entry
    sub     lr, lr, #4
    push    {r0-r5, r12, lr}        /* 32 bytes: sp stays 8-byte aligned */
    vmrs    r4, fpscr               /* r4 and r5 are callee-saved: they survive the call */
    mrc     p15, 0, r5, c13, c0, 4
    mrc     p15, 0, r0, c13, c0, 3          /* TPIDRURO: this CPU's stand-in */
    mcr     p15, 0, r0, c13, c0, 4
    vpush   {d0-d7}
    vpush   {d16-d31}
    bl      irq_dispatch
    vpop    {d16-d31}
    vpop    {d0-d7}
    mcr     p15, 0, r5, c13, c0, 4
    vmsr    fpscr, r4
    ldm     sp!, {r0-r5, r12, pc}^  /* ^: restores CPSR from SPSR */
endfunc irq_entry
