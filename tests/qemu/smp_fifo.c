/*
 * FIFO hand-off across CPUs: CoMutex, CoQueue and CoSemaphore grant
 * their waiters in the order they queued, when the waiters are pinned to
 * different CPUs (waiter i to CPU (i + round) mod n, so that every two in
 * a row are on different CPUs and each round moves them on).
 *
 * The order is known, not hoped for: a conductor starts waiter i only
 * once waiter i - 1 is queued and blocked (it has said so after its
 * enqueue, or just before a lock call that must block, and no longer has
 * a caller: it switched away inside its wait). Then:
 *   CoMutex      the conductor held the mutex meanwhile and unlocks once;
 *                each waiter writes its number down while it holds the
 *                mutex and unlocks, handing it to the next;
 *   CoQueue      co_queue_next() one at a time must return waiter j;
 *   CoSemaphore  one post at a time, and the conductor waits for the one
 *                waiter it woke to say who it is: waiter j.
 * Each waiter also checks it runs on its CPU and, for the mutex, that it
 * is the owner.
 *
 * requires: smp
 * tags: smp
 */
#include "coro/coro.h"
#include "coro/mutex.h"
#include "coro/queue.h"
#include "coro/semaphore.h"
#include "coro/time.h"
#include "tests/qemu/lib/ktest.h"

#include <stdio.h>

#define WAITERS 8u
#define ROUNDS 40u
#define QUEUE_TIMEOUT_NS 10000000000u   /* for a waiter to queue, or a grant to show: far beyond a stall */

CO_DEFINE_ARRAY(waiters, WAITERS, 2048);
CO_DEFINE(conductor, 2048);

enum kind { MUTEX, QUEUE, SEMAPHORE, KINDS };

static const char *const kind_names[KINDS] = { "CoMutex", "CoQueue", "CoSemaphore" };

static struct co_mutex mutex = CO_MUTEX_INITIALIZER;
static struct co_queue queue = CO_QUEUE_INITIALIZER;
static struct co_semaphore semaphore = CO_SEMAPHORE_INITIALIZER(0, CO_WAIT_COROUTINE);

/* One round's: who said it was queued, and who was granted, in order. */
static bool queued[WAITERS];
static unsigned int granted[WAITERS];
static unsigned int claimed;                /* entries of granted[] taken */
static unsigned int grants;                 /* ... and written */
static int pinned_to[WAITERS];

/* Over all rounds. */
static unsigned int out_of_order[KINDS];    /* rounds whose grants were not 0, 1, 2, ... */
static unsigned int next_wrong;             /* co_queue_next() woke another than the head */
static unsigned int not_owner;              /* a mutex waiter ran without owning it */
static unsigned int wrong_cpu;
static unsigned int never_queued;           /* timed out waiting for a waiter to queue or be granted */
static unsigned int cross_cpu_handoffs;     /* grants in a row to waiters on different CPUs */
static unsigned int rounds_done;

static void say_queued(unsigned int i)
{
    __atomic_store_n(&queued[i], true, __ATOMIC_RELEASE);
}

/* Called by the waiter once granted. Under the mutex for MUTEX; for the
 * others one grant at a time, as the conductor waits for each (a broken
 * primitive that woke two at once still gets both written down). */
static void note_granted(unsigned int i)
{
    __atomic_fetch_add(&wrong_cpu, co_cpu_id() != (unsigned int)pinned_to[i], __ATOMIC_RELAXED);
    unsigned int at = __atomic_fetch_add(&claimed, 1u, __ATOMIC_RELAXED);
    if (at < WAITERS) {
        granted[at] = i;
    }
    /* Release: the conductor reads granted[] once it has seen every one. */
    __atomic_fetch_add(&grants, 1u, __ATOMIC_RELEASE);
}

static void mutex_waiter(void *opaque)
{
    unsigned int i = (unsigned int)(uintptr_t)opaque;

    /* The conductor holds the mutex: this lock blocks, and the
     * conductor sees it once this coroutine has switched away. */
    say_queued(i);
    co_mutex_lock(&mutex);
    not_owner += co_mutex_owner(&mutex) != co_self();
    note_granted(i);
    co_mutex_unlock(&mutex);
}

static void queue_waiter(void *opaque)
{
    unsigned int i = (unsigned int)(uintptr_t)opaque;
    co_ticket_t ticket = co_queue_wait_begin(&queue);

    say_queued(i);      /* after the enqueue: the order is fixed now */
    co_queue_wait_end(&queue, ticket, CO_NO_DEADLINE);
    note_granted(i);
}

static void semaphore_waiter(void *opaque)
{
    unsigned int i = (unsigned int)(uintptr_t)opaque;

    say_queued(i);      /* no unit is free: the wait blocks */
    co_semaphore_wait(&semaphore);
    note_granted(i);
}

