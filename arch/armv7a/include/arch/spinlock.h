/*
 * The ticket lock under every spinlock (boot/spinlock.h), for ARMv7-A.
 * A CPU takes the next ticket with ldrex/strex and waits until the owner
 * count reaches it: CPUs are served in the order they asked, so none
 * starves under contention. These are the ticket's primitives; when to
 * stop spinning and sleep is decided above them (boot/spinlock.c). Built
 * for one CPU (CONFIG_CPUS == 1) there is no lock at all: masking IRQs is
 * then the whole of it.
 *
 * ldrex/strex are only architecturally guaranteed on Normal cacheable,
 * shareable memory: no lock is taken before mmu_enable() has run.
 */
#ifndef ARCH_ARMV7A_SPINLOCK_H
#define ARCH_ARMV7A_SPINLOCK_H

#include "arch/sysreg.h"

#include <stdbool.h>
#include <stdint.h>

#ifndef CONFIG_CPUS
#error "CONFIG_CPUS (the most CPUs the image runs on) comes from the Makefile's SMP"
#endif

struct arch_spinlock {
    union {
        uint32_t word;
        struct {
            uint16_t owner;     /* the ticket being served */
            uint16_t next;      /* the next ticket to hand out */
        } half;
    } u;
};

#if CONFIG_CPUS > 1
/* Takes the next ticket with ldrex/strex; true if it is already the one
 * being served (the lock was free). */
static inline bool arch_spin_take_ticket(struct arch_spinlock *lock, uint16_t *ticket)
{
    uint32_t old, updated, failed;

    __asm__ volatile("1: ldrex   %0, [%3]\n\t"
                     "   add     %1, %0, #0x10000\n\t"
                     "   strex   %2, %1, [%3]\n\t"
                     "   teq     %2, #0\n\t"
                     "   bne     1b"
                     : "=&r"(old), "=&r"(updated), "=&r"(failed)
                     : "r"(&lock->u.word)
                     : "cc", "memory");
    *ticket = (uint16_t)(old >> 16);
    return (uint16_t)old == *ticket;
}

static inline uint16_t arch_spin_serving(const struct arch_spinlock *lock)
{
    return *(const volatile uint16_t *)&lock->u.half.owner;
}

/* Waits, in WFE, for the next release by any CPU (its SEV) or a while. */
static inline void arch_spin_relax(void)
{
    __asm__ volatile("wfe" ::: "memory");
}

/* After the ticket is served: nothing of the critical section before the
 * lock is ours. */
static inline void arch_spin_acquired(void)
{
    dmb_ish();
}

/* Serves the next ticket. On return the store is visible to every CPU, so
 * a load that follows sees what a waiter published before it checked. */
static inline void arch_spin_release(struct arch_spinlock *lock)
{
    dmb_ish();  /* the critical section before the next owner's */
    /* Only the holder writes owner, so a plain increment is enough. */
    *(volatile uint16_t *)&lock->u.half.owner = (uint16_t)(lock->u.half.owner + 1u);
    dsb_ish();  /* the store is visible before the waiters wake */
    __asm__ volatile("sev" ::: "memory");
}
#endif

#endif
