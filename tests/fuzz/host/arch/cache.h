/*
 * The host build's arch/cache.h, for drivers/dma.h: the host is coherent
 * (DMA_COHERENT is 1), so dma.h never calls these; they only have to exist.
 */
#ifndef FUZZ_HOST_ARCH_CACHE_H
#define FUZZ_HOST_ARCH_CACHE_H

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