static const co_fn waiter_fns[KINDS] = { mutex_waiter, queue_waiter, semaphore_waiter };

/* Sleeps until cond(i) holds, or counts a timeout. */
static void await(bool (*cond)(unsigned int), unsigned int i)
{
    uint64_t deadline = co_deadline_in_ns(QUEUE_TIMEOUT_NS);

    while (!cond(i)) {
        if (co_clock_ns() > deadline) {
            never_queued++;
            return;
        }
        co_sleep_us(2);
    }
}

/* Queued and blocked: said so, and switched away inside its wait. */
static bool is_queued(unsigned int i)
{
    return __atomic_load_n(&queued[i], __ATOMIC_ACQUIRE) && !co_entered(&waiters[i]);
}

static bool granted_more_than(unsigned int j)
{
    return __atomic_load_n(&grants, __ATOMIC_ACQUIRE) > j;
}

static bool finished(unsigned int i)
{
    return co_terminated(&waiters[i]);
}

static void run_round(enum kind kind, unsigned int round)
{
    unsigned int cpus = co_cpu_count();

    claimed = grants = 0;
    if (kind == MUTEX) {
        co_mutex_lock(&mutex);
    }
    for (unsigned int i = 0; i < WAITERS; i++) {
        queued[i] = false;
        pinned_to[i] = (int)((i + round) % cpus);
        struct co *co = co_init_element(waiters, i, waiter_fns[kind], (void *)(uintptr_t)i);
        co_set_cpu(co, pinned_to[i]);
        co_wake(co);
        await(is_queued, i);
    }
    switch (kind) {
    case MUTEX:
        co_mutex_unlock(&mutex);    /* to waiter 0, which hands it on */
        break;
    case QUEUE:
        for (unsigned int j = 0; j < WAITERS; j++) {
            next_wrong += co_queue_next(&queue) != &waiters[j];
            await(granted_more_than, j);
        }
        break;
    case SEMAPHORE:
        for (unsigned int j = 0; j < WAITERS; j++) {
            co_semaphore_post(&semaphore);
            await(granted_more_than, j);    /* the one woken says who it is */
        }
        break;
    default:
        break;
    }
    for (unsigned int i = 0; i < WAITERS; i++) {
        await(finished, i);
    }
    await(granted_more_than, WAITERS - 1);
    unsigned int seen = __atomic_load_n(&grants, __ATOMIC_ACQUIRE);
    bool in_order = seen == WAITERS;
    for (unsigned int j = 0; j < WAITERS && j < seen; j++) {
        in_order &= granted[j] == j;
        cross_cpu_handoffs += j > 0 && pinned_to[granted[j]] != pinned_to[granted[j - 1]];
    }
    /* The first few say how the order was wrong; the counts say how often. */
    if (!in_order && out_of_order[kind]++ < 3) {
        printf("# %s round %u: granted", kind_names[kind], round);
        for (unsigned int j = 0; j < WAITERS && j < seen; j++) {
            printf(" %u", granted[j]);
        }
        printf(" (%u grants)\n", seen);
    }
}

static void conduct(void *opaque)
{
    (void)opaque;
    for (unsigned int round = 0; round < ROUNDS; round++) {
        for (enum kind kind = MUTEX; kind < KINDS; kind++) {
            run_round(kind, round);
        }
        rounds_done++;
    }
}

int main(void)
{
    kt_plan(7);
    co_wake(co_init(&conductor, conduct, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run() returns 0 (no wakeup lost)");

    printf("# %u CPUs, %u rounds of %u waiters each; %u grants in a row went to another CPU\n", co_cpu_count(),
           rounds_done, WAITERS, cross_cpu_handoffs);
    KT_EXPECT(rounds_done == ROUNDS && never_queued == 0, "every waiter queued and was granted in time");
    KT_EXPECT(out_of_order[MUTEX] == 0 && not_owner == 0,
              "CoMutex: handed to its waiters in the order they queued, each the owner");
    KT_EXPECT(out_of_order[QUEUE] == 0 && next_wrong == 0, "CoQueue: co_queue_next() wakes the waiters in order");
    KT_EXPECT_EQ(out_of_order[SEMAPHORE], 0, "CoSemaphore: each post goes to the longest waiter");
    KT_EXPECT(wrong_cpu == 0 && cross_cpu_handoffs == ROUNDS * KINDS * (WAITERS - 1),
              "every grant ran on the waiter's CPU, each on another CPU than the one before");
    KT_EXPECT(co_mutex_owner(&mutex) == NULL && co_queue_empty(&queue) && co_queue_empty(&mutex.waiters) &&
                  co_queue_empty(&semaphore.waiters) && co_semaphore_count(&semaphore) == 0,
              "the mutex is free, the queues empty, no unit left");
    return kt_done();
}
