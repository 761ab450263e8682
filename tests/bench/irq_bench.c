/*
 * From interrupt to coroutine: instructions from the IRQ vector to the
 * first instruction after co_wait_end() returns in the woken coroutine.
 * The path: vector, GIC acknowledge and dispatch, the handler completing
 * the wait, return from the interrupt, the main loop taking the coroutine
 * off the ready queue, the switch, and co_wait_end() returning.
 *
 * The interrupt (an SGI) is raised with IRQs masked, the count read, then
 * IRQs unmasked: the count includes that one unmasking instruction before
 * the vector, so it errs high by one.
 */
#include "arch/cpu.h"
#include "coro/coro.h"
#include "drivers/system/gic/gic.h"
#include "drivers/irq.h"
#include "tests/bench/lib/pmu.h"
#include "tests/qemu/lib/irq_waiter.h"

#include <stdio.h>

#define SGI_WAKE 5
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
        woken_at = pmu_instructions();
    }
}

int main(void)
{
    pmu_start();
    irq_register(SGI_WAKE, wake_waiter, NULL);
    co_enter(co_init(&waiter, wait_loop, NULL));

    uint32_t total = 0, best = UINT32_MAX;
    for (unsigned int i = 0; i < ROUNDS; i++) {
        irq_save();
        gic_send_sgi_to_self(SGI_WAKE);     /* pending, not taken yet */
        uint32_t start = pmu_instructions();
        irq_unmask();                       /* taken here */
        co_run_ready();                     /* what the main loop does next */
        uint32_t cost = woken_at - start;
        total += cost;
        best = cost < best ? cost : best;
    }
    printf("IRQ vector to woken coroutine: %lu instructions (mean of %u; best %lu)\n",
           (unsigned long)(total / ROUNDS), ROUNDS, (unsigned long)best);
    printf("BENCH irq_to_coroutine_instructions %lu\n", (unsigned long)(total / ROUNDS));
    return 0;
}
