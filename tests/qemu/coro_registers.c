/*
 * Switch integrity, after FreeRTOS's RegTest: coroutines fill r4-r11 and
 * d8-d15 with their own values, switch away, let others (and the main
 * context) clobber every register the AAPCS allows, and check theirs came
 * back; the main context does the same around its side of each switch.
 * Both kinds of switch: co_enter() and co_yield() (the hand-written
 * co_enter_at and co_yield_at of switch.S), and a blocking wait on a
 * CoQueue that the main loop ends (co_wait_end and co_run_ready, through
 * co_arch_switch).
 */
#include "coro/coro.h"
#include "coro/queue.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/switch_registers.h"

#include <stdint.h>

#define CHECKERS 3
#define ROUNDS 2000

CO_DEFINE_ARRAY(checkers, CHECKERS, 2048);

/* Everything a callee may clobber, and the callee-saved ones too (saved
 * and restored by the compiler around this asm); not the frame pointer at
 * -O0 (r11 in ARM state, r7 in Thumb). */
static void clobber_everything(uint32_t value)
{
#if __ARM_ARCH_PROFILE == 'M'
    /* Single-precision FPU: d0-d15 (s0-s31) are all there is. */
    __asm__ volatile("mov r4, %0\n\tmov r5, %0\n\tmov r6, %0\n\tmov r11, %0\n\t"
                     "mov r8, %0\n\tmov r9, %0\n\tmov r10, %0\n\t"
                     "vmov d0, %0, %0\n\tvmov d1, %0, %0\n\tvmov d7, %0, %0\n\tvmov d8, %0, %0\n\t"
                     "vmov d9, %0, %0\n\tvmov d10, %0, %0\n\tvmov d11, %0, %0\n\tvmov d12, %0, %0\n\t"
                     "vmov d13, %0, %0\n\tvmov d14, %0, %0\n\tvmov d15, %0, %0\n\t"
                     :
                     : "r"(value)
                     : "r4", "r5", "r6", "r11", "r8", "r9", "r10", "d0", "d1", "d7", "d8", "d9",
                       "d10", "d11", "d12", "d13", "d14", "d15");
#else
    __asm__ volatile("mov r4, %0\n\tmov r5, %0\n\tmov r6, %0\n\tmov r7, %0\n\t"
                     "mov r8, %0\n\tmov r9, %0\n\tmov r10, %0\n\t"
                     "vdup.32 q0, %0\n\tvdup.32 q4, %0\n\tvdup.32 q5, %0\n\tvdup.32 q6, %0\n\t"
                     "vdup.32 q7, %0\n\tvdup.32 q8, %0\n\tvdup.32 q15, %0\n\t"
                     :
                     : "r"(value)
                     : "r4", "r5", "r6", "r7", "r8", "r9", "r10", "d0", "d1", "d8", "d9",
                       "d10", "d11", "d12", "d13", "d14", "d15", "d16", "d17", "d30", "d31");
#endif
}

static unsigned int changed[CHECKERS];

static void checker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    for (unsigned int round = 0; round < ROUNDS; round++) {
        changed[id] += (unsigned int)switch_keeps_registers(0x10000000u * (id + 1) + round * 16,
                                                            (switch_fn *)co_yield_at, CO_SITE(), NULL);
        clobber_everything(0xdead0000u + id);
    }
}

/* The blocking switch: wait at the gate until the main loop opens it. */
static struct co_queue gate = CO_QUEUE_INITIALIZER;

static void wait_at_gate(const struct co_site *site)
{
    co_queue_wait_until_at(&gate, CO_NO_DEADLINE, site);
}

static unsigned int changed_blocking[CHECKERS];
static unsigned int blocking_rounds[CHECKERS];

static void blocking_checker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    for (unsigned int round = 0; round < ROUNDS; round++) {
        changed_blocking[id] += (unsigned int)switch_keeps_registers(0x10000000u * (id + 5) + round * 16,
                                                                     (switch_fn *)wait_at_gate, CO_SITE(), NULL);
        blocking_rounds[id]++;
        clobber_everything(0xfeed0000u + id);
    }
}

/* volatile: really computed on the FPU between switches. */
static volatile double fpu_accumulator = 1.0;

int main(void)
{
    unsigned int changed_main = 0;

    kt_plan(7);
    for (unsigned int i = 0; i < CHECKERS; i++) {
        co_init_element(checkers, i, checker, (void *)(uintptr_t)i);
    }
    for (unsigned int round = 0; round < ROUNDS; round++) {
        for (unsigned int i = 0; i < CHECKERS; i++) {
            /* co_enter(&checkers[i]), holding main's own values */
            changed_main += (unsigned int)switch_keeps_registers(0x0c000000u + round * 16 + i,
                                                                 (switch_fn *)co_enter_at, &checkers[i], CO_SITE());
            clobber_everything(0xbad00000u + round);
            fpu_accumulator = fpu_accumulator * 1.0001 + 0.5;
        }
    }
    for (unsigned int i = 0; i < CHECKERS; i++) {
        co_enter(&checkers[i]);     /* the last round's check, then return */
    }
    KT_EXPECT_EQ(changed[0] + changed[1] + changed[2], 0, "r4-r11 and d8-d15 survive every co_yield and co_enter");
    KT_EXPECT_EQ(changed_main, 0, "and main's survive every co_enter");
    KT_EXPECT(co_terminated(&checkers[0]) && co_terminated(&checkers[2]), "every checker finished");
    KT_EXPECT(fpu_accumulator > 1.0, "the main context used the FPU in between");

    /* Blocking: each checker waits at the gate and is switched back in by
     * the main loop, one at a time, in the order they queued. */
    for (unsigned int i = 0; i < CHECKERS; i++) {
        co_enter(co_init_element(checkers, i, blocking_checker, (void *)(uintptr_t)i));  /* to the gate */
    }
    unsigned int out_of_turn = 0;
    changed_main = 0;
    for (unsigned int round = 0; round < ROUNDS; round++) {
        for (unsigned int i = 0; i < CHECKERS; i++) {
            clobber_everything(0xbad10000u + round);
            out_of_turn += co_queue_next(&gate) != &checkers[i];
            fpu_accumulator = fpu_accumulator * 1.0001 + 0.5;
            /* co_run_ready(): the checker's check, then back to the gate */
            changed_main += (unsigned int)switch_keeps_registers(0x0e000000u + round * 16 + i,
                                                                 (switch_fn *)co_run_ready, NULL, NULL);
            out_of_turn += blocking_rounds[i] != round + 1;
        }
    }
    KT_EXPECT_EQ(changed_blocking[0] + changed_blocking[1] + changed_blocking[2], 0,
                 "r4-r11 and d8-d15 survive every blocking wait the main loop ends");
    KT_EXPECT_EQ(changed_main, 0, "and main's survive every co_run_ready that resumes one");
    KT_EXPECT(out_of_turn == 0 && co_queue_empty(&gate) && co_terminated(&checkers[0]) &&
                  co_terminated(&checkers[1]) && co_terminated(&checkers[2]),
              "the main loop resumed each blocked checker in turn, and every one finished");
    return kt_done();
}
