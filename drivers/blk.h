/*
 * Block devices, for any block driver: the kernel's block layer (blk/blk.c)
 * keeps the devices the drivers registered, checks every call's arguments
 * once, and hands what is valid to the device's driver (blk/device.h).
 * This header is all an application needs, on every board:
 *
 *     struct blk_dev *disk = blk_find("virtio0");      or blk_get(0)
 *     int err = blk_read(disk, lba, buf, 8);            8 sectors of 512 bytes
 *
 * The devices are found the first time anyone asks for one (blk_count(),
 * blk_get(), blk_find()): ask first from main(), before co_run() starts
 * the other CPUs, as the probe reads each device by polling. A board with
 * no block device, or none attached, has none: blk_get() and blk_find()
 * return NULL, and every call on a NULL device returns -ENODEV (the
 * queries 0, false or NULL), so that an application that wants a disk is
 * told at run time that there is none.
 *
 * The transfers block the calling coroutine (the main loop, co_run(), runs
 * others meanwhile) and return 0 or a negative errno. Arguments are
 * checked, in this order, before anything reaches the device: -ENODEV for
 * a NULL device; -EINVAL for a NULL buffer; -ENOTSUP for a discard or
 * write-zeroes the device does not offer; -EROFS for a write, discard or
 * write-zeroes to a read-only device; -EINVAL for a zero count or a range
 * not in whole blocks of the device; -ERANGE for sectors past the end (or
 * a range that overflows); -EFAULT for a buffer that overlaps the
 * driver's own memory or runs off the end of memory, and, on a device
 * that does its own DMA, one it may not reach (drivers/dma.h: outside the
 * memory the board gives devices) or a read into the image's code or
 * read-only data. What the device makes of a valid
 * request is the driver's to say: -EIO when it fails one or breaks its
 * protocol, -ENOTSUP when it refuses one, -ETIMEDOUT when it does not
 * answer in time (drivers/virtio/blk.h for virtio-blk).
 *
 * Buffers are used in place for DMA: they must stay untouched until the
 * call returns. Sector numbers and counts are in 512-byte sectors whatever
 * the device's block size.
 */
#ifndef DRIVERS_BLK_H
#define DRIVERS_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLK_SECTOR_SIZE     512u
#define BLK_ID_BYTES        20u     /* the device id string, not counting a NUL */

struct blk_dev;

/* How many devices there are; device `index` in the order the drivers
 * found them, NULL past the last; the device called `name` ("virtio0":
 * the first virtio-blk disk), NULL if none is (or name is NULL); a
 * device's name, NULL for a NULL device. Any context once the devices are
 * found (above). */
unsigned int blk_count(void);
struct blk_dev *blk_get(unsigned int index);
struct blk_dev *blk_find(const char *name);
const char *blk_name(const struct blk_dev *dev);

int blk_read(struct blk_dev *dev, uint64_t sector, void *buf, size_t count);
int blk_write(struct blk_dev *dev, uint64_t sector, const void *buf, size_t count);
/* Makes completed writes durable (0 at once on a write-through device). */
int blk_flush(struct blk_dev *dev);
/* The device may forget these sectors / must read them as zeroes after
 * this; -ENOTSUP if it does not offer the operation. */
int blk_discard(struct blk_dev *dev, uint64_t sector, uint64_t count);
int blk_write_zeroes(struct blk_dev *dev, uint64_t sector, uint64_t count);

/* The device's id string (QEMU: the serial property), NUL-terminated and
 * cut to size - 1 characters; BLK_ID_BYTES + 1 bytes hold all of it.
 * -EINVAL for a NULL buffer or a size of 0; the driver's errno if the
 * device has none. Never blocks (drivers read it when they find the
 * device), so it works from main() too. */
int blk_get_id(struct blk_dev *dev, char *buf, size_t size);

/* Capacity in 512-byte sectors; the block size in bytes (transfers are
 * whole blocks); how many requests the device takes at once before more
 * callers wait (1 at least). Any context. */
uint64_t blk_capacity(const struct blk_dev *dev);
uint32_t blk_block_size(const struct blk_dev *dev);
unsigned int blk_queue_depth(const struct blk_dev *dev);
bool blk_read_only(const struct blk_dev *dev);
bool blk_can_discard(const struct blk_dev *dev);
bool blk_can_write_zeroes(const struct blk_dev *dev);

#endif
