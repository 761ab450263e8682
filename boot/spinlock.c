/* The slow paths of a spinlock (boot/spinlock.h): waiting for one's turn,
 * the wake-up of a sleeping waiter, and the report of misuse. */
#include "boot/spinlock.h"
#include "boot/kernel.h"

#include <stdbool.h>
#include <stddef.h>

#if CONFIG_CPUS > 1
/* WFE wake-ups a waiter sees before it sleeps (on hardware each is another
 * CPU's release; under QEMU a WFE only yields): enough that on hardware,
 * where a holder is never descheduled, it hardly ever sleeps. */
#define SPINS_BEFORE_SLEEP 256u

volatile uint32_t spinlock_sleepers;

/* What each sleeping CPU waits for; read by releases on other CPUs. */
static struct {
    struct spinlock *volatile lock;
    volatile uint16_t ticket;
} asleep[CONFIG_CPUS];

static void (*volatile kick_cpu)(unsigned int cpu);
static volatile bool may_sleep[CONFIG_CPUS];   /* its kick reaches it */

void spinlock_wait_turn(struct spinlock *lock, uint16_t ticket)
{
    unsigned int me = cpu_index();

    for (unsigned int spins = 0; arch_spin_serving(&lock->raw) != ticket; spins++) {
        if (spins < SPINS_BEFORE_SLEEP || !may_sleep[me]) {
            arch_spin_relax();
            continue;
        }
        asleep[me].lock = lock;
        asleep[me].ticket = ticket;
        /* A full barrier each side: the release serves the next ticket
         * and then reads the sleepers, this CPU publishes itself and
         * then reads the ticket, so one of the two sees the other. */
        __atomic_fetch_or(&spinlock_sleepers, 1u << me, __ATOMIC_SEQ_CST);
        if (arch_spin_serving(&lock->raw) != ticket) {
            cpu_wait_for_interrupt();   /* the kick, IRQs masked or not */
        }
        __atomic_fetch_and(&spinlock_sleepers, ~(1u << me), __ATOMIC_SEQ_CST);
        asleep[me].lock = NULL;
        spins = 0;
    }
}

void spinlock_wake_next(struct spinlock *lock)
{
    uint16_t turn = arch_spin_serving(&lock->raw);
    /* Acquire: what the sleeper published before its bit, not older. */
    uint32_t sleepers = __atomic_load_n(&spinlock_sleepers, __ATOMIC_ACQUIRE);

    while (sleepers != 0) {
        unsigned int cpu = (unsigned int)__builtin_ctz(sleepers);
        sleepers &= sleepers - 1u;
        if (asleep[cpu].lock == lock && asleep[cpu].ticket == turn) {
            kick_cpu(cpu);
            return;
        }
    }
}
#endif

void spinlock_may_sleep(void (*kick)(unsigned int cpu))
{
#if CONFIG_CPUS > 1
    kick_cpu = kick;
    may_sleep[cpu_index()] = true;
#else
    (void)kick;
#endif
}

void spinlock_misuse(const struct spinlock *lock, const char *what)
{
    unsigned int holder = lock->holder;

    if (holder != 0) {
        kernel_panic("spinlock '%s' %s: CPU %u (held by CPU %u)", lock->name ? lock->name : "?", what,
                     cpu_index(), holder - 1);
    }
    kernel_panic("spinlock '%s' %s: CPU %u (it is free)", lock->name ? lock->name : "?", what, cpu_index());
}
