/*
 * CoSemaphore: counting, FIFO hand-off without barging, timeouts that lose
 * no unit, posts from an interrupt handler racing timed waits, and
 * deadlock reports only for a semaphore no interrupt can post. Under
 * -icount the race is replayed exactly and both sides must win often; in
 * real time only the counting rules are checked.
 *
 * tags: smp
 * runner: name=icount qemu='-icount shift=0,sleep=off' args=both-win
 * runner: name=realtime
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/semaphore.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "drivers/timer.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_random.h"
#include "tests/qemu/lib/test_timer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RACES 400

CO_DEFINE_ARRAY(takers, 4, 2048);

static char trace[64];

static void note(const char *what)
{
    strncat(trace, what, sizeof(trace) - strlen(trace) - 1);
}

/* --- Posted by coroutines */

static struct co_semaphore units = CO_SEMAPHORE_INITIALIZER(2, CO_WAIT_COROUTINE);

static void taker(void *opaque)
{
    char name[3] = { 't', (char)('0' + (uintptr_t)opaque), '\0' };

    co_semaphore_wait(&units);
    note(name);
}

/* Taker 0 (A) waits until lapse_deadline, taker 1 (B) without one. */
#define LAPSE_NS 1000000u
static uint64_t lapse_deadline;
static int results[2];

static void timed_taker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    results[id] = co_semaphore_wait_until(&units, id == 0 ? lapse_deadline : CO_NO_DEADLINE);
}

/* On CPU 0 alone, however many run: the order takers run in is defined
 * on one CPU only (tests/qemu/smp_sync.c spreads a semaphore over all). */
static struct co *start(unsigned int i, co_fn fn)
{
    struct co *co = co_init_element(takers, i, fn, (void *)(uintptr_t)i);
    co_set_cpu(co, 0);
    co_enter(co);
    return co;
}

/* --- Posted by an interrupt handler: the CNTP timer's */

static struct co_semaphore irq_units = CO_SEMAPHORE_INITIALIZER(0, CO_WAIT_IRQ);
static volatile unsigned int irq_posts;
static uint32_t ticks_per_us;

static void post_from_irq(void *arg)
{
    (void)arg;
    test_timer_stop();
    co_semaphore_post(&irq_units);
    irq_posts++;
}

static void post_in_us(unsigned int us)
{
    test_timer_fire_at(test_timer_count() + (uint64_t)ticks_per_us * us);
}

static int irq_result = 1;

static void irq_taker(void *opaque)
{
    (void)opaque;
    irq_result = co_semaphore_wait(&irq_units);
}

static uint32_t random_state = 12345;

static unsigned int racer_taken;
static unsigned int racer_timeouts;
static unsigned int racer_other;

/* Each wait times out after 100 us; the post comes between 80 and 120 us.
 * A post that misses its wait stays in the count for the next one. */
static void racer(void *opaque)
{
    (void)opaque;
    for (unsigned int i = 0; i < RACES; i++) {
        post_in_us(80 + test_random_lcg(&random_state) % 41);
        int result = co_semaphore_wait_until(&irq_units, co_deadline_in_ns(100000));
        if (result == 0) {
            racer_taken++;
        } else if (result == -ETIMEDOUT) {
            racer_timeouts++;
        } else {
            racer_other++;
        }
        co_sleep_us(50);    /* let a late post land before the next wait */
    }
}

