/*
 * The DMA seam: how a device sees the memory a driver hands it. Every
 * address a driver gives a device is made by dma_address(); every buffer a
 * device reads is synced for the device before it is published, and every
 * buffer it writes is synced for the CPU before it is read.
 *
 * What is true of the board comes from its board.mk, through the build:
 *   DMA_BUS_OFFSET  what a device adds to a CPU address (0 on virt)
 *   DMA_COHERENT    1 if device accesses snoop the CPU's caches (virt,
 *                   where QEMU's DMA is coherent): the syncs are no-ops
 *                   and compile to nothing. 0: they clean and invalidate
 *                   the data cache by line, so a buffer must own the lines
 *                   it covers (DMA_ALIGN).
 */
#ifndef DRIVERS_DMA_H
#define DRIVERS_DMA_H

#include "arch/cache.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef DMA_BUS_OFFSET
#define DMA_BUS_OFFSET 0
#endif
#ifndef DMA_COHERENT
#define DMA_COHERENT 1
#endif

/* The largest cache line of the CPUs we run on (Cortex-A7/A15: 64 bytes):
 * memory a device writes while the CPU writes its neighbour is kept this
 * far apart. */
#define DMA_ALIGN 64u

/* From the layout (linker/<board>-<layout>.ld.S, linker/sections.ld.h):
 * the memory a device may reach, and where in it a device may write, past
 * the image's code and read-only data. */
extern const char __dma_start[], __dma_end[], __dma_write_start[];

/* Whether a device may read [p, p + len), or with device_writes write it
 * too: wholly inside the memory the board says devices reach (exact at
 * the ends, nothing wraps), and, for a write, not in the image's code or
 * read-only data. */
static inline bool dma_buffer_ok(const volatile void *p, size_t len, bool device_writes)
{
    uintptr_t low = (uintptr_t)(device_writes ? __dma_write_start : __dma_start);
    /* Below low, the offset wraps past the size: one compare. */
    uintptr_t offset = (uintptr_t)p - low, size = (uintptr_t)__dma_end - low;

    return offset <= size && len <= size - offset;
}

/* A device-side address: virtio descriptors carry 64 bits. */
typedef uint64_t dma_addr_t;

static inline dma_addr_t dma_address(const volatile void *cpu)
{
    return (dma_addr_t)((uintptr_t)cpu + DMA_BUS_OFFSET);
}

/* Before the device reads [p, p + len), or writes it: what the CPU wrote
 * reaches memory, and no dirty line is left to be written back over what
 * the device writes. */
static inline void dma_sync_for_device(const volatile void *p, size_t len)
{
    if (!DMA_COHERENT) {
        dcache_clean_range(p, len);
    }
}

/* After the device wrote [p, p + len), before the CPU reads it. */
static inline void dma_sync_for_cpu(const volatile void *p, size_t len)
{
    if (!DMA_COHERENT) {
        dcache_invalidate_range(p, len);
    }
}

#endif
