/*
 * CoMutex, CoRwLock, CoSemaphore and CoQueue with their users spread over
 * every CPU (worker i pinned to CPU i mod n, and moved on to the next CPU
 * after every wait): mutual exclusion holds, readers never overlap a
 * writer, every unit posted is taken once, no wakeup is lost (every
 * worker finishes and co_run() returns 0), nobody starves, and the pool
 * is full again at the end. Critical sections sleep, so the locks are
 * handed over across CPUs while others queue.
 *
 * tags: smp
 */
#include "coro/coro.h"
#include "coro/mutex.h"
#include "coro/queue.h"
#include "coro/rwlock.h"
#include "coro/semaphore.h"
#include "coro/time.h"
#include "tests/qemu/lib/ktest.h"

#include <stdio.h>

#define WORKERS 12u
#define ROUNDS 150u

CO_DEFINE_ARRAY(workers, WORKERS, 2048);

static struct co_mutex mutex = CO_MUTEX_INITIALIZER;
static struct co_rwlock rwlock = CO_RWLOCK_INITIALIZER;
static struct co_semaphore units = CO_SEMAPHORE_INITIALIZER(0, CO_WAIT_COROUTINE);
static struct co_queue gate = CO_QUEUE_INITIALIZER;

static unsigned int in_mutex;           /* holders now: must stay 0 or 1 */
static unsigned int mutex_total;        /* changed only under the mutex */
static unsigned int readers;
static unsigned int writers;
/* Counted with add() too: readers run at once, and so would the holders
 * of a broken lock, and a plain += of one could overwrite another's
 * count with the old one. */
static unsigned int mutex_overlaps;
static unsigned int rw_overlaps;
static unsigned int units_taken;
static unsigned int gate_passed;
static unsigned int rounds_done[WORKERS];
static unsigned int cpus_seen[WORKERS];

static unsigned int add(unsigned int *counter, int n)
{
    return __atomic_add_fetch(counter, (unsigned int)n, __ATOMIC_SEQ_CST);
}

/* Onwards to the next CPU for the next resume. */
static void move_on(unsigned int id)
{
    cpus_seen[id] |= 1u << co_cpu_id();
    co_set_cpu(&workers[id], (int)((co_cpu_id() + 1) % co_cpu_count()));
}

static void mutex_round(unsigned int id, unsigned int round)
{
    co_mutex_lock(&mutex);
    move_on(id);
    add(&mutex_overlaps, add(&in_mutex, 1) != 1);
    unsigned int seen = mutex_total;
    if (round % 4 == 0) {
        co_sleep_us(5);
    }
    mutex_total = seen + 1;
    add(&in_mutex, -1);
    co_mutex_unlock(&mutex);
}

static void rwlock_round(unsigned int id, unsigned int round)
{
    bool write = (round + id) % 4 == 0;

    if (write) {
        co_rwlock_wrlock(&rwlock);
        move_on(id);
        add(&rw_overlaps, add(&writers, 1) != 1 || __atomic_load_n(&readers, __ATOMIC_SEQ_CST) != 0);
        co_sleep_us(5);
        add(&writers, -1);
    } else {
        co_rwlock_rdlock(&rwlock);
        move_on(id);
        add(&readers, 1);
        add(&rw_overlaps, __atomic_load_n(&writers, __ATOMIC_SEQ_CST) != 0);
        co_sleep_us(2);
        add(&readers, -1);
    }
    co_rwlock_unlock(&rwlock);
}

/* Even workers post, odd ones take: every unit is taken once. */
static void semaphore_round(unsigned int id)
{
    if (id % 2 == 0) {
        co_semaphore_post(&units);
        co_sleep_us(1);
    } else {
        co_semaphore_wait(&units);
        add(&units_taken, 1);
    }
    move_on(id);
}

static void worker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    co_queue_wait(&gate);   /* all start together, from another CPU's wakeup */
    add(&gate_passed, 1);
    move_on(id);
    for (unsigned int round = 0; round < ROUNDS; round++) {
        mutex_round(id, round);
        rwlock_round(id, round);
        semaphore_round(id);
        rounds_done[id]++;
    }
}

/* Wakes the gate from a coroutine, on whichever CPU runs it. */
CO_DEFINE(opener, 1024);

static void open_gate(void *opaque)
{
    (void)opaque;
    co_sleep_us(100);
    co_queue_restart_all(&gate);
}

int main(void)
{
    kt_plan(9);
    unsigned int pool_before = co_pool_free();

    for (unsigned int i = 0; i < WORKERS; i++) {
        struct co *co = co_init_element(workers, i, worker, (void *)(uintptr_t)i);
        co_set_cpu(co, (int)(i % co_cpu_count()));
        co_enter(co);
    }
    co_set_cpu(co_init(&opener, open_gate, NULL), (int)(co_cpu_count() - 1));
    co_wake(&opener);
    KT_EXPECT_EQ(co_run(), 0, "the run ends with every worker done (no lost wakeup)");

    unsigned int finished = 0, starved = 0, spread = 0;
    for (unsigned int i = 0; i < WORKERS; i++) {
        finished += co_terminated(&workers[i]);
        starved += rounds_done[i] != ROUNDS;
        spread += (unsigned int)__builtin_popcount(cpus_seen[i]) == co_cpu_count();
    }
    printf("# %u CPUs; %u of %u workers ran on every one of them\n", co_cpu_count(), spread, WORKERS);
    KT_EXPECT_EQ(gate_passed, WORKERS, "CoQueue: restart_all let every waiter through");
    KT_EXPECT(finished == WORKERS && starved == 0, "every worker finished all its rounds");
    KT_EXPECT_EQ(spread, WORKERS, "every worker ran on every CPU");
    KT_EXPECT(mutex_overlaps == 0 && mutex_total == WORKERS * ROUNDS, "CoMutex: one holder at a time, no update lost");
    KT_EXPECT_EQ(rw_overlaps, 0, "CoRwLock: a writer alone, readers never beside one");
    KT_EXPECT(units_taken == WORKERS / 2 * ROUNDS && co_semaphore_count(&units) == 0,
              "CoSemaphore: every unit posted taken once");
    KT_EXPECT(co_mutex_owner(&mutex) == NULL && co_queue_empty(&gate), "the locks are free at the end");
    KT_EXPECT_EQ(co_pool_free(), pool_before, "the pool is full again");
    return kt_done();
}
