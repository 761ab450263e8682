/*
 * The lock of every structure that more than one context changes: it masks
 * IRQs on this CPU (so a handler here cannot spin on a lock its own CPU
 * holds) and takes a fair ticket lock against the other CPUs. In an image
 * built for one CPU it is only the IRQ mask.
 *
 * With more than one CPU, a lock is never taken again by the CPU that
 * holds it (which would spin for ever), nor released by one that does not:
 * either stops the kernel with the lock's name.
 *
 * A waiter spins a while, then sleeps in WFI until the CPU before it in
 * line releases the lock and sends it an IPI (spinlock_may_sleep()). On
 * hardware it seldom sleeps; where CPUs are threads of a host with fewer
 * cores (QEMU's multi-threaded TCG), a spinning waiter would take the
 * host core the holder needs, and with a ticket lock each hand-off would
 * wait for the one descheduled CPU whose turn it is.
 */
#ifndef BOOT_SPINLOCK_H
#define BOOT_SPINLOCK_H

#include "arch/cpu.h"
#include "arch/spinlock.h"

#include <stdint.h>

struct spinlock {
    struct arch_spinlock raw;
    uint8_t holder;             /* CPU index + 1 while held, 0 when free */
    const char *name;           /* for the misuse report */
};

#define SPINLOCK_INIT(lock_name) { .name = (lock_name) }

void spinlock_misuse(const struct spinlock *lock, const char *what) __attribute__((noreturn, cold));

/* From now on the calling CPU may sleep while it waits, and kick(cpu)
 * (the same on every CPU) is how a release wakes it: the scheduler calls
 * this on each CPU once its interrupts work. Until then it only spins. */
void spinlock_may_sleep(void (*kick)(unsigned int cpu));

#if CONFIG_CPUS > 1
/* Waiting CPUs asleep in WFI, one bit each: a release looks for the one
 * whose turn has come only while this is not 0. */
extern volatile uint32_t spinlock_sleepers;
void spinlock_wait_turn(struct spinlock *lock, uint16_t ticket);
void spinlock_wake_next(struct spinlock *lock);
#endif

/* With IRQs already masked. */
static inline void spin_lock(struct spinlock *lock)
{
#if CONFIG_CPUS > 1
    uint8_t me = (uint8_t)(cpu_index() + 1);

    /* Only this CPU could have written its own number there. */
    if (lock->holder == me) {
        spinlock_misuse(lock, "taken again by the CPU that holds it");
    }
    uint16_t ticket;
    if (!arch_spin_take_ticket(&lock->raw, &ticket)) {
        spinlock_wait_turn(lock, ticket);
    }
    arch_spin_acquired();
    lock->holder = me;
#else
    (void)lock;
#endif
}

/* Leaves IRQs masked. */
static inline void spin_unlock(struct spinlock *lock)
{
#if CONFIG_CPUS > 1
    if (lock->holder != (uint8_t)(cpu_index() + 1)) {
        spinlock_misuse(lock, "released by a CPU that does not hold it");
    }
    lock->holder = 0;
    arch_spin_release(&lock->raw);
    if (spinlock_sleepers != 0) {
        spinlock_wake_next(lock);
    }
#else
    (void)lock;
#endif
}

static inline irq_flags_t spin_lock_irqsave(struct spinlock *lock)
{
    irq_flags_t flags = irq_save();

    spin_lock(lock);
    return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *lock, irq_flags_t flags)
{
    spin_unlock(lock);
    irq_restore(flags);
}

#endif
