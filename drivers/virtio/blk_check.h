/*
 * The checks a transfer's arguments pass before anything reaches the
 * device (blk.h lists what each errno means). Arithmetic on the arguments
 * and the device's geometry alone, so that they build anywhere: the host
 * fuzzes them with inputs chosen to overflow (tests/fuzz/blk_check_fuzz.c).
 */
#ifndef DRIVERS_VIRTIO_BLK_CHECK_H
#define DRIVERS_VIRTIO_BLK_CHECK_H

#include "drivers/virtio/blk.h"
#include "drivers/dma.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* -EINVAL unless `count` sectors from `sector` make whole blocks
 * (sectors_per_block: a power of two). */
static inline int blk_check_blocks(uint32_t sectors_per_block, uint64_t sector, uint64_t count)
{
    if (count == 0 || ((sector | count) & (sectors_per_block - 1)) != 0) {
        return -EINVAL;
    }
    return 0;
}

/* -ERANGE unless every one of the sectors is on a device of `capacity`. */
static inline int blk_check_range(uint64_t capacity, uint64_t sector, uint64_t count)
{
    /* Written so that nothing overflows: sector + count may not fit. */
    if (sector > capacity || count > capacity - sector) {
        return -ERANGE;
    }
    return 0;
}

/* -EFAULT unless the device may do this transfer's DMA on `count`
 * sectors at buf: memory the board says devices reach, not the image's
 * code when the device writes it (drivers/dma.h), and none of the
 * driver's own [own, own + own_bytes). */
static inline int blk_check_buffer(const void *buf, size_t count, bool device_writes,
                                   const void *own, size_t own_bytes)
{
    if (count > SIZE_MAX / BLK_SECTOR_SIZE) {
        return -EFAULT;
    }
    uintptr_t start = (uintptr_t)buf, own_start = (uintptr_t)own;
    size_t bytes = count * BLK_SECTOR_SIZE;

    if (!dma_buffer_ok(buf, bytes, device_writes) ||
        (start < own_start + own_bytes && start + bytes > own_start)) {
        return -EFAULT;
    }
    return 0;
}

#endif