int main(void)
{
    kt_plan(17);

    /* Counting, then FIFO hand-off: two units for three takers. */
    for (unsigned int i = 0; i < 3; i++) {
        start(i, taker);
    }
    KT_EXPECT(strcmp(trace, "t0t1") == 0 && co_semaphore_count(&units) == 0,
              "two units let two takers through and the third waits");
    co_semaphore_post(&units);
    KT_EXPECT(!co_semaphore_trywait(&units), "a post goes to the waiter, not to whoever asks next");
    co_run();
    KT_EXPECT(strcmp(trace, "t0t1t2") == 0 && co_semaphore_count(&units) == 0, "and the waiter takes it");

    trace[0] = '\0';
    for (unsigned int i = 0; i < 4; i++) {
        start(i, taker);
    }
    co_semaphore_post(&units);
    co_semaphore_post(&units);
    co_run_ready();
    KT_EXPECT(strcmp(trace, "t0t1") == 0, "waiters are served in the order they came");
    KT_EXPECT_EQ(co_run(), -EDEADLK, "co_run reports waiters no coroutine is left to post");
    co_semaphore_post(&units);
    co_semaphore_post(&units);
    co_semaphore_post(&units);
    KT_EXPECT_EQ(co_run(), 0, "posts from the main context wake them");
    KT_EXPECT(strcmp(trace, "t0t1t2t3") == 0 && co_semaphore_count(&units) == 1,
              "in order, and a post with nobody waiting is kept");
    bool took_kept = co_semaphore_trywait(&units);
    KT_EXPECT(took_kept && !co_semaphore_trywait(&units), "co_semaphore_trywait takes the kept unit, then finds none");

    /* A timed-out waiter takes no unit, and the next post is kept. */
    lapse_deadline = co_deadline_in_ns(LAPSE_NS);
    start(0, timed_taker);
    co_run();
    co_semaphore_post(&units);
    KT_EXPECT(results[0] == -ETIMEDOUT && co_semaphore_count(&units) == 1 && co_queue_empty(&units.waiters),
              "a wait past its deadline returns -ETIMEDOUT, leaves the queue and loses no later post");
    co_semaphore_trywait(&units);

    /* A waiter whose deadline passed while it was still queued is skipped:
     * main spins past A's deadline with IRQs on, so the timer interrupt
     * ends A's wait, but A has not run to leave the queue. */
    results[0] = results[1] = 1;
    uint32_t irqs_before = irq_handled_count();
    lapse_deadline = co_deadline_in_ns(LAPSE_NS);
    struct co *a = start(0, timed_taker);
    struct co *b = start(1, timed_taker);
    uint64_t give_up = lapse_deadline + 1000000000u;
    while (co_clock_ns() < lapse_deadline + 2 * LAPSE_NS ||
           (irq_handled_count() == irqs_before && co_clock_ns() < give_up)) {
    }
    KT_EXPECT(units.waiters.head == a && units.waiters.tail == b && a->wait_state == CO_WAIT_COMPLETED &&
                  a->wait_result == -ETIMEDOUT,
              "past its deadline, the timed-out waiter is still queued, ahead of the other");
    co_semaphore_post(&units);
    co_run();
    KT_EXPECT(results[0] == -ETIMEDOUT && results[1] == 0 && co_semaphore_count(&units) == 0,
              "the post skips it and goes to the waiter behind");

    /* Posted from an interrupt handler. */
    ticks_per_us = timer_frequency() / 1000000u;
    irq_register(BOARD_TEST_TIMER_IRQ, post_from_irq, NULL);
    start(0, irq_taker);
    post_in_us(1000);
    KT_EXPECT_EQ(co_run(), 0, "a waiter an interrupt will post is not a deadlock");
    KT_EXPECT(irq_result == 0 && irq_posts == 1 && co_semaphore_count(&irq_units) == 0,
              "the handler's post wakes it");

    irq_posts = 0;
    start(0, racer);
    co_run();
    test_timer_stop();
    KT_EXPECT_EQ(racer_taken + racer_timeouts, RACES, "every racing wait ended once");
    KT_EXPECT_EQ(racer_other, 0, "with a unit or -ETIMEDOUT");
    KT_EXPECT_EQ(irq_posts, racer_taken + co_semaphore_count(&irq_units),
                 "every unit posted was taken or is still counted");
    printf("# races: %u taken, %u timed out, %u posts\n", racer_taken, racer_timeouts, irq_posts);
    if (strcmp(kernel_cmdline(), "both-win") == 0) {
        KT_EXPECT(racer_taken > RACES / 5 && racer_timeouts > RACES / 5, "both sides won often");
    } else {
        kt_skip("both sides won often", "real time: the host decides who wins");
    }
    return kt_done();
}
