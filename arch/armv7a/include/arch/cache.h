/*
 * Data cache maintenance by address range, for buffers a device reads or
 * writes by DMA on a board whose DMA does not snoop the caches. Lines are
 * handled whole: a buffer should own the lines it covers.
 */
#ifndef ARCH_ARMV7A_CACHE_H
#define ARCH_ARMV7A_CACHE_H

#include "arch/sysreg.h"

#include <stddef.h>
#include <stdint.h>

/* The smallest data cache line: CTR.DminLine is log2 of it in words. */
static inline uintptr_t dcache_line_bytes(void)
{
    return 4u << ((read_ctr() >> 16) & 0xfu);
}

/* Writes dirty lines of [addr, addr + len) back to memory, so that the
 * device reads what the CPU wrote. */
static inline void dcache_clean_range(const volatile void *addr, size_t len)
{
    uintptr_t line = dcache_line_bytes();

    for (uintptr_t a = (uintptr_t)addr & ~(line - 1); a < (uintptr_t)addr + len; a += line) {
        write_dccmvac((uint32_t)a);
    }
    dsb();
}

/* Drops the cached copies of [addr, addr + len), so that the CPU reads
 * what the device wrote. */
static inline void dcache_invalidate_range(const volatile void *addr, size_t len)
{
    uintptr_t line = dcache_line_bytes();

    for (uintptr_t a = (uintptr_t)addr & ~(line - 1); a < (uintptr_t)addr + len; a += line) {
        write_dcimvac((uint32_t)a);
    }
    dsb();
}

#endif
