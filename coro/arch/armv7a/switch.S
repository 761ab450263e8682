/*
 * The only code that moves between stacks.
 *
 * A switch saves on the outgoing stack what the AAPCS says a callee must
 * preserve (r4-r11, lr, d8-d15; r3 rides along to keep sp 8-byte aligned),
 * checks the outgoing stack's guard word, makes the incoming coroutine
 * current (TPIDRPRW), swaps sp and restores the same set from the incoming
 * stack. With more than one CPU it also hands the outgoing coroutine over:
 * its on_cpu goes to 0 only after its sp is saved, and whoever resumes it
 * on another CPU waits for that (co_wait_switched_off(), coro/internal.h).
 * Each routine is out of line on purpose: the compiler must see every
 * switch as an opaque call, so nothing it cached in a register, such as
 * the current coroutine, survives one.
 *
 * co_enter_at() and co_yield_at() are the hot paths, written here whole so
 * that a round trip costs a few dozen instructions; their misuse checks
 * hand over to C (coro/coro.c) to report.
 */
#include "arch/asm.h"
#include "coro/co_types.h"

/*
 * SWITCH from, to, guard: registers holding the two struct co pointers and
 * the address of from's guard word (which it overwrites). The guard word at the
 * outgoing stack's limit holds the negated address of its coroutine: a
 * value no pointer or small integer on our stacks takes, and one that is
 * checked with a single cmn.
 */
.macro SWITCH from, to, guard
    push    {r3-r11, lr}
    vpush   {d8-d15}
    ldr     \guard, [\guard]
    cmn     \guard, \from
    bne     1f
    mcr     p15, 0, \to, c13, c0, 4         /* TPIDRPRW: the current coroutine */
#if CONFIG_CPUS > 1
    mrc     p15, 0, \guard, c13, c0, 3      /* TPIDRURO: this CPU's struct co_cpu */
    ldr     \guard, [\guard, #CO_CPU_OFFSET_INDEX]
    strb    \guard, [\to, #CO_OFFSET_CPU]   /* for gdb: where it runs */
    mov     \guard, #1
    str     \guard, [\to, #CO_OFFSET_ON_CPU]
    str     sp, [\from, #CO_OFFSET_SAVED_SP]
    dmb     ish                             /* sp saved before the stack is let go */
    mov     \guard, #0
    str     \guard, [\from, #CO_OFFSET_ON_CPU]
#else
    str     sp, [\from, #CO_OFFSET_SAVED_SP]
#endif
    ldr     sp, [\to, #CO_OFFSET_SAVED_SP]
    vpop    {d8-d15}
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
 * Enterable means suspended (state 0) and without a caller. With several
 * CPUs the test and the claim are one step under the scheduler's lock
 * (co_enter_claim(), coro/sched.c), which co_wake() and the main loop
 * change both under: two CPUs entering one coroutine at once, or one
 * entering it while another wakes it, cannot both get in.
 */
func co_enter_at
#if CONFIG_CPUS > 1
    push    {r0, lr}
    bl      co_enter_claim                  /* (co, site): refuses, or makes co ours */
    pop     {r0, lr}
    /* Suspended by a yield on another CPU whose switch may not have saved
     * its sp yet: a few instructions at most. */
1:  ldr     ip, [r0, #CO_OFFSET_ON_CPU]
    cmp     ip, #0
    bne     1b
    dmb     ish
    mrc     p15, 0, r2, c13, c0, 4          /* the caller, as co_enter_claim() recorded */
#else
    ldrd    r2, r3, [r0, #CO_OFFSET_CALLER] /* r2 = caller, r3 = switches */
    ldr     ip, [r0, #CO_OFFSET_STATE]
    orrs    ip, ip, r2
    bne     co_enter_refused                /* (co, site): reports, does not return */
    mrc     p15, 0, r2, c13, c0, 4          /* the caller: whoever is current */
    add     r3, r3, #1
    strd    r2, r3, [r0, #CO_OFFSET_CALLER]
#endif
    ldr     ip, [r2, #CO_OFFSET_STACK_GUARD]
    SWITCH  r2, r0, ip
endfunc co_enter_at

/* void co_yield_at(const struct co_site *site); back to the caller. */
func co_yield_at
    mrc     p15, 0, ip, c13, c0, 4          /* self */
    ldrd    r2, r3, [ip, #CO_OFFSET_STACK_GUARD] /* r2 = guard, r3 = caller */
    cmp     r3, #0
    beq     co_yield_refused                /* (site): reports, does not return */
    mov     r1, #0
    str     r1, [ip, #CO_OFFSET_CALLER]
    SWITCH  ip, r3, r2
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
