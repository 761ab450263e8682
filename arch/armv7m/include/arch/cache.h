/*
 * Data cache maintenance for DMA buffers (drivers/dma.h). A Cortex-M4 has
 * no data cache: what the CPU writes is in memory, and what a device
 * writes is what the CPU reads, so both are empty.
 */
#ifndef ARCH_ARMV7M_CACHE_H
#define ARCH_ARMV7M_CACHE_H

#include <stddef.h>

static inline void dcache_clean_range(const volatile void *addr, size_t len)
{
    (void)addr;
    (void)len;
}

static inline void dcache_invalidate_range(const volatile void *addr, size_t len)
{
    (void)addr;
    (void)len;
}

#endif
