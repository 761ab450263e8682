#include "coro/coro.h"
#include "coro/time.h"
#include "tests/qemu/lib/ktest.h"
#include <stdio.h>

CO_DEFINE(pinger, 2048);
CO_DEFINE(sleeper, 2048);
static int steps;

static void ping(void *opaque)
{
    (void)opaque;
    steps++;
    co_yield();
    steps++;
}

static void sleepy(void *opaque)
{
    (void)opaque;
    uint64_t t0 = co_clock_ns();
    co_sleep_ms(5);
    steps += (co_clock_ns() - t0) >= 5000000u ? 10 : 100;
}

int main(void)
{
    kt_plan(3);
    co_enter(co_init(&pinger, ping, NULL));
    KT_EXPECT_EQ(steps, 1, "first half");
    co_enter(&pinger);
    KT_EXPECT_EQ(steps, 2, "second half");
    co_enter(co_init(&sleeper, sleepy, NULL));
    co_run();
    KT_EXPECT_EQ(steps, 12, "slept");
    co_dump();
    return kt_done();
}
