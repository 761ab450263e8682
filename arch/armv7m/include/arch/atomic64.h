/*
 * 64-bit values that an interrupt handler may rewrite while they are
 * read: neither side ever sees half of an old value and half of a new
 * one. ARMv7-M has no 64-bit single-copy atomic access, and one CPU
 * (board/facts.h): the two halves are moved with IRQs masked.
 */
#ifndef ARCH_ARMV7M_ATOMIC64_H
#define ARCH_ARMV7M_ATOMIC64_H

#include "arch/cpu.h"

#include <stdint.h>

#if CONFIG_CPUS > 1
#error "arch/atomic64.h: ARMv7-M's 64-bit moves hold for one CPU only"
#endif

static inline uint64_t atomic64_load(const uint64_t *p)
{
    irq_flags_t flags = irq_save();
    uint64_t value = *(const volatile uint64_t *)p;

    irq_restore(flags);
    return value;
}

static inline void atomic64_store(uint64_t *p, uint64_t value)
{
    irq_flags_t flags = irq_save();

    *(volatile uint64_t *)p = value;
    irq_restore(flags);
}

#endif
