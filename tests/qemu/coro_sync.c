/*
 * CoQueue, CoMutex and CoRwLock: FIFO order, wakeups, timeouts, mutex
 * fairness under contention, rwlock upgrade and downgrade.
 *
 * tags: smp
 */
#include "coro/coro.h"
#include "coro/mutex.h"
#include "coro/rwlock.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define WORKERS 4
#define ROUNDS 50

CO_DEFINE_ARRAY(workers, 8, 2048);

/* A trace of who did what, as a string: "r1 w2 ...". */
static char trace[256];

static void note(const char *what)
{
    strncat(trace, what, sizeof(trace) - strlen(trace) - 1);
}

/* --- CoQueue */

static struct co_queue queue = CO_QUEUE_INITIALIZER;
static int queue_results[8];

static void queue_waiter(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;
    char name[3] = { 'q', (char)('0' + id), '\0' };

    co_queue_wait(&queue);
    note(name);
}

/* Waiter 0 gets 10 s, far more than a loaded host can stall us before it
 * is woken; waiter 1 gets 1 ms, and nobody wakes it. */
static void timed_waiter(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    queue_results[id] = co_queue_wait_until(&queue, co_deadline_in_ns(id == 0 ? 10000000000u : 1000000u));
}

/* Waiter 0 (A) times out after 1 ms while still queued; waiter 1 (B),
 * behind it, waits without a deadline. */
#define LAPSED_DEADLINE_NS 1000000u
static uint64_t lapsed_deadline;

static void lapsing_waiter(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    if (id == 0) {
        lapsed_deadline = co_deadline_in_ns(LAPSED_DEADLINE_NS);
        queue_results[id] = co_queue_wait_until(&queue, lapsed_deadline);
    } else {
        queue_results[id] = co_queue_wait(&queue);
    }
}

/* --- CoMutex */

static struct co_mutex mutex = CO_MUTEX_INITIALIZER;
static int inside;
static bool exclusive = true;
static unsigned int acquisitions[WORKERS];
static unsigned int order_violations;
static int last_owner = -1;

static void mutex_worker(void *opaque)
{
    int id = (int)(uintptr_t)opaque;

    for (int round = 0; round < ROUNDS; round++) {
        co_mutex_lock(&mutex);
        /* FIFO hand-off: with every worker always waiting, the lock goes
         * round in the order they first queued: 0, 1, 2, 3, 0, ... */
        if (last_owner >= 0 && id != (last_owner + 1) % WORKERS) {
            order_violations++;
        }
        last_owner = id;
        acquisitions[id]++;
        if (++inside != 1) {
            exclusive = false;
        }
        co_sleep_us(50);    /* hold it across a real block */
        inside--;
        co_mutex_unlock(&mutex);
    }
}

/* --- CoRwLock */

static struct co_rwlock rwlock = CO_RWLOCK_INITIALIZER;

struct rw_step {
    const char *name;
    char action;    /* r: read, w: write, u: read then upgrade */
};

static void rw_client(void *opaque)
{
    const struct rw_step *step = opaque;
    char text[8];

    if (step->action == 'w') {
        co_rwlock_wrlock(&rwlock);
    } else {
        co_rwlock_rdlock(&rwlock);
    }
    snprintf(text, sizeof(text), "+%s ", step->name);
    note(text);
    if (step->action == 'u') {
        co_yield();                 /* the test says when to upgrade */
        co_rwlock_upgrade(&rwlock);
        snprintf(text, sizeof(text), "^%s ", step->name);
        note(text);
    }
    co_yield();                     /* the test says when to unlock */
    co_rwlock_unlock(&rwlock);
    snprintf(text, sizeof(text), "-%s ", step->name);
    note(text);
}

/* Read locks on two rwlocks, one of them twice, released in another order. */
static struct co_rwlock second_rwlock = CO_RWLOCK_INITIALIZER;

