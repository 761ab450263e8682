/*
 * Finding virtio-blk devices on the board's virtio-mmio transports, reading
 * their configuration and starting them; the answers callers may ask of a
 * device. The requests themselves are blk.c's.
 */
#include "drivers/virtio/blk_internal.h"
#include "drivers/irq.h"
#include "boot/kernel.h"

#include <errno.h>

/* One request's data is one buffer of at most this much (or of the
 * device's size_max): a large transfer becomes several requests, each far
 * below any device's transfer limit (QEMU fails those over 2 GiB). */
#define BLK_REQUEST_BYTES_MAX       (1024u * 1024u)
#define BLK_BLOCK_SIZE_MAX          65536u
/* A ring must hold the longest request without indirect descriptors. */
#define BLK_QUEUE_MIN               4u

struct blk_memory blk_memory;
static unsigned int device_count;
static int probe_result;
static bool probed;
static unsigned int queue_limit = VIRTQ_SIZE_MAX;

uint64_t blk_capacity(const struct blk_dev *dev)
{
    /* Locked: the IRQ handler rewrites it on a resize, in two halves. The
     * lock is not part of what const promises. */
    struct spinlock *lock = (struct spinlock *)&dev->lock;
    irq_flags_t flags = spin_lock_irqsave(lock);
    uint64_t capacity = dev->capacity;

    spin_unlock_irqrestore(lock, flags);
    return capacity;
}

uint32_t blk_block_size(const struct blk_dev *dev)
{
    return dev->block_size;
}

bool blk_read_only(const struct blk_dev *dev)
{
    return virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_RO);
}

bool blk_can_discard(const struct blk_dev *dev)
{
    return virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_DISCARD);
}

bool blk_can_write_zeroes(const struct blk_dev *dev)
{
    return virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_WRITE_ZEROES);
}

unsigned int blk_queue_size(const struct blk_dev *dev)
{
    return virtq_size(&dev->vq);
}

unsigned int blk_free_descriptors(const struct blk_dev *dev)
{
    return virtq_free_count(&dev->vq);
}

unsigned int blk_in_flight(const struct blk_dev *dev)
{
    return virtq_outstanding(&dev->vq);
}

unsigned int blk_interrupt(const struct blk_dev *dev)
{
    return dev->mmio.irq;
}

void blk_get_stats(const struct blk_dev *dev, struct blk_stats *stats)
{
    *stats = dev->stats;
    stats->ring_errors = virtq_error_count(&dev->vq);
    stats->suppressed = virtq_suppressed_count(&dev->vq);
}

void blk_describe(const struct blk_dev *dev)
{
    const struct virtio_mmio *m = &dev->mmio;

    kprintf("virtio-blk%u: virtio-mmio@%#lx irq %u, %s transport, %lu sectors (%lu KiB), "
            "block %lu, ring %u%s%s%s%s%s%s\n",
            dev->index, (unsigned long)m->base, m->irq, m->version == 1 ? "legacy" : "modern",
            (unsigned long)dev->capacity, (unsigned long)(dev->capacity / 2),
            (unsigned long)dev->block_size, virtq_size(&dev->vq),
            virtio_mmio_has(m, VIRTIO_F_EVENT_IDX) ? ", event-idx" : "",
            virtio_mmio_has(m, VIRTIO_F_INDIRECT_DESC) ? ", indirect" : "",
            virtio_mmio_has(m, VIRTIO_BLK_F_FLUSH) ? ", flush" : "",
            virtio_mmio_has(m, VIRTIO_BLK_F_DISCARD) ? ", discard" : "",
            virtio_mmio_has(m, VIRTIO_BLK_F_WRITE_ZEROES) ? ", write-zeroes" : "",
            virtio_mmio_has(m, VIRTIO_BLK_F_RO) ? ", read-only" : "");
}

