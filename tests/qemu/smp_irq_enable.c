/*
 * An interrupt each CPU has its own copy of (a GIC's SGIs and PPIs) is
 * enabled and masked on every CPU, not only on the one that asks: after
 * irq_register() on CPU 0, each CPU's own view of GICD_ISENABLER0 (the
 * distributor banks it per CPU) has the line's bit set, and after
 * irq_disable() clear. QEMU would deliver an SGI even where it is not
 * enabled, so the test reads the enable bits themselves, of a PPI, which
 * QEMU does keep per CPU; and an SGI to every CPU reaches the handler on
 * each.
 *
 * requires: smp gic
 * tags: smp
 */
#include "board/facts.h"
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/ktest.h"

#include <stdint.h>

#define PPI_NOBODY_RAISES 20u     /* no device of virt's drives PPI 4 */
#define APP_SGI           3u
#define GICD_ISENABLER0   (0x100 / 4)

CO_DEFINE_ARRAY(lookers, 4, 2048);
CO_DEFINE(sender, 2048);

static volatile uint32_t *const gicd = (volatile uint32_t *)BOARD_GICD_BASE;
static bool enabled_on[4];
static unsigned int sgi_taken_on[4];

static void count_sgi(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&sgi_taken_on[co_cpu_id()], 1, __ATOMIC_RELAXED);
}

static void ignore(void *arg)
{
    (void)arg;
}

/* On its own CPU: what that CPU's bank says of the PPI. */
static void look(void *opaque)
{
    (void)opaque;
    enabled_on[co_cpu_id()] = (gicd[GICD_ISENABLER0] >> PPI_NOBODY_RAISES) & 1u;
}

/* Sends the SGI to every CPU and gives them a while to take it, asleep
 * (a CPU that only spun could keep another from running under -icount). */
static bool sgi_everywhere;

static void send_and_wait(void *opaque)
{
    (void)opaque;
    for (unsigned int cpu = 0; cpu < co_cpu_count(); cpu++) {
        irq_send_sgi(cpu, APP_SGI);
    }
    for (unsigned int tries = 0; tries < 1000 && !sgi_everywhere; tries++) {
        co_sleep_us(100);
        sgi_everywhere = true;
        for (unsigned int cpu = 0; cpu < co_cpu_count(); cpu++) {
            sgi_everywhere &= __atomic_load_n(&sgi_taken_on[cpu], __ATOMIC_RELAXED) == 1;
        }
    }
}

/* Runs look() once on every CPU. */
static void look_everywhere(void)
{
    for (unsigned int cpu = 0; cpu < co_cpu_count(); cpu++) {
        co_set_cpu(co_init_element(lookers, cpu, look, NULL), (int)cpu);
        co_wake(&lookers[cpu]);
    }
    co_run();
}

static bool on_every_cpu(bool expected)
{
    for (unsigned int cpu = 0; cpu < co_cpu_count(); cpu++) {
        if (enabled_on[cpu] != expected) {
            return false;
        }
    }
    return true;
}

int main(void)
{
    kt_plan(4);

    KT_EXPECT_EQ(irq_register(PPI_NOBODY_RAISES, ignore, NULL), 0, "a handler for a PPI, registered on CPU 0");
    look_everywhere();
    KT_EXPECT(on_every_cpu(true), "enabled in every CPU's bank");
    irq_disable(PPI_NOBODY_RAISES);
    look_everywhere();
    KT_EXPECT(on_every_cpu(false), "and masked in every one");

    irq_register(APP_SGI, count_sgi, NULL);
    co_enter(co_init(&sender, send_and_wait, NULL));
    co_run();
    KT_EXPECT(sgi_everywhere, "an SGI sent to each CPU is taken on each, once");
    return kt_done();
}
