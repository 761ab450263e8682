/*
 * The gdb commands of scripts/gdb/coro.py against a live image: the
 * runner boots it halted, and tests/qemu/gdb/gdb_coro.py drives gdb to
 * gdb_checkpoint(), where coroutines are waiting deep in their own calls,
 * ready, never entered or terminated, or suspended on the last CPU, and
 * checks what `co list` and `co bt` say, and that the target runs on
 * unharmed.
 *
 * Under -icount the sleeper cannot wake before gdb looks, as a stalled
 * host could make it in real time.
 *
 * tags: smp
 * runner: gdb=gdb_coro.py qemu='-icount shift=0,sleep=off' expect='^finished: 7$'
 */
#include "arch/sysreg.h"
#include "coro/coro.h"
#include "coro/queue.h"
#include "coro/time.h"

#include <stdio.h>

CO_DEFINE(sleeper, 2048);
CO_DEFINE(digger, 2048);
CO_DEFINE(nester, 2048);
CO_DEFINE(thumber, 2048);
CO_DEFINE_ARRAY(crowd, 2, 1024);
CO_DEFINE(elsewhere, 2048);

/* The CPU elsewhere ran on, for gdb to compare (0 with one CPU). */
volatile unsigned int elsewhere_cpu;

static struct co_queue gate = CO_QUEUE_INITIALIZER;
/* Counted atomically: the main loop may run the sleeper, the digger and the
 * nester on several CPUs at once. */
static unsigned int finished;

static void sleep_a_while(void *opaque)
{
    (void)opaque;
    co_sleep_ms(5);
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

/* Three calls deep, then wait: co bt must show all three. The empty asm
 * statements after each call keep the calls from becoming tail calls,
 * which would leave no frame to show. */
static __attribute__((noinline)) void dig_level3(void)
{
    co_queue_wait(&gate);
    compiler_barrier();
}

static __attribute__((noinline)) void dig_level2(void)
{
    dig_level3();
    compiler_barrier();
}

static __attribute__((noinline)) void dig_level1(void)
{
    dig_level2();
    compiler_barrier();
}

static void dig(void *opaque)
{
    (void)opaque;
    dig_level1();
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

/* Yields, and is woken at once: it is on the ready queue while gdb looks. */
static void nest(void *opaque)
{
    (void)opaque;
    co_yield();
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

/* Thumb code calling the switch itself: what it saves to resume at is a
 * Thumb address, which co bt must run as Thumb. */
__attribute__((target("thumb"), noinline)) static void yield_in_thumb(void *opaque)
{
    (void)opaque;
    co_yield();
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

/* Runs on the last CPU, and yields back to that CPU's main loop. */
static void yield_elsewhere(void *opaque)
{
    (void)opaque;
    elsewhere_cpu = co_cpu_id();
    co_yield();
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

static void count_up(void *opaque)
{
    (void)opaque;
    __atomic_fetch_add(&finished, 1, __ATOMIC_RELAXED);
}

/* gdb stops here. */
__attribute__((noinline)) void gdb_checkpoint(void);
__attribute__((noinline)) void gdb_checkpoint(void)
{
    compiler_barrier();
}

int main(void)
{
    co_set_cpu(co_init(&elsewhere, yield_elsewhere, NULL), (int)co_cpu_count() - 1);
    co_wake(&elsewhere);
    co_run();
    co_enter(co_init(&sleeper, sleep_a_while, NULL));
    co_enter(co_init(&digger, dig, NULL));
    co_enter(co_init(&nester, nest, NULL));
    co_enter(co_init(&thumber, yield_in_thumb, NULL));
    co_wake(&nester);
    co_enter(co_init_element(crowd, 0, count_up, NULL));
    co_init_element(crowd, 1, count_up, NULL);

    gdb_checkpoint();

    co_queue_next(&gate);
    co_enter(&crowd[1]);
    co_enter(&thumber);
    co_enter(&elsewhere);
    co_run();
    printf("finished: %u\n", finished);
    return finished == 7 ? 0 : 1;
}
