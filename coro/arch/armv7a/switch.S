/*
 * void co_arch_switch(struct co *from, struct co *to);
 *
 * Saves on from's stack what the AAPCS says a callee must preserve (r4-r11,
 * lr and d8-d15), stores sp in from->saved_sp, loads to->saved_sp, restores
 * the same set from to's stack and returns into to. r3 rides along only to
 * keep sp 8-byte aligned. The caller has already made `to` current: this
 * routine touches nothing but registers and the two stacks.
 *
 * Out of line on purpose: the compiler must treat every switch as an opaque
 * call, so nothing it cached in a register (such as the current coroutine)
 * survives across one.
 */
#include "boot/asm.h"

    .text

func co_arch_switch
    push    {r3-r11, lr}
    vpush   {d8-d15}
    str     sp, [r0]                /* from->saved_sp */
    ldr     sp, [r1]                /* to->saved_sp */
    vpop    {d8-d15}
    pop     {r3-r11, pc}
endfunc co_arch_switch

/*
 * The first instruction of every coroutine: co_arch_switch() "returns" here
 * with r4 = the coroutine (see co_arch_prepare_stack()). co_entry() never
 * returns. The call-frame info marks this as the outermost frame, so a
 * backtrace of a coroutine ends here cleanly.
 */
func co_arch_trampoline
    .cfi_undefined lr
    mov     r0, r4
    bl      co_entry
    udf     #0
endfunc co_arch_trampoline
