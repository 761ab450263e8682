/*
 * The seed scenario (QEMU's "current" hoisted across a fiber switch): a
 * coroutine, first entered by another coroutine, waits; its wakeup is
 * posted from interrupt context; the main loop resumes it. On every resume
 * self() must be the coroutine itself, it must be entered, and a coroutine
 * it enters must see the right caller chain. The loops below read self()
 * over and over around waits, the pattern an optimiser would hoist.
 *
 * tags: smp
 */
#include "board/facts.h"
#include "coro/coro.h"
#include "drivers/irq.h"
#include "drivers/timer.h"
#include "tests/qemu/lib/irq_waiter.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_timer.h"

#define WAITERS 4
#define ROUNDS 2000

CO_DEFINE_ARRAY(starters, WAITERS, 1024);
CO_DEFINE_ARRAY(waiters, WAITERS, 1536);
CO_DEFINE_ARRAY(children, WAITERS, 1024);

static struct irq_waiter slots[WAITERS];
static volatile unsigned int next_slot;
static uint32_t period_ticks;
static unsigned int live_waiters = WAITERS;

/* Per waiter: with several CPUs two waiters run at once, and a shared
 * counter's read-modify-write would lose counts. */
static unsigned int wrong_self[WAITERS];
static unsigned int not_entered[WAITERS];
static unsigned int wrong_chain[WAITERS];
static unsigned int resumes[WAITERS];

static unsigned int sum(const unsigned int *counts)
{
    unsigned int total = 0;

    for (unsigned int i = 0; i < WAITERS; i++) {
        total += counts[i];
    }
    return total;
}

/* Completes the next armed wait, round robin, every 20 us. */
static void wake_one(void *arg)
{
    (void)arg;
    for (unsigned int tries = 0; tries < WAITERS; tries++) {
        if (irq_waiter_complete(&slots[next_slot++ % WAITERS], 0)) {
            break;
        }
    }
    if (__atomic_load_n(&live_waiters, __ATOMIC_RELAXED)) {
        test_timer_fire_at(test_timer_count() + period_ticks);
    } else {
        test_timer_stop();
    }
}

static void child(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;
    struct co *parent = &waiters[id];

    for (;;) {
        if (co_self() == parent || !co_entered(parent) || !co_entered(co_self())) {
            wrong_chain[id]++;
        }
        co_yield();
    }
}

static void waiter(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;
    struct co *me = &waiters[id];

    co_init_element(children, id, child, opaque);
    for (unsigned int round = 0; round < ROUNDS; round++) {
        co_wait_end(irq_waiter_arm(&slots[id]), CO_NO_DEADLINE);

        resumes[id]++;
        wrong_self[id] += co_self() != me;
        not_entered[id] += !co_entered(co_self()) || !co_in_coroutine();
        co_enter(&children[id]);
        wrong_self[id] += co_self() != me;
    }
    __atomic_fetch_sub(&live_waiters, 1, __ATOMIC_RELAXED);
}

/* Enters a waiter, which blocks at once: its first caller is a coroutine,
 * every later one the main loop. */
static void starter(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    co_enter(co_init_element(waiters, id, waiter, opaque));
    if (co_self() != &starters[id]) {
        wrong_self[id]++;
    }
}

int main(void)
{
    kt_plan(5);
    period_ticks = timer_frequency() / 1000000u * 20u;
    irq_register(BOARD_TEST_TIMER_IRQ, wake_one, NULL);
    for (unsigned int i = 0; i < WAITERS; i++) {
        co_enter(co_init_element(starters, i, starter, (void *)(uintptr_t)i));
    }
    test_timer_fire_at(test_timer_count() + period_ticks);
    co_run();

    KT_EXPECT_EQ(sum(resumes), WAITERS * ROUNDS, "every wait was resumed once");
    KT_EXPECT_EQ(sum(wrong_self), 0, "self() is right after every resume");
    KT_EXPECT_EQ(sum(not_entered), 0, "a resumed coroutine is entered and in a coroutine");
    KT_EXPECT_EQ(sum(wrong_chain), 0, "the caller chain is right in a coroutine it enters");
    KT_EXPECT(!co_in_coroutine() && co_entered(&waiters[0]) == false, "the main loop is back in the main context");
    return kt_done();
}
