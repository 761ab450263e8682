/*
 * The checks a transfer's arguments pass before the block layer hands it
 * to a driver (drivers/blk.h lists what each errno means). Arithmetic on
 * the arguments and the device's geometry alone, so that they build
 * anywhere: the host fuzzes blk_check_transfer() with inputs chosen to
 * overflow (tests/fuzz/blk_check_fuzz.c).
 */
#ifndef BLK_CHECK_H
#define BLK_CHECK_H

#include "drivers/blk.h"
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

/* -EFAULT unless the transfer may move `count` sectors at buf: none of
 * the driver's own [own, own + own_bytes), and, when the device does the
 * transfer's DMA itself (dma), memory the board says devices reach, not
 * the image's code when the device writes it (drivers/dma.h); when the
 * driver moves the data (programmed I/O), a buffer that does not run off
 * the end of memory. */
static inline int blk_check_buffer(const void *buf, size_t count, bool dma, bool device_writes,
                                   const void *own, size_t own_bytes)
{
    if (count > SIZE_MAX / BLK_SECTOR_SIZE) {
        return -EFAULT;
    }
    uintptr_t start = (uintptr_t)buf, own_start = (uintptr_t)own;
    size_t bytes = count * BLK_SECTOR_SIZE;
    bool reached = dma ? dma_buffer_ok(buf, bytes, device_writes) : bytes <= UINTPTR_MAX - start;

    if (!reached || (start < own_start + own_bytes && start + bytes > own_start)) {
        return -EFAULT;
    }
    return 0;
}

/* A read's or a write's checks of a non-NULL buffer, in the order the
 * layer makes them: whole blocks (-EINVAL), then on the disk (-ERANGE),
 * then memory the device may reach (-EFAULT). */
static inline __attribute__((always_inline)) int
blk_check_transfer(uint32_t sectors_per_block, uint64_t capacity, uint64_t sector,
                   const void *buf, size_t count, bool dma, bool device_writes, const void *own,
                   size_t own_bytes)
{
    int err = blk_check_blocks(sectors_per_block, sector, count);

    if (err == 0) {
        err = blk_check_range(capacity, sector, count);
    }
    if (err == 0) {
        err = blk_check_buffer(buf, count, dma, device_writes, own, own_bytes);
    }
    return err;
}

#endif