int blk_set_queue_limit(unsigned int entries)
{
    if (entries < BLK_QUEUE_MIN || entries > VIRTQ_SIZE_MAX || (entries & (entries - 1)) != 0) {
        return -EINVAL;
    }
    queue_limit = entries;
    return 0;
}

/* Reads the limits from the configuration space; false if they make no
 * sense (the message says which). */
static bool read_config(struct blk_dev *dev, const char **why)
{
    struct virtio_mmio *m = &dev->mmio;

    dev->capacity = virtio_mmio_config_read64(m, VIRTIO_BLK_CFG_CAPACITY);
    dev->block_size = BLK_SECTOR_SIZE;
    if (virtio_mmio_has(m, VIRTIO_BLK_F_BLK_SIZE)) {
        dev->block_size = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_BLK_SIZE);
    }
    uint32_t bs = dev->block_size;
    if (bs < BLK_SECTOR_SIZE || bs > BLK_BLOCK_SIZE_MAX || (bs & (bs - 1)) != 0) {
        *why = "block size is not a power of two from 512 to 64 KiB";
        return false;
    }
    dev->sectors_per_block = bs / BLK_SECTOR_SIZE;

    uint32_t bytes = BLK_REQUEST_BYTES_MAX;
    if (virtio_mmio_has(m, VIRTIO_BLK_F_SIZE_MAX)) {
        uint32_t size_max = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_SIZE_MAX);
        bytes = size_max < bytes ? size_max : bytes;
    }
    dev->request_sectors_max = bytes / bs * dev->sectors_per_block;
    if (dev->request_sectors_max == 0) {
        *why = "size_max is smaller than a block";
        return false;
    }
    /* A zero maximum would be a device that offers an operation it cannot
     * do; round down to whole blocks, as every request must be. */
    if (virtio_mmio_has(m, VIRTIO_BLK_F_DISCARD)) {
        uint32_t max = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS);
        dev->discard_sectors_max = max / dev->sectors_per_block * dev->sectors_per_block;
        if (dev->discard_sectors_max == 0) {
            m->features &= ~VIRTIO_BIT(VIRTIO_BLK_F_DISCARD);
        }
    }
    if (virtio_mmio_has(m, VIRTIO_BLK_F_WRITE_ZEROES)) {
        uint32_t max = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_MAX_WZ_SECTORS);
        dev->write_zeroes_sectors_max = max / dev->sectors_per_block * dev->sectors_per_block;
        if (dev->write_zeroes_sectors_max == 0) {
            m->features &= ~VIRTIO_BIT(VIRTIO_BLK_F_WRITE_ZEROES);
        }
    }
    return true;
}

/* The largest power of two that is at most n (n > 0). */
static unsigned int power_of_two_floor(unsigned int n)
{
    unsigned int p = 1;

    while (p <= n / 2) {
        p *= 2;
    }
    return p;
}

/* Hands the request queue (its memory zeroed, as virtq_init() and
 * virtq_restart() leave it) to the device and lets the device start. */
static int start(struct blk_dev *dev)
{
    struct virtio_mmio *m = &dev->mmio;
    int err = virtio_mmio_queue_setup(m, 0, virtq_size(&dev->vq), virtq_desc_addr(&dev->vq),
                                      virtq_avail_addr(&dev->vq), virtq_used_addr(&dev->vq));
    if (err != 0) {
        virtio_mmio_fail(m, "request queue setup failed");
        return err;
    }
    virtio_mmio_driver_ok(m);
    return 0;
}

int blk_reset(struct blk_dev *dev)
{
    uint64_t features = dev->mmio.features;

    /* The negotiation begins with the reset; the configuration read at
     * probe time holds for the same features. */
    return virtio_mmio_negotiate(&dev->mmio, features, features);
}

int blk_restart(struct blk_dev *dev)
{
    virtq_restart(&dev->vq);
    return start(dev);
}

