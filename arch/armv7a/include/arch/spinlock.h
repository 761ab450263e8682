/*
 * The ticket lock under every spinlock (boot/spinlock.h), for ARMv7-A.
 * A CPU takes the next ticket with ldrex/strex and waits, in WFE, until the
 * owner count reaches it: CPUs are served in the order they asked, so none
 * starves under contention. Built for one CPU (CONFIG_CPUS == 1) it is
 * nothing at all: masking IRQs is then the whole lock.
 *
 * ldrex/strex are only architecturally guaranteed on Normal cacheable,
 * shareable memory: no lock is taken before mmu_enable() has run.
 */
#ifndef ARCH_ARMV7A_SPINLOCK_H
#define ARCH_ARMV7A_SPINLOCK_H

#include "arch/sysreg.h"

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
static inline void arch_spin_lock(struct arch_spinlock *lock)
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
    uint16_t ticket = (uint16_t)(old >> 16);
    while ((uint16_t)old != ticket) {
        __asm__ volatile("wfe" ::: "memory");
        old = *(volatile uint16_t *)&lock->u.half.owner;
    }
    dmb_ish();  /* nothing of the critical section before the lock is ours */
}

static inline void arch_spin_unlock(struct arch_spinlock *lock)
{
    dmb_ish();  /* the critical section before the next owner's */
    /* Only the holder writes owner, so a plain increment is enough. */
    *(volatile uint16_t *)&lock->u.half.owner = (uint16_t)(lock->u.half.owner + 1u);
    dsb_ish();  /* the store is visible before the waiters wake */
    __asm__ volatile("sev" ::: "memory");
}
#else
static inline void arch_spin_lock(struct arch_spinlock *lock)
{
    (void)lock;
}

static inline void arch_spin_unlock(struct arch_spinlock *lock)
{
    (void)lock;
}
#endif

#endif
