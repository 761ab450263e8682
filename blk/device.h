/*
 * What a block driver gives the kernel's block layer (blk/blk.c): a
 * constant table of operations, and for each device it finds a struct
 * blk_dev with its geometry, registered with blk_register(). The geometry
 * is data, not operations: every transfer's checks read it, and a call
 * through the table for each part of it would cost more than the checks. The layer
 * keeps the devices, answers drivers/blk.h's calls and checks their
 * arguments (blk/check.h); an operation is called only with arguments that
 * passed, on a device that is not NULL, so a driver checks none of them.
 * A driver makes the struct blk_dev the first member of its own device,
 * which an operation then finds by a cast.
 */
#ifndef BLK_DEVICE_H
#define BLK_DEVICE_H

#include "drivers/blk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most devices the layer keeps, of all drivers together. */
#define BLK_DEVICES_MAX 8u

struct blk_ops {
    /* count sectors, whole blocks on the disk, from or into memory the
     * device may reach; may block (from a coroutine). */
    int (*read)(struct blk_dev *dev, uint64_t sector, void *buf, size_t count);
    int (*write)(struct blk_dev *dev, uint64_t sector, const void *buf, size_t count);
    int (*flush)(struct blk_dev *dev);
    /* Only on a device whose can_discard / can_write_zeroes is set. */
    int (*discard)(struct blk_dev *dev, uint64_t sector, uint64_t count);
    int (*write_zeroes)(struct blk_dev *dev, uint64_t sector, uint64_t count);
    /* Copies the device's BLK_ID_BYTES of id (NUL-padded, not
     * NUL-terminated when it fills them) into id; 0, or the errno that
     * kept the driver from reading it. Never blocks. */
    int (*get_id)(const struct blk_dev *dev, char id[BLK_ID_BYTES]);
};

struct blk_dev {
    const struct blk_ops *ops;
    /* The capacity in 512-byte sectors: blk_set_capacity()'s. */
    uint64_t capacity;
    /* The rest of the geometry, filled in by the driver before
     * blk_register() and constant after it. */
    uint32_t sectors_per_block;     /* a power of two */
    unsigned int queue_depth;       /* requests the device takes at once */
    bool read_only;
    bool can_discard;
    bool can_write_zeroes;
    /* The driver moves the data itself (programmed I/O), so a buffer
     * need not be memory a device reaches (drivers/dma.h); false for a
     * device that does its own DMA, whose buffers must be. */
    bool pio;
    /* The driver's own memory (its devices, rings, request headers),
     * which no transfer may read into or write from. */
    const void *own;
    size_t own_bytes;
    const char *name;               /* unique among the devices */
};

/* Adds dev, filled in, to the devices drivers/blk.h finds: it is
 * blk_get(blk_count() - 1) after this. -EINVAL without ops or a name,
 * -ENOSPC when BLK_DEVICES_MAX are registered, -EEXIST when another has
 * its name. On the first CPU,
 * before the others run anything (from a probe, below). */
int blk_register(struct blk_dev *dev);

/* Sets the capacity: before blk_register(), and again when the device
 * changes size (any context; no caller ever sees half of the change). */
void blk_set_capacity(struct blk_dev *dev, uint64_t sectors);

/* A board's block driver's search for its devices: each found is
 * registered; returns how many, or a negative errno. */
typedef int (*blk_probe_fn)(void);

/* Called by board_init() for each block driver the board has: the layer
 * runs each probe once, in this order, the first time a device is asked
 * for. */
void blk_add_probe(blk_probe_fn probe);

#endif