static int setup(struct blk_dev *dev, unsigned int index)
{
    struct virtio_mmio *m = &dev->mmio;
    const uint64_t wanted = VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_RO) |
                            VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |
                            VIRTIO_BIT(VIRTIO_BLK_F_DISCARD) |
                            VIRTIO_BIT(VIRTIO_BLK_F_WRITE_ZEROES) |
                            VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
    const char *why = NULL;

    dev->lock = (struct spinlock)SPINLOCK_INIT("virtio-blk");
    dev->index = index;
    dev->reqs = blk_memory.requests[index];
    dev->timeout_ns = BLK_TIMEOUT_DEFAULT_NS;
    co_queue_init(&dev->desc_waiters);
    int err = virtio_mmio_negotiate(m, wanted, 0);
    if (err != 0) {
        return err;
    }
    if (!read_config(dev, &why)) {
        virtio_mmio_fail(m, why);
        return -EIO;
    }
    unsigned int max = virtio_mmio_queue_max(m, 0);
    if (max == 0) {
        virtio_mmio_fail(m, "request queue 0 is not available");
        return -EIO;
    }
    unsigned int size = power_of_two_floor(max < queue_limit ? max : queue_limit);
    if (size < BLK_QUEUE_MIN) {
        virtio_mmio_fail(m, "request queue has fewer than 4 entries");
        return -EIO;
    }
    unsigned int flags = (virtio_mmio_has(m, VIRTIO_F_EVENT_IDX) ? VIRTQ_INIT_EVENT_IDX : 0u) |
                         (virtio_mmio_has(m, VIRTIO_F_INDIRECT_DESC) ? VIRTQ_INIT_INDIRECT : 0u);
    err = virtq_init(&dev->vq, size, blk_memory.rings[index].bytes, flags);
    if (err != 0) {
        virtio_mmio_fail(m, "request queue setup failed");
        return err;
    }
    err = start(dev);
    if (err != 0) {
        return err;
    }
    /* The id is read by polling, with the interrupt still disabled at the
     * controller (it raises one all the same: acknowledged here), so that
     * blk_get_id() never blocks and works from main(). */
    err = blk_read_id(dev);
    if (err == -ETIMEDOUT) {
        virtio_mmio_fail(m, "the id request was never answered");
        return -EIO;
    }
    virtio_mmio_interrupt_ack(m);
    err = irq_register(m->irq, blk_irq, dev);
    if (err != 0) {
        virtio_mmio_fail(m, "its interrupt is taken");
        return err;
    }
    return 0;
}

int blk_probe(void)
{
    unsigned int transport_count = virtio_mmio_transport_count();

    if (probed) {
        return probe_result;
    }
    probed = true;
    unsigned int others = 0;

    blk_requests_init();
    for (unsigned int i = 0; i < transport_count; i++) {
        const struct virtio_mmio_transport *transport = virtio_mmio_transport(i);
        struct virtio_mmio found;
        if (virtio_mmio_probe(&found, transport) != 0) {
            continue;
        }
        if (found.device_id != VIRTIO_ID_BLOCK) {
            others++;
            continue;
        }
        if (device_count == BLK_MAX_DEVICES) {
            kprintf("virtio-blk: virtio-mmio@%#lx ignored: BLK_MAX_DEVICES (%u) are in use\n",
                    (unsigned long)transport->base, BLK_MAX_DEVICES);
            continue;
        }
        struct blk_dev *dev = &blk_memory.devices[device_count];
        dev->mmio = found;
        if (setup(dev, device_count) == 0) {
            blk_describe(dev);
            device_count++;
        }
    }
    if (device_count == 0) {
        kprintf("virtio-blk: no block device on any of the %u virtio-mmio transports; "
                "other virtio devices: %u\n",
                transport_count, others);
        probe_result = -ENODEV;
    } else {
        probe_result = (int)device_count;
    }
    return probe_result;
}

unsigned int blk_count(void)
{
    return device_count;
}

struct blk_dev *blk_get(unsigned int index)
{
    return index < device_count ? &blk_memory.devices[index] : NULL;
}
