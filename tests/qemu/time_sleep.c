/*
 * Time: 1000 coroutines (48 on a board whose RAM cannot hold so many:
 * each takes 1.2 KiB) sleeping random durations wake in deadline order and
 * never early; sleepers on one deadline wake in the order they slept; the
 * timer is tick-less; the clock is monotonic.
 *
 * The order is checked under -icount, where time is the instruction count
 * and every run is the same. In real time a loaded host can stall QEMU for
 * milliseconds, long enough for some deadlines to pass before their
 * coroutines have even begun to sleep: those wake at once, out of order
 * through no fault of the kernel. The real-time run checks everything but
 * the order, and prints how far off it was.
 *
 * With several CPUs the real-time run spreads the sleepers over all of
 * them (deadlines are then added from every CPU); the -icount run keeps
 * them on CPU 0, since only one CPU defines an order to check.
 *
 * tags: smp
 * runner: name=realtime
 * runner: name=icount qemu='-icount shift=0,sleep=off' args=exact-order
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/queue.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "drivers/timer.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_random.h"

#include <stdio.h>
#include <string.h>


/* 1000, or 24 where they would not fit: a 192 KiB board, where each takes
 * 2.2 KiB with its guard. */
#define SLEEPERS (BOARD_IMAGE_RAM_SIZE >= 0x200000 ? 1000u : 24u)

CO_DEFINE_ARRAY(sleepers, SLEEPERS, 1024);

static uint32_t random_state = 12345;

/* --- SLEEPERS sleepers */

static uint64_t deadlines[SLEEPERS];
static uint16_t wake_order[SLEEPERS];
static unsigned int woken;
static unsigned int early;

/* Every sleeper waits here until all exist, so that none starts sleeping
 * after an earlier deadline has passed. */
static struct co_queue gate = CO_QUEUE_INITIALIZER;

static void sleep_once(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    co_queue_wait(&gate);
    co_sleep_until(deadlines[id]);
    if (co_clock_ns() < deadlines[id]) {
        __atomic_fetch_add(&early, 1, __ATOMIC_RELAXED);
    }
    wake_order[__atomic_fetch_add(&woken, 1, __ATOMIC_RELAXED)] = (uint16_t)id;
}

/* --- Sleepers on one instant: served first come, first served */

#define TIES 8u

static uint64_t tie_deadline;
static char tie_order[TIES + 1];
static unsigned int tie_woken;

static void sleep_tied(void *opaque)
{
    co_sleep_until(tie_deadline);
    tie_order[tie_woken++] = (char)('0' + (uintptr_t)opaque);
}

/* --- A wait with a deadline, ended early by a wakeup */

static struct co_queue early_gate = CO_QUEUE_INITIALIZER;
static int early_result = 1;

static void wait_with_deadline(void *opaque)
{
    (void)opaque;
    early_result = co_queue_wait_until(&early_gate, co_deadline_in_ns(20000000));
}

static unsigned int timer_irqs(void)
{
    return irq_handled_count();
}

int main(void)
{
    kt_plan(9);

    bool exact = strcmp(kernel_cmdline(), "exact-order") == 0;
    for (unsigned int i = 0; i < SLEEPERS; i++) {
        struct co *co = co_init_element(sleepers, i, sleep_once, (void *)(uintptr_t)i);
        co_set_cpu(co, exact ? 0 : -1);
        co_enter(co);
    }
    uint64_t start = co_clock_ns() + 5000000;
    for (unsigned int i = 0; i < SLEEPERS; i++) {
        deadlines[i] = start + (uint64_t)(test_random_lcg(&random_state) % 20000) * 1000u;  /* within 20 ms */
    }
    unsigned int irqs_before = timer_irqs();
    co_queue_restart_all(&gate);
    co_run();
    unsigned int irqs = timer_irqs() - irqs_before;
    KT_EXPECT_EQ(woken, SLEEPERS, "every sleeper woke");
    KT_EXPECT_EQ(early, 0, "none woke before its deadline");
    unsigned int out_of_order = 0;
    for (unsigned int i = 1; i < SLEEPERS; i++) {
        out_of_order += deadlines[wake_order[i]] < deadlines[wake_order[i - 1]];
    }
    if (exact) {
        KT_EXPECT_EQ(out_of_order, 0, "they woke in deadline order");
    } else {
        printf("# %u of %u sleepers woke after one with a later deadline\n", out_of_order, SLEEPERS);
        kt_skip("they woke in deadline order", "checked under -icount");
    }
    /* Equal deadlines: in the order they went to sleep. */
    tie_deadline = co_clock_ns() + 2000000;
    for (unsigned int i = 0; i < TIES; i++) {
        struct co *co = co_init_element(sleepers, i, sleep_tied, (void *)(uintptr_t)i);
        co_set_cpu(co, 0);
        co_enter(co);
    }
    co_run();
    if (exact) {
        KT_EXPECT(strcmp(tie_order, "01234567") == 0, "sleepers on one deadline wake in the order they slept");
    } else {
        printf("# sleepers on one deadline woke in the order %s\n", tie_order);
        kt_skip("sleepers on one deadline wake in the order they slept", "checked under -icount");
    }

    /* Tick-less: at most one interrupt per distinct deadline (fewer when
     * several have passed by the time one is handled). Spread over CPUs,
     * the count has the wake-up SGIs in it as well. */
    if (exact || co_cpu_count() == 1) {
        KT_EXPECT(irqs > 0 && irqs <= SLEEPERS, "at most one timer interrupt per sleeper");
    } else {
        kt_skip("at most one timer interrupt per sleeper", "the count has SGIs in it with several CPUs");
    }

    /* Nothing asleep: no timer interrupts at all while we spin 5 ms. */
    irqs_before = timer_irqs();
    uint64_t until = co_clock_ns() + 5000000;
    while (co_clock_ns() < until) {
    }
    if (co_cpu_count() == 1) {
        KT_EXPECT_EQ(timer_irqs() - irqs_before, 0, "no ticks while nothing sleeps");
    } else {
        kt_skip("no ticks while nothing sleeps", "the count has SGIs in it with several CPUs");
    }

    /* A wakeup before the deadline takes the deadline off the timer too:
     * no interrupt for it comes later. */
    co_enter(co_init_element(sleepers, 0, wait_with_deadline, NULL));
    co_queue_next(&early_gate);
    co_run();
    KT_EXPECT_EQ(early_result, 0, "a wait with a deadline, woken before it");
    irqs_before = timer_irqs();
    until = co_clock_ns() + 25000000;     /* past the deadline */
    while (co_clock_ns() < until) {
    }
    /* With several CPUs the count has the idle CPUs' SGIs in it. */
    if (co_cpu_count() == 1) {
        KT_EXPECT_EQ(timer_irqs() - irqs_before, 0, "leaves no timer interrupt behind");
    } else {
        kt_skip("leaves no timer interrupt behind", "the count has SGIs in it with several CPUs");
    }

    uint64_t t0 = co_clock_ns();
    for (int i = 0; i < 100; i++) {
        uint64_t t1 = co_clock_ns();
        if (t1 < t0) {
            t0 = UINT64_MAX;
            break;
        }
        t0 = t1;
    }
    KT_EXPECT(t0 != UINT64_MAX, "the clock never goes back");

    return kt_done();
}
