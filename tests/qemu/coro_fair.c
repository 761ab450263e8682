/*
 * Fairness when completions beat their callers. Every wait here is
 * completed before its coroutine reaches co_wait_end(), as a device that
 * answers inside the doorbell write completes it, so no coroutine ever
 * blocks; still, each one that is ready runs before any other waits
 * again: no worker is ever more than one wait ahead of another. And one
 * that main entered, with nothing else ready, gives main the CPU back at
 * its 16th such wait, as if it had blocked. All on CPU 0, where the order
 * is defined.
 *
 * tags: smp
 */
#include "coro/coro.h"
#include "tests/qemu/lib/ktest.h"

#include <limits.h>

#define WORKERS 8u
#define ROUNDS 1000u

CO_DEFINE_ARRAY(workers, WORKERS, 1024);
CO_DEFINE(hog, 1024);

static unsigned int rounds[WORKERS];
static unsigned int widest_lead;        /* rounds ahead of the slowest worker */
static unsigned int wrong_results;

static void note_round(unsigned int id)
{
    unsigned int slowest = UINT_MAX;

    rounds[id]++;
    for (unsigned int i = 0; i < WORKERS; i++) {
        slowest = rounds[i] < slowest ? rounds[i] : slowest;
    }
    if (rounds[id] - slowest > widest_lead) {
        widest_lead = rounds[id] - slowest;
    }
}

/* A wait that is over before co_wait_end(): what a device that answers
 * inside the doorbell write makes of every request. */
static void wait_answered_at_once(int result)
{
    co_ticket_t ticket = co_wait_begin(CO_WAIT_IRQ);
    co_wait_complete(co_self(), ticket, result);
    wrong_results += co_wait_end(ticket, CO_NO_DEADLINE) != result;
}

static void worker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    for (unsigned int round = 0; round < ROUNDS; round++) {
        wait_answered_at_once((int)round);
        note_round(id);
    }
}

static unsigned int hog_rounds;

static void hog_around(void *opaque)
{
    (void)opaque;
    for (unsigned int round = 0; round < ROUNDS; round++) {
        wait_answered_at_once((int)round);
        hog_rounds++;
    }
}

int main(void)
{
    kt_plan(6);
    co_set_cpu(co_init(&hog, hog_around, NULL), 0);
    co_enter(&hog);
    KT_EXPECT_EQ(hog_rounds, 15, "main entered one: it has main back at its 16th wait in a row");
    KT_EXPECT(co_run() == 0 && hog_rounds == ROUNDS, "and the main loop runs it to its end");

    for (unsigned int i = 0; i < WORKERS; i++) {
        co_set_cpu(co_init_element(workers, i, worker, (void *)(uintptr_t)i), 0);
        co_wake(&workers[i]);
    }
    KT_EXPECT_EQ(co_run(), 0, "the run ends");
    unsigned int finished = 0;
    for (unsigned int i = 0; i < WORKERS; i++) {
        finished += co_terminated(&workers[i]) && rounds[i] == ROUNDS;
    }
    KT_EXPECT_EQ(finished, WORKERS, "every worker did all its rounds");
    KT_EXPECT_EQ(wrong_results, 0, "each wait returned its own result");
    kt_result(widest_lead <= 1, "no worker got more than one wait ahead of another", __FILE__, __LINE__,
              "one got %u waits ahead", widest_lead);
    return kt_done();
}
