/*
 * The scheduler's pollers (co_add_poller()), with a poller that plays a
 * device: it completes a waiting coroutine's wait when it looks. A poller
 * is called only while it is enabled and nothing is ready; one that
 * completes a wait has the CPU run the waiter instead of sleeping (here
 * nothing else would wake it: its wait is for an interrupt that never
 * comes); while it polls, co_ready_pending() says whether something
 * became ready. Enabling and disabling are idempotent.
 *
 * tags: smp
 */
#include "coro/coro.h"
#include "coro/time.h"
#include "tests/qemu/lib/ktest.h"

#define ANSWER          42

CO_DEFINE(waiter, 1024);
CO_DEFINE(worker, 1024);

static struct co *waiting;              /* the wait the fake device holds */
static co_ticket_t waiting_ticket;
static bool ready_before, ready_after;
static int result;

/* With several CPUs any of them may look; one takes the wait. */
static bool fake_poll(void *arg)
{
    unsigned int *counter = arg;

    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
    struct co *co = __atomic_exchange_n(&waiting, NULL, __ATOMIC_ACQUIRE);
    if (co == NULL) {
        return false;
    }
    ready_before = co_ready_pending();
    co_wait_complete(co, waiting_ticket, ANSWER);
    /* The waiter is pinned to CPU 0: ready for this CPU if it is that one. */
    ready_after = co_ready_pending() || co_cpu_id() != 0;
    return true;
}

static unsigned int calls;
static struct co_poller poller = { .poll = fake_poll, .arg = &calls };

static void wait_for_device(void *opaque)
{
    (void)opaque;
    co_ticket_t ticket = co_wait_begin(CO_WAIT_IRQ);
    waiting_ticket = ticket;
    __atomic_store_n(&waiting, co_self(), __ATOMIC_RELEASE);
    result = co_wait_end(ticket, CO_NO_DEADLINE);
}

/* Leaves the main loop with nothing ready three times: when it looks at
 * the pollers, before it sleeps. */
static void sleep_a_few(void *opaque)
{
    (void)opaque;
    for (unsigned int i = 0; i < 3; i++) {
        co_sleep_ns(100000);
    }
}

int main(void)
{
    kt_plan(11);
    co_add_poller(&poller);

    co_enter(co_init(&worker, sleep_a_few, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run with a poller added, not enabled");
    KT_EXPECT_EQ(__atomic_load_n(&calls, __ATOMIC_RELAXED), 0, "a poller is not called until it is enabled");

    co_poller_enable(&poller, true);
    co_init(&waiter, wait_for_device, NULL);
    co_set_cpu(&waiter, 0);
    co_enter(&waiter);
    KT_EXPECT_EQ(co_run(), 0, "co_run ends once the poller has answered");
    KT_EXPECT_EQ(result, ANSWER, "the waiter got the poller's answer");
    KT_EXPECT(calls >= 1, "the poller was called while the waiter waited");
    KT_EXPECT(!ready_before && ready_after,
              "co_ready_pending(): false while nothing is ready, true once the wait is completed");

    co_poller_enable(&poller, false);
    co_poller_enable(&poller, false);
    unsigned int before = calls;
    co_enter(co_init(&worker, sleep_a_few, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run with the poller disabled again (twice)");
    KT_EXPECT_EQ(calls, before, "a disabled poller is not called");

    co_poller_enable(&poller, true);
    result = 0;
    co_enter(co_init(&waiter, wait_for_device, NULL));
    KT_EXPECT_EQ(co_run(), 0, "enabled once more: co_run ends");
    KT_EXPECT_EQ(result, ANSWER, "the poller answered again");
    KT_EXPECT(co_terminated(&waiter) && co_terminated(&worker), "both coroutines ended");
    return kt_done();
}
