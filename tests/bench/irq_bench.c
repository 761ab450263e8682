/*
 * From interrupt to coroutine: instructions from the IRQ vector to the
 * first instruction after co_wait_end() returns in the woken coroutine.
 * The path: vector, the interrupt controller's acknowledge and dispatch,
 * the handler completing the wait, return from the interrupt, the main
 * loop taking the coroutine off the ready queue, the switch, and
 * co_wait_end() returning.
 *
 * The interrupt (a soft IRQ: an SGI on the GIC, a pended NVIC line) is
 * raised with IRQs masked, the count read, then IRQs unmasked: the count
 * includes that one unmasking instruction before the vector, so it errs
 * high by one. Where the count is virtual time (tests/bench/lib/
 * systick.h) each reading is exact to a tick, and the mean over the
 * rounds, each of which starts at another point of a tick, to a fraction
 * of one.
 */
#include "arch/cpu.h"
#include "coro/coro.h"
#include "board/facts.h"
#include "drivers/irq.h"
#include "tests/bench/lib/counter.h"
#include "tests/qemu/lib/irq_waiter.h"

#include <stdio.h>

#define SOFT_WAKE BOARD_TEST_SOFT_IRQ(1)
#define ROUNDS 100u

CO_DEFINE(waiter, 2048);

static struct irq_waiter waiting;
static volatile uint32_t woken_at;

static void wake_waiter(void *arg)
{
    (void)arg;
    irq_waiter_complete(&waiting, 0);
}

static void wait_loop(void *opaque)
{
    (void)opaque;
    for (;;) {
        co_wait_end(irq_waiter_arm(&waiting), CO_NO_DEADLINE);
        woken_at = bench_count();
    }
}

int main(void)
{
    bench_count_start();
    irq_register(SOFT_WAKE, wake_waiter, NULL);
    co_enter(co_init(&waiter, wait_loop, NULL));

    uint32_t total = 0, best = UINT32_MAX;
    for (unsigned int i = 0; i < ROUNDS; i++) {
        irq_save();
        irq_raise(SOFT_WAKE);               /* pending, not taken yet */
        uint32_t start = bench_count();
        irq_unmask();                       /* taken here */
        co_run_ready();                     /* what the main loop does next */
        uint32_t cost = bench_instructions_between(start, woken_at);
        total += cost;
        best = cost < best ? cost : best;
    }
    printf("IRQ vector to woken coroutine: %lu instructions (mean of %u; best %lu)\n",
           (unsigned long)(total / ROUNDS), ROUNDS, (unsigned long)best);
    printf("BENCH irq_to_coroutine_instructions %lu\n", (unsigned long)(total / ROUNDS));
    return 0;
}
