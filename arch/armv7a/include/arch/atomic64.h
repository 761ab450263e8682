/*
 * 64-bit values that another CPU or an interrupt handler may rewrite
 * while they are read: neither ever sees half of an old value and half
 * of a new one. With LPAE (Cortex-A7, Cortex-A15) an aligned LDRD is one
 * single-copy atomic access, so a load costs one instruction; a store is
 * an LDREXD/STREXD loop.
 */
#ifndef ARCH_ARMV7A_ATOMIC64_H
#define ARCH_ARMV7A_ATOMIC64_H

#include <stdint.h>

static inline uint64_t atomic64_load(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void atomic64_store(uint64_t *p, uint64_t value)
{
    __atomic_store_n(p, value, __ATOMIC_RELAXED);
}

#endif
