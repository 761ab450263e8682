/*
 * The ticker: timed coroutines on a board without a disk.
 *
 * Three tickers wake at their own periods (20, 30 and 50 ms) for 300 ms.
 * At every tick each adds the next term of a series to a running sum in a
 * floating-point register the compiler keeps across its sleeps, so the
 * FPU state of each must survive every switch; at the end main() computes
 * the same sums without sleeping and compares them bit for bit. A monitor
 * prints how far each has got every 100 ms.
 */
#include "coro/coro.h"
#include "coro/time.h"

#include <stdio.h>

#define TICKERS     3u
#define RUN_MS      300u
#define MONITOR_MS  100u

static const unsigned int period_ms[TICKERS] = { 20, 30, 50 };

CO_DEFINE_ARRAY(tickers, TICKERS, 2048);
CO_DEFINE(monitor, 2048);

static volatile unsigned int ticks[TICKERS];
static float sums[TICKERS];
static unsigned int finished;

/* Term k of ticker i's series: different for every ticker, so that one
 * ticker's registers left in another's would show. */
static float term(unsigned int i, unsigned int k)
{
    return 1.0f / (float)(k + 1u) + (float)i * 0.25f;
}

static void ticker(void *opaque)
{
    unsigned int i = (unsigned int)(uintptr_t)opaque;
    float sum = 0.0f;
    uint64_t next = co_clock_ns();

    for (unsigned int k = 0; k < RUN_MS / period_ms[i]; k++) {
        next += period_ms[i] * 1000000ull;
        co_sleep_until(next);
        sum += term(i, k);
        ticks[i] = k + 1u;
    }
    sums[i] = sum;
    finished++;
}

static void report(void *opaque)
{
    (void)opaque;
    while (finished < TICKERS) {
        co_sleep_ms(MONITOR_MS);
        printf("  %4lu ms:", (unsigned long)(co_clock_ns() / 1000000u));
        for (unsigned int i = 0; i < TICKERS; i++) {
            printf("  every %2u ms: %2u ticks", period_ms[i], ticks[i]);
        }
        printf("\n");
    }
}

int main(void)
{
    printf("coroutine kernel ticker: %u tickers for %u ms\n", TICKERS, RUN_MS);
    for (unsigned int i = 0; i < TICKERS; i++) {
        co_enter(co_init_element(tickers, i, ticker, (void *)(uintptr_t)i));
    }
    co_enter(co_init(&monitor, report, NULL));
    co_run();

    int status = 0;
    for (unsigned int i = 0; i < TICKERS; i++) {
        float expected = 0.0f;
        for (unsigned int k = 0; k < RUN_MS / period_ms[i]; k++) {
            expected += term(i, k);
        }
        if (sums[i] != expected || ticks[i] != RUN_MS / period_ms[i]) {
            printf("ticker %u: %u ticks, sum %f, expected %u and %f\n", i, ticks[i], (double)sums[i],
                   RUN_MS / period_ms[i], (double)expected);
            status = 1;
        }
    }
    if (status == 0) {
        printf("every ticker ticked on time, its sum intact across every switch\n");
    }
    return status;
}
