/*
 * The kernel's block layer: the devices the board's drivers found, and
 * drivers/blk.h's calls on them, each argument checked here once
 * (blk/check.h) before the device's driver is called (blk/device.h). A
 * transfer is the checks, inlined, and one call through the driver's
 * table.
 */
#include "blk/device.h"
#include "blk/check.h"
#include "arch/atomic64.h"
#include "boot/spinlock.h"

#include <errno.h>
#include <string.h>

#define BLK_PROBES_MAX 4u

static struct blk_dev *devices[BLK_DEVICES_MAX];
static unsigned int device_count;

static blk_probe_fn probes[BLK_PROBES_MAX];
static unsigned int probe_count;
/* Set once every probe has run; the lock keeps a second CPU that asks
 * meanwhile until they have. */
static bool probed;
static struct spinlock probe_lock = SPINLOCK_INIT("blk probe");

void blk_add_probe(blk_probe_fn probe)
{
    if (probe_count < BLK_PROBES_MAX) {
        probes[probe_count++] = probe;
    }
}

int blk_register(struct blk_dev *dev)
{
    if (dev->ops == NULL || dev->name == NULL) {
        return -EINVAL;
    }
    if (device_count == BLK_DEVICES_MAX) {
        return -ENOSPC;
    }
    for (unsigned int i = 0; i < device_count; i++) {
        if (strcmp(devices[i]->name, dev->name) == 0) {
            return -EEXIST;
        }
    }
    devices[device_count] = dev;
    /* Whole before another CPU can count it. */
    __atomic_store_n(&device_count, device_count + 1, __ATOMIC_RELEASE);
    return 0;
}

/* The first question about the devices finds them. */
static void find_devices(void)
{
    if (__atomic_load_n(&probed, __ATOMIC_ACQUIRE)) {
        return;
    }
    irq_flags_t flags = spin_lock_irqsave(&probe_lock);
    if (!probed) {
        for (unsigned int i = 0; i < probe_count; i++) {
            (void)probes[i]();      /* each driver says itself what it found */
        }
        __atomic_store_n(&probed, true, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&probe_lock, flags);
}

unsigned int blk_count(void)
{
    find_devices();
    return __atomic_load_n(&device_count, __ATOMIC_ACQUIRE);
}

struct blk_dev *blk_get(unsigned int index)
{
    return index < blk_count() ? devices[index] : NULL;
}

struct blk_dev *blk_find(const char *name)
{
    unsigned int count = blk_count();

    for (unsigned int i = 0; name != NULL && i < count; i++) {
        if (strcmp(devices[i]->name, name) == 0) {
            return devices[i];
        }
    }
    return NULL;
}

const char *blk_name(const struct blk_dev *dev)
{
    return dev != NULL ? dev->name : NULL;
}

/* The capacity, whole, without a lock, which would cost a transfer more
 * than its checks: a resize may rewrite it meanwhile. */
static inline uint64_t capacity_of(const struct blk_dev *dev)
{
    return atomic64_load(&dev->capacity);
}

void blk_set_capacity(struct blk_dev *dev, uint64_t sectors)
{
    atomic64_store(&dev->capacity, sectors);
}

/* A read's or a write's checks; the direction a constant once inlined. */
static inline __attribute__((always_inline)) int transfer_checks(const struct blk_dev *dev,
                                                                  uint64_t sector,
                                                                  const void *buf,
                                                                  size_t count, bool write)
{
    if (dev == NULL || buf == NULL) {
        return dev == NULL ? -ENODEV : -EINVAL;
    }
    if (write && dev->read_only) {
        return -EROFS;
    }
    return blk_check_transfer(dev->sectors_per_block, capacity_of(dev), sector, buf, count,
                              !dev->pio, !write, dev->own, dev->own_bytes);
}

int blk_read(struct blk_dev *dev, uint64_t sector, void *buf, size_t count)
{
    int err = transfer_checks(dev, sector, buf, count, false);

    return err != 0 ? err : dev->ops->read(dev, sector, buf, count);
}

int blk_write(struct blk_dev *dev, uint64_t sector, const void *buf, size_t count)
{
    int err = transfer_checks(dev, sector, buf, count, true);

    return err != 0 ? err : dev->ops->write(dev, sector, buf, count);
}

int blk_flush(struct blk_dev *dev)
{
    return dev != NULL ? dev->ops->flush(dev) : -ENODEV;
}

/* DISCARD's and WRITE_ZEROES' checks: whether the device offers it, then
 * as a transfer's without a buffer. */
static int range_checks(const struct blk_dev *dev, bool offered, uint64_t sector, uint64_t count)
{
    if (!offered) {
        return -ENOTSUP;
    }
    if (dev->read_only) {
        return -EROFS;
    }
    int err = blk_check_blocks(dev->sectors_per_block, sector, count);
    if (err == 0) {
        err = blk_check_range(capacity_of(dev), sector, count);
    }
    return err;
}

int blk_discard(struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    if (dev == NULL) {
        return -ENODEV;
    }
    int err = range_checks(dev, dev->can_discard, sector, count);
    return err != 0 ? err : dev->ops->discard(dev, sector, count);
}

int blk_write_zeroes(struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    if (dev == NULL) {
        return -ENODEV;
    }
    int err = range_checks(dev, dev->can_write_zeroes, sector, count);
    return err != 0 ? err : dev->ops->write_zeroes(dev, sector, count);
}

int blk_get_id(struct blk_dev *dev, char *buf, size_t size)
{
    char id[BLK_ID_BYTES];

    if (dev == NULL) {
        return -ENODEV;
    }
    if (buf == NULL || size == 0) {
        return -EINVAL;
    }
    int err = dev->ops->get_id(dev, id);
    if (err != 0) {
        return err;
    }
    /* NUL-terminated only when shorter than the field. */
    size_t len = 0;
    while (len < sizeof(id) && len + 1 < size && id[len] != '\0') {
        len++;
    }
    memcpy(buf, id, len);
    buf[len] = '\0';
    return 0;
}

uint64_t blk_capacity(const struct blk_dev *dev)
{
    return dev != NULL ? capacity_of(dev) : 0;
}

uint32_t blk_block_size(const struct blk_dev *dev)
{
    return dev != NULL ? dev->sectors_per_block * BLK_SECTOR_SIZE : 0;
}

unsigned int blk_queue_depth(const struct blk_dev *dev)
{
    return dev != NULL ? dev->queue_depth : 0;
}

bool blk_read_only(const struct blk_dev *dev)
{
    return dev != NULL && dev->read_only;
}

bool blk_can_discard(const struct blk_dev *dev)
{
    return dev != NULL && dev->can_discard;
}

bool blk_can_write_zeroes(const struct blk_dev *dev)
{
    return dev != NULL && dev->can_write_zeroes;
}
