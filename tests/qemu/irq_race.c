/*
 * A wakeup that races its timeout is delivered exactly once: a second timer
 * completes the wait from its interrupt handler at random moments around
 * the wait's deadline. Under -icount the race is replayed exactly, and both
 * sides must win often; in real time, only the exactly-once rules are
 * checked, since the host decides who wins.
 *
 * tags: smp
 * runner: name=icount qemu='-icount shift=0,sleep=off' args=both-win
 * runner: name=realtime
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "drivers/timer.h"
#include "tests/qemu/lib/irq_waiter.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_random.h"
#include "tests/qemu/lib/test_timer.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define RACES 400

CO_DEFINE(racer_co, 2048);

static uint32_t random_state = 12345;

static struct irq_waiter race;
static volatile unsigned int completions_accepted;
static volatile unsigned int completions_refused;

static void race_irq(void *arg)
{
    (void)arg;
    test_timer_stop();
    if (race.armed) {
        if (irq_waiter_complete(&race, 7)) {
            completions_accepted++;
        } else {
            completions_refused++;
        }
    }
}

static unsigned int results_ok;
static unsigned int results_timeout;
static unsigned int results_other;

static void racer(void *opaque)
{
    (void)opaque;
    uint32_t ticks_per_us = timer_frequency() / 1000000u;

    for (unsigned int i = 0; i < RACES; i++) {
        /* The wait times out after 100 us; the interrupt comes between
         * 80 and 120 us, at any tick of that span, so about half the time
         * each side wins. Every fourth one comes in the 2 us just past
         * the deadline instead, where now and then it lands in the few
         * hundred nanoseconds between the timeout and the waiter's resume
         * (a late wakeup, refused): spread over the 40 us, too few do at
         * -icount's fixed timing to be sure of one. */
        uint32_t earliest_us = i % 4 == 0 ? 100 : 80, span_us = i % 4 == 0 ? 2 : 41;
        co_ticket_t ticket = irq_waiter_arm(&race);
        test_timer_fire_at(test_timer_count() + ticks_per_us * earliest_us +
                           test_random_lcg(&random_state) % (ticks_per_us * span_us));
        int result = co_wait_end(ticket, co_deadline_in_ns(100000));
        race.armed = false;
        if (result == 7) {
            results_ok++;
        } else if (result == -ETIMEDOUT) {
            results_timeout++;
        } else {
            results_other++;
        }
        co_sleep_us(50);    /* let a late interrupt land before the next wait */
    }
}

int main(void)
{
    kt_plan(4);
    irq_register(BOARD_TEST_TIMER_IRQ, race_irq, NULL);
    /* The test timer is CPU 0's own (a per-CPU interrupt): the racer stays
     * beside it. */
    co_set_cpu(co_init(&racer_co, racer, NULL), 0);
    co_enter(&racer_co);
    co_run();
    KT_EXPECT_EQ(results_ok + results_timeout, RACES, "every racing wait ended exactly once");
    KT_EXPECT_EQ(results_other, 0, "with either the wakeup's result or -ETIMEDOUT");
    KT_EXPECT_EQ(completions_accepted, results_ok, "an accepted wakeup is the one the waiter got");
    printf("# races: %u woken, %u timed out, %u late wakeups refused\n", results_ok, results_timeout,
           completions_refused);
    if (strcmp(kernel_cmdline(), "both-win") == 0) {
        KT_EXPECT(results_ok > RACES / 5 && results_timeout > RACES / 5 && completions_refused > 0,
                  "both sides won often, and late wakeups were refused");
    } else {
        KT_EXPECT(completions_accepted + completions_refused <= RACES,
                  "no interrupt completed more than one wait");
    }
    return kt_done();
}
