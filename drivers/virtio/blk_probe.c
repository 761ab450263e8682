/*
 * Finding virtio-blk devices on the board's virtio-mmio transports, reading
 * their configuration, starting them and registering them with the block
 * layer; the answers callers may ask of a device's queue. The requests
 * themselves are blk.c's.
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

unsigned int blk_queue_size(const struct blk_dev *blk)
{
    const struct virtio_blk *dev = virtio_blk_checked(blk);

    return dev != NULL ? virtq_size(&dev->vq) : 0;
}

unsigned int blk_free_descriptors(const struct blk_dev *blk)
{
    const struct virtio_blk *dev = virtio_blk_checked(blk);

    return dev != NULL ? virtq_free_count(&dev->vq) : 0;
}

unsigned int blk_in_flight(const struct blk_dev *blk)
{
    const struct virtio_blk *dev = virtio_blk_checked(blk);

    return dev != NULL ? virtq_outstanding(&dev->vq) : 0;
}

unsigned int blk_interrupt(const struct blk_dev *blk)
{
    const struct virtio_blk *dev = virtio_blk_checked(blk);

    return dev != NULL ? dev->mmio.irq : 0;
}

void blk_get_stats(const struct blk_dev *blk, struct blk_stats *stats)
{
    const struct virtio_blk *dev = virtio_blk_checked(blk);

    if (dev == NULL) {
        *stats = (struct blk_stats){ 0 };
        return;
    }
    *stats = dev->stats;
    stats->ring_errors = virtq_error_count(&dev->vq);
    stats->suppressed = virtq_suppressed_count(&dev->vq);
}

void blk_describe(const struct blk_dev *blk)
{
    const struct virtio_blk *dev = virtio_blk_checked(blk);

    if (dev == NULL) {
        return;
    }
    const struct virtio_mmio *m = &dev->mmio;

    kprintf("virtio-blk%u: virtio-mmio@%#lx irq %u, %s transport, %lu sectors (%lu KiB), "
            "block %lu, ring %u%s%s%s%s%s%s\n",
            dev->index, (unsigned long)m->base, m->irq, m->version == 1 ? "legacy" : "modern",
            (unsigned long)blk_capacity(blk), (unsigned long)(blk_capacity(blk) / 2),
            (unsigned long)blk_block_size(blk), virtq_size(&dev->vq),
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
static bool read_config(struct virtio_blk *dev, const char **why)
{
    struct virtio_mmio *m = &dev->mmio;

    blk_set_capacity(&dev->blk, virtio_mmio_config_read64(m, VIRTIO_BLK_CFG_CAPACITY));
    uint32_t bs = BLK_SECTOR_SIZE;
    if (virtio_mmio_has(m, VIRTIO_BLK_F_BLK_SIZE)) {
        bs = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_BLK_SIZE);
    }
    if (bs < BLK_SECTOR_SIZE || bs > BLK_BLOCK_SIZE_MAX || (bs & (bs - 1)) != 0) {
        *why = "block size is not a power of two from 512 to 64 KiB";
        return false;
    }
    uint32_t sectors_per_block = bs / BLK_SECTOR_SIZE;
    dev->blk.sectors_per_block = sectors_per_block;

    uint32_t bytes = BLK_REQUEST_BYTES_MAX;
    if (virtio_mmio_has(m, VIRTIO_BLK_F_SIZE_MAX)) {
        uint32_t size_max = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_SIZE_MAX);
        bytes = size_max < bytes ? size_max : bytes;
    }
    dev->request_sectors_max = bytes / bs * sectors_per_block;
    if (dev->request_sectors_max == 0) {
        *why = "size_max is smaller than a block";
        return false;
    }
    /* A zero maximum would be a device that offers an operation it cannot
     * do; round down to whole blocks, as every request must be. */
    if (virtio_mmio_has(m, VIRTIO_BLK_F_DISCARD)) {
        uint32_t max = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS);
        dev->discard_sectors_max = max / sectors_per_block * sectors_per_block;
        if (dev->discard_sectors_max == 0) {
            m->features &= ~VIRTIO_BIT(VIRTIO_BLK_F_DISCARD);
        }
    }
    if (virtio_mmio_has(m, VIRTIO_BLK_F_WRITE_ZEROES)) {
        uint32_t max = virtio_mmio_config_read32(m, VIRTIO_BLK_CFG_MAX_WZ_SECTORS);
        dev->write_zeroes_sectors_max = max / sectors_per_block * sectors_per_block;
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
static int start(struct virtio_blk *dev)
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

int blk_reset(struct virtio_blk *dev)
{
    uint64_t features = dev->mmio.features;

    /* The negotiation begins with the reset; the configuration read at
     * probe time holds for the same features. */
    return virtio_mmio_negotiate(&dev->mmio, features, features);
}

int blk_restart(struct virtio_blk *dev)
{
    virtq_restart(&dev->vq);
    return start(dev);
}

/* What the block layer knows of the device (its sectors_per_block is
 * read_config()'s): virtio0, virtio1, ... in probe order. */
static void describe_to_layer(struct virtio_blk *dev, unsigned int index)
{
    static const char *const names[] = { "virtio0", "virtio1", "virtio2", "virtio3" };
    struct blk_dev *blk = &dev->blk;
    const struct virtio_mmio *m = &dev->mmio;

    _Static_assert(sizeof(names) / sizeof(names[0]) == BLK_MAX_DEVICES, "a name for each device");
    blk->name = names[index];
    blk->ops = &virtio_blk_ops;
    blk->read_only = virtio_mmio_has(m, VIRTIO_BLK_F_RO);
    blk->can_discard = virtio_mmio_has(m, VIRTIO_BLK_F_DISCARD);
    blk->can_write_zeroes = virtio_mmio_has(m, VIRTIO_BLK_F_WRITE_ZEROES);
    /* A read or a write is a chain of three. */
    blk->queue_depth = virtq_size(&dev->vq) / virtq_descs_needed(&dev->vq, BLK_SEGS_MAX);
    blk->own = &blk_memory;
    blk->own_bytes = sizeof(blk_memory);
}

static int setup(struct virtio_blk *dev, unsigned int index)
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
    describe_to_layer(dev, index);
    err = blk_register(&dev->blk);
    if (err != 0) {
        irq_unregister(m->irq);
        virtio_mmio_fail(m, "the block layer has no room for it");
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
        struct virtio_blk *dev = &blk_memory.devices[device_count];
        dev->mmio = found;
        if (setup(dev, device_count) == 0) {
            blk_describe(&dev->blk);
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

unsigned int virtio_blk_count(void)
{
    return device_count;
}
