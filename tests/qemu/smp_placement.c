/*
 * Where an unpinned coroutine resumes (co_set_placement()): a waiter whose
 * waits are ended, one after another, by a coroutine pinned to CPU 1,
 * while it first ran on CPU 0. With CO_RESUME_WAKER every resume is on
 * CPU 1, the CPU that ended the wait; with CO_RESUME_LAST every one is on
 * CPU 0, where it last ran. Each run counts where the waiter woke up, so
 * a placement that was ignored (the shared queue, whichever CPU looks
 * first) shows as resumes on the wrong CPU.
 *
 * requires: smp
 * tags: smp
 * runner: name=waker args=waker
 * runner: name=last args=last
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/time.h"
#include "tests/qemu/lib/irq_waiter.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <string.h>

#define WAITS 200u

CO_DEFINE(waiter, 2048);
CO_DEFINE(ender, 2048);

static struct irq_waiter waiting;
static unsigned int resumed_on[2];
static bool waiter_done;

static void wait_many(void *opaque)
{
    (void)opaque;
    for (unsigned int i = 0; i < WAITS; i++) {
        co_wait_end(irq_waiter_arm(&waiting), CO_NO_DEADLINE);
        resumed_on[co_cpu_id() == 0 ? 0 : 1]++;
    }
    __atomic_store_n(&waiter_done, true, __ATOMIC_RELEASE);
}

/* On CPU 1: ends each wait once it is published, and sleeps a little
 * between tries, which lets this CPU's main loop run what is ready here. */
static void end_waits(void *opaque)
{
    (void)opaque;
    while (!__atomic_load_n(&waiter_done, __ATOMIC_ACQUIRE)) {
        irq_waiter_complete(&waiting, 0);
        co_sleep_us(10);
    }
}

int main(void)
{
    const char *which = kernel_cmdline();
    enum co_placement placement = strcmp(which, "waker") == 0 ? CO_RESUME_WAKER : CO_RESUME_LAST;

    kt_plan(4);
    KT_EXPECT_EQ(co_set_placement(&waiter, (enum co_placement)7), -EINVAL, "no such placement: -EINVAL");

    /* The waiter's first run is on CPU 0: main enters it here. */
    co_init(&waiter, wait_many, NULL);
    KT_EXPECT_EQ(co_set_placement(&waiter, placement), 0, "the placement is taken");
    co_enter(&waiter);
    co_init(&ender, end_waits, NULL);
    co_set_cpu(&ender, 1);
    co_wake(&ender);
    co_run();

    unsigned int expected = placement == CO_RESUME_WAKER ? 1 : 0;
    KT_EXPECT_EQ(resumed_on[expected], WAITS, "every resume on the CPU the placement names");
    KT_EXPECT_EQ(resumed_on[1 - expected], 0, "none elsewhere");
    return kt_done();
}
