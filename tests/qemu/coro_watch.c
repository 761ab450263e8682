/*
 * A watchdog's wait (CO_WAIT_WATCH) keeps nothing going: co_run() returns
 * when only such waits are left, at once rather than at their deadlines,
 * and a deadlock beside one is still reported as a deadlock. The watchdog
 * still ends its wait at its deadline, in a later co_run().
 */
#include "coro/coro.h"
#include "coro/queue.h"
#include "coro/time.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>

#define WATCH_NS    (2ull * 1000000000ull)     /* far longer than a run here */

CO_DEFINE(watchdog, 1024);
CO_DEFINE(stuck, 1024);

static int watch_result = 1;
static unsigned int watches;

static void watch(void *opaque)
{
    (void)opaque;
    co_ticket_t ticket = co_wait_begin(CO_WAIT_WATCH);
    watch_result = co_wait_end(ticket, co_deadline_in_ns(WATCH_NS));
    watches++;
}

static struct co_queue never;

static void wait_for_ever(void *opaque)
{
    (void)opaque;
    co_queue_wait(&never);
}

static void sleep_past_watch(void *opaque)
{
    (void)opaque;
    co_sleep_ns(WATCH_NS);
}

int main(void)
{
    kt_plan(6);
    co_queue_init(&never);

    co_enter(co_init(&watchdog, watch, NULL));
    KT_EXPECT_EQ(co_run(), 0, "only a watchdog waits: co_run() is over");
    /* Had it waited for the deadline, the watchdog would have ended: an
     * event, not a time that a slow host could stretch. */
    KT_EXPECT_EQ(watches, 0u, "at once, with the watchdog still waiting");

    co_enter(co_init(&stuck, wait_for_ever, NULL));
    KT_EXPECT_EQ(co_run(), -EDEADLK,
                 "a coroutine nothing can wake beside a watchdog with a deadline: a deadlock");
    KT_EXPECT_EQ(watches, 0u, "reported before the watchdog's deadline");

    co_queue_next(&never);
    co_run();
    KT_EXPECT(co_terminated(&stuck), "the stuck one woken and done");

    /* Its deadline still ends the watchdog's wait, in a run that lasts
     * that long. */
    co_enter(co_init(&stuck, sleep_past_watch, NULL));
    co_run();
    KT_EXPECT(watches == 1 && watch_result == -ETIMEDOUT && co_terminated(&watchdog),
              "the watchdog's wait ended at its deadline");
    return kt_done();
}
