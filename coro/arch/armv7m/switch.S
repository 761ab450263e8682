/*
 * The only code that moves between stacks, in Thumb-2 for ARMv7-M.
 *
 * A switch saves on the outgoing stack what the AAPCS says a callee must
 * preserve (r4-r11, lr, and s16-s31 when the image is built for the FPU;
 * r3 rides along to keep sp 8-byte aligned), checks the outgoing stack's
 * guard word, makes the incoming coroutine current (the thread ID word,
 * arch/sysreg.h), moves the MPU's thread-stack guard region to the guard
 * below the incoming stack (arch/mpu.h), swaps sp and restores the same
 * set from the incoming stack. Switches run in thread mode on PSP; an interrupt handler, on MSP,
 * never switches (the coroutine API refuses it). Each routine is out of
 * line on purpose: the compiler must see every switch as an opaque call,
 * so nothing it cached in a register, such as the current coroutine,
 * survives one.
 *
 * co_enter_at() and co_yield_at() are the hot paths, written here whole so
 * that a round trip costs a few dozen instructions; their misuse checks
 * hand over to C (coro/coro.c) to report.
 */
#include "arch/asm.h"
#include "arch/mpu.h"
#include "coro/co_types.h"

#ifdef __ARM_FP
#define PUSH_FP     vpush   {s16-s31}
#define POP_FP      vpop    {s16-s31}
#else
#define PUSH_FP
#define POP_FP
#endif

/*
 * SWITCH from, to, guard: registers among r0-r2 and ip holding the two
 * struct co pointers and the address of from's guard word (which it
 * overwrites). The guard word at the outgoing stack's limit holds the
 * negated address of its coroutine: a value no pointer or small integer on
 * our stacks takes, and one that is checked with a single cmn. Once the
 * callee-saved registers are on the stack, r4 and r5 are free.
 *
 * The guard region moves with one store: the base of the incoming guard,
 * VALID and the region number, written to RBAR (the region's size and
 * no-access attributes never change). The dsb completes the write and the
 * isb makes the instructions after it see the new map, before the
 * incoming coroutine's code runs.
 */
.macro SWITCH from, to, guard
    push    {r3-r11, lr}
    PUSH_FP
    ldr     \guard, [\guard]
    cmn     \guard, \from
    bne     1f
    ldr     r4, =thread_id_words
    str     \to, [r4]                       /* the current coroutine */
    ldr     r4, [\to, #CO_OFFSET_STACK_GUARD]
    subw    r4, r4, #MPU_THREAD_GUARD_RBAR_OFFSET
    ldr     r5, =MPU_RBAR_ADDRESS
    str     r4, [r5]
    dsb
    isb
    mov     r5, sp
    str     r5, [\from, #CO_OFFSET_SAVED_SP]
    ldr     r5, [\to, #CO_OFFSET_SAVED_SP]
    mov     sp, r5
    POP_FP
    pop     {r3-r11, pc}
1:  mov     r0, \from
    mov     r1, lr                          /* where the switch was called from */
    b       co_stack_overflow               /* does not return */
.endm

    .text

/* void co_arch_switch(struct co *from, struct co *to); for the slow paths. */
func co_arch_switch
    ldr     r2, [r0, #CO_OFFSET_STACK_GUARD]
    SWITCH  r0, r1, r2
endfunc co_arch_switch

/*
 * void co_enter_at(struct co *co, const struct co_site *site);
 * Enterable means suspended (state 0) and without a caller.
 */
func co_enter_at
    ldrd    r2, r3, [r0, #CO_OFFSET_CALLER] /* r2 = caller, r3 = switches */
    ldr     ip, [r0, #CO_OFFSET_STATE]
    orrs    ip, ip, r2
    bne     co_enter_refused                /* (co, site): reports, does not return */
    ldr     r2, =thread_id_words
    ldr     r2, [r2]                        /* the caller: whoever is current */
    adds    r3, r3, #1
    strd    r2, r3, [r0, #CO_OFFSET_CALLER]
    ldr     ip, [r2, #CO_OFFSET_STACK_GUARD]
    SWITCH  r2, r0, ip
endfunc co_enter_at

/* void co_yield_at(const struct co_site *site); back to the caller. */
func co_yield_at
    ldr     ip, =thread_id_words
    ldr     ip, [ip]                        /* self */
    ldrd    r2, r3, [ip, #CO_OFFSET_STACK_GUARD] /* r2 = guard, r3 = caller */
    cbz     r3, 2f
    movs    r1, #0
    str     r1, [ip, #CO_OFFSET_CALLER]
    SWITCH  ip, r3, r2
2:  b       co_yield_refused                /* (site): reports, does not return */
endfunc co_yield_at

/*
 * The first instruction of every coroutine: a switch "returns" here with
 * r4 = the coroutine (see co_arch_prepare_stack()). co_entry() never
 * returns. The call-frame info marks this as the outermost frame, so a
 * backtrace of a coroutine ends here cleanly.
 */
func co_arch_trampoline
    .cfi_undefined lr
    mov     r0, r4
    bl      co_entry
    udf     #0
endfunc co_arch_trampoline