static void two_lock_reader(void *opaque)
{
    (void)opaque;
    co_rwlock_rdlock(&rwlock);
    co_rwlock_rdlock(&second_rwlock);
    co_rwlock_rdlock(&rwlock);
    co_yield();
    co_rwlock_unlock(&rwlock);
    co_rwlock_unlock(&second_rwlock);
    co_rwlock_unlock(&rwlock);
}

static void rw_downgrader(void *opaque)
{
    (void)opaque;
    co_rwlock_wrlock(&rwlock);
    note("+W ");
    co_yield();
    co_rwlock_downgrade(&rwlock);
    note("vW ");
    co_yield();
    co_rwlock_unlock(&rwlock);
    note("-W ");
}

/* On CPU 0 alone, however many run: what is checked here is the order
 * coroutines run in, which only one CPU defines (tests/qemu/smp_sync.c
 * spreads the same locks over every CPU). */
static struct co *start(unsigned int i, co_fn fn, void *opaque)
{
    struct co *co = co_init_element(workers, i, fn, opaque);
    co_set_cpu(co, 0);
    co_enter(co);
    return co;
}

int main(void)
{
    kt_plan(21);

    /* CoQueue: FIFO wakeups, next, restart_all, empty. */
    for (unsigned int i = 0; i < 4; i++) {
        start(i, queue_waiter, (void *)(uintptr_t)i);
    }
    KT_EXPECT(!co_queue_empty(&queue), "waiters are queued");
    KT_EXPECT(co_queue_next(&queue) == &workers[0], "co_queue_next wakes the first waiter");
    KT_EXPECT_EQ(co_queue_restart_all(&queue), 3, "co_queue_restart_all wakes the rest");
    KT_EXPECT(co_queue_empty(&queue), "and empties the queue");
    co_run();
    KT_EXPECT(strcmp(trace, "q0q1q2q3") == 0, "waiters run in the order they queued");

    /* A wait with a deadline: one is woken in time, one times out. */
    start(0, timed_waiter, (void *)0);
    start(1, timed_waiter, (void *)1);
    co_queue_next(&queue);
    co_run();
    KT_EXPECT(queue_results[0] == 0 && queue_results[1] == -ETIMEDOUT,
              "a queue wait returns 0 when woken, -ETIMEDOUT at its deadline");
    KT_EXPECT(co_queue_empty(&queue), "a timed-out waiter has left the queue");

    /* co_queue_next skips a waiter whose deadline passed while it was
     * still queued: A's timeout is taken by the timer interrupt while main
     * spins, so A is completed (-ETIMEDOUT) and ready, but has not run to
     * leave the queue. Main waits well past the deadline, and for that
     * interrupt: the only deadline armed is A's, and it never fires early. */
    queue_results[0] = queue_results[1] = 1;
    uint32_t irqs_before = irq_handled_count();
    struct co *a = start(0, lapsing_waiter, (void *)0);
    struct co *b = start(1, lapsing_waiter, (void *)1);
    uint64_t give_up = lapsed_deadline + 1000000000u;
    while (co_clock_ns() < lapsed_deadline + 2 * LAPSED_DEADLINE_NS ||
           (irq_handled_count() == irqs_before && co_clock_ns() < give_up)) {
        /* IRQs enabled: the timer interrupt ends A's wait meanwhile */
    }
    KT_EXPECT(queue.head == a && queue.tail == b && irq_handled_count() != irqs_before,
              "past its deadline, the timed-out waiter is still queued, ahead of the other");
    struct co *next = co_queue_next(&queue);
    KT_EXPECT(next == b, "co_queue_next skips it and wakes the waiter behind");
    co_run();
    KT_EXPECT(queue_results[0] == -ETIMEDOUT && queue_results[1] == 0 && co_queue_empty(&queue),
              "the skipped waiter sees -ETIMEDOUT, the woken one 0, and the queue is empty");

    /* CoMutex under contention. */
    for (unsigned int i = 0; i < WORKERS; i++) {
        start(i, mutex_worker, (void *)(uintptr_t)i);
    }
    co_run();
    KT_EXPECT(exclusive, "one holder at a time");
    bool fair = true;
    for (unsigned int i = 0; i < WORKERS; i++) {
        fair &= acquisitions[i] == ROUNDS;
    }
    KT_EXPECT(fair && order_violations == 0, "FIFO hand-off: the lock goes round, nobody starves");
    KT_EXPECT(co_mutex_owner(&mutex) == NULL, "free at the end");

    /* Upgrade, QEMU's way: r1 and r2 read and a writer w3 queues; r1
     * upgrades and, for fairness, queues behind w3, which gets the lock
     * once r2 has gone. */
    static const struct rw_step r1 = { "r1", 'u' }, r2 = { "r2", 'r' }, w3 = { "w3", 'w' };
    trace[0] = '\0';
    struct co *c1 = start(0, rw_client, (void *)&r1);
    struct co *c2 = start(1, rw_client, (void *)&r2);
    struct co *c3 = start(2, rw_client, (void *)&w3);
    co_enter(c1);   /* upgrade: queues behind w3 */
    co_enter(c2);   /* r2 unlocks: w3 becomes the writer */
    KT_EXPECT_EQ(co_run(), -EDEADLK, "co_run says when only the caller can unblock the rest");
    co_enter(c3);   /* w3 unlocks: r1 gets the write lock */
    co_run();
    co_enter(c1);
    KT_EXPECT(strcmp(trace, "+r1 +r2 -r2 +w3 -w3 ^r1 -r1 ") == 0, "upgrade queues behind a writer that was waiting");

    /* The sole reader, with a writer waiting, goes behind it too; alone,
     * it upgrades at once. */
    trace[0] = '\0';
    c1 = start(0, rw_client, (void *)&r1);
    c3 = start(2, rw_client, (void *)&w3);
    co_enter(c1);   /* upgrade: w3 was first */
    co_run_ready();
    co_enter(c3);
    co_run_ready();
    co_enter(c1);
    KT_EXPECT(strcmp(trace, "+r1 +w3 -w3 ^r1 -r1 ") == 0, "the sole reader upgrades behind a waiting writer");
    trace[0] = '\0';
    c1 = start(0, rw_client, (void *)&r1);
    co_enter(c1);   /* upgrade: nobody waits */
    co_enter(c1);
    KT_EXPECT(strcmp(trace, "+r1 ^r1 -r1 ") == 0, "the sole reader with nobody waiting upgrades at once");

    /* Downgrade: W writes; r4 and r5 queue, then w6, then r7. Downgrading
     * lets r4 and r5 in, but not r7, which is behind the writer w6. */
    static const struct rw_step r4 = { "r4", 'r' }, r5 = { "r5", 'r' }, w6 = { "w6", 'w' },
                                r7 = { "r7", 'r' };
    trace[0] = '\0';
    struct co *w = start(0, rw_downgrader, NULL);
    struct co *c4 = start(1, rw_client, (void *)&r4);
    struct co *c5 = start(2, rw_client, (void *)&r5);
    struct co *c6 = start(3, rw_client, (void *)&w6);
    struct co *c7 = start(4, rw_client, (void *)&r7);
    co_enter(w);    /* downgrade */
    co_run_ready();
    KT_EXPECT(strcmp(trace, "+W vW +r4 +r5 ") == 0, "downgrade admits the readers ahead of the next writer");
    co_enter(w);
    co_enter(c4);
    co_enter(c5);
    co_run_ready(); /* the last reader out handed over to w6 */
    co_enter(c6);
    co_run_ready();
    co_enter(c7);
    KT_EXPECT(strcmp(trace, "+W vW +r4 +r5 -W -r4 -r5 +w6 -w6 +r7 -r7 ") == 0, "then FIFO: the writer, then r7");

    struct co *reader = start(0, two_lock_reader, NULL);
    KT_EXPECT(rwlock.holders == 2 && second_rwlock.holders == 1, "one coroutine reads two rwlocks, one twice");
    co_enter(reader);
    KT_EXPECT(rwlock.holders == 0 && second_rwlock.holders == 0 && co_terminated(reader),
              "and releases them in another order");
    return kt_done();
}
