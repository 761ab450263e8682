/*
 * What several CPUs cost, in an image built for two (make bench builds it
 * with SMP=2 and boots it with -smp 2 under -icount, where QEMU runs the
 * CPUs in turn on one host thread):
 *
 * - an uncontended spinlock pair, spin_lock_irqsave() and
 *   spin_unlock_irqrestore(): the price every lock of the kernel pays
 *   once it has more than one CPU (counted by CPU 0's PMU);
 * - a wake sent to another CPU until the woken coroutine runs there:
 *   coroutines pinned to CPUs 0 and 1 hand a unit of a CoSemaphore back
 *   and forth (a post before the other side waits is kept), and
 *   virtual time under -icount shift=0 advances one nanosecond for every
 *   instruction either CPU executes, so half a round trip is the
 *   instructions of one hand-over: the waker's co_semaphore_post() and its
 *   way to WFI, the SGI, and the other CPU's WFI exit, handler, main loop
 *   and switch until co_semaphore_wait() returns there.
 *
 * requires: pmu
 */
#include "arch/sysreg.h"
#include "boot/spinlock.h"
#include "coro/coro.h"
#include "coro/semaphore.h"
#include "drivers/timer.h"
#include "tests/bench/lib/pmu.h"

#include <stdio.h>

#define LOCK_PAIRS 1000u
#define ROUND_TRIPS 1000u

static struct spinlock bench_lock = SPINLOCK_INIT("bench");

/* Instructions of `pairs` lock/unlock pairs, or of as many empty rounds. */
static __attribute__((noinline)) uint32_t count_pairs(unsigned int pairs, bool lock)
{
    uint32_t start = pmu_instructions();
    for (unsigned int i = 0; i < pairs; i++) {
        if (lock) {
            irq_flags_t flags = spin_lock_irqsave(&bench_lock);
            spin_unlock_irqrestore(&bench_lock, flags);
        }
        compiler_barrier();
    }
    return pmu_instructions() - start;
}

CO_DEFINE(pinger, 2048);
CO_DEFINE(ponger, 2048);

static struct co_semaphore to_pinger = CO_SEMAPHORE_INITIALIZER(0, CO_WAIT_COROUTINE);
static struct co_semaphore to_ponger = CO_SEMAPHORE_INITIALIZER(0, CO_WAIT_COROUTINE);
static uint64_t started_ns, ended_ns;
static unsigned int wrong_cpu;

static void ping(void *opaque)
{
    (void)opaque;
    started_ns = timer_now_ns();
    for (unsigned int i = 0; i < ROUND_TRIPS; i++) {
        co_semaphore_post(&to_ponger);
        co_semaphore_wait(&to_pinger);
        wrong_cpu += co_cpu_id() != 0;
    }
    ended_ns = timer_now_ns();
}

static void pong(void *opaque)
{
    (void)opaque;
    for (unsigned int i = 0; i < ROUND_TRIPS; i++) {
        co_semaphore_wait(&to_ponger);
        wrong_cpu += co_cpu_id() != 1;
        co_semaphore_post(&to_pinger);
    }
}

int main(void)
{
    if (co_cpu_count() < 2) {
        printf("smp_bench: %u CPU(s) running: boot it with -smp 2\n", co_cpu_count());
        return 1;
    }
    pmu_start();
    uint32_t pair = (count_pairs(LOCK_PAIRS, true) - count_pairs(LOCK_PAIRS, false)) / LOCK_PAIRS;
    printf("uncontended spinlock pair:            %lu instructions\n", (unsigned long)pair);
    printf("BENCH smp_spinlock_pair_instructions %lu\n", (unsigned long)pair);

    co_set_cpu(co_init(&ponger, pong, NULL), 1);
    co_set_cpu(co_init(&pinger, ping, NULL), 0);
    co_wake(&ponger);
    co_wake(&pinger);
    if (co_run() != 0 || wrong_cpu != 0 || !co_terminated(&pinger) || !co_terminated(&ponger)) {
        printf("smp_bench: the ping-pong did not run as pinned (%u resumes on the wrong CPU)\n", wrong_cpu);
        return 1;
    }
    uint64_t wake = (ended_ns - started_ns) / (2u * ROUND_TRIPS);
    printf("wake to a coroutine on another CPU:   %lu instructions (both CPUs, mean of %u)\n",
           (unsigned long)wake, 2u * ROUND_TRIPS);
    printf("BENCH smp_cross_cpu_wake_instructions %lu\n", (unsigned long)wake);
    return 0;
}
