/*
 * The virtio-mmio transport: registers, status handshake, feature
 * negotiation and queue setup for legacy (Version 1) and modern (Version 2)
 * devices. Layout from the virtio 1.x specification, section 4.2.2 (modern)
 * and 4.2.4 (legacy).
 */
#include "drivers/virtio/mmio.h"
#include "arch/sysreg.h"
#include "boot/kernel.h"

#include <errno.h>

/* Register offsets; "legacy"/"modern" where only one layout has it. */
#define VIRTIO_MMIO_MAGIC               0x000   /* "virt" */
#define VIRTIO_MMIO_VERSION             0x004   /* 1 legacy, 2 modern */
#define VIRTIO_MMIO_DEVICE_ID           0x008   /* 0: no device behind the transport */
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010   /* 32 feature bits, chosen by ...SEL */
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_GUEST_PAGE_SIZE     0x028   /* legacy: unit of QUEUE_PFN */
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_ALIGN         0x03c   /* legacy: alignment of the used ring */
#define VIRTIO_MMIO_QUEUE_PFN           0x040   /* legacy: ring address / page size */
#define VIRTIO_MMIO_QUEUE_READY         0x044   /* modern */
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080   /* modern: the three ring addresses */
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc   /* modern: changes when config does */
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC_VALUE         0x74726976u     /* "virt", little-endian */
#define VIRTIO_MMIO_VERSION_LEGACY      1u
#define VIRTIO_MMIO_VERSION_MODERN      2u

/* Legacy queues: the device finds avail and used from the PFN, the size
 * and this alignment. */
#define VIRTIO_MMIO_LEGACY_PAGE         4096u

/* A device that does not finish a reset in this many reads is broken. */
#define VIRTIO_MMIO_RESET_POLLS         1000000u

static uint32_t reg_read(const struct virtio_mmio *dev, unsigned int offset)
{
    return *(volatile uint32_t *)(dev->base + offset);
}

static void reg_write(struct virtio_mmio *dev, unsigned int offset, uint32_t value)
{
    *(volatile uint32_t *)(dev->base + offset) = value;
}

static struct virtio_mmio_transport transports[VIRTIO_MMIO_TRANSPORTS_MAX];
static unsigned int transport_count;

int virtio_mmio_add_transport(uintptr_t base, unsigned int irq)
{
    if (base == 0) {
        return -EINVAL;
    }
    if (transport_count == VIRTIO_MMIO_TRANSPORTS_MAX) {
        kprintf("virtio-mmio@%#lx ignored: VIRTIO_MMIO_TRANSPORTS_MAX (%u) are registered\n",
                (unsigned long)base, VIRTIO_MMIO_TRANSPORTS_MAX);
        return -ENOSPC;
    }
    transports[transport_count++] = (struct virtio_mmio_transport){ .base = base, .irq = irq };
    return 0;
}

unsigned int virtio_mmio_transport_count(void)
{
    return transport_count;
}

const struct virtio_mmio_transport *virtio_mmio_transport(unsigned int index)
{
    return index < transport_count ? &transports[index] : NULL;
}

int virtio_mmio_probe(struct virtio_mmio *dev, const struct virtio_mmio_transport *transport)
{
    dev->base = transport->base;
    dev->irq = transport->irq;
    dev->features = 0;
    dev->version = 0;
    dev->device_id = 0;
    if (reg_read(dev, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE) {
        return -ENODEV;
    }
    dev->version = reg_read(dev, VIRTIO_MMIO_VERSION);
    if (dev->version != VIRTIO_MMIO_VERSION_LEGACY && dev->version != VIRTIO_MMIO_VERSION_MODERN) {
        kprintf("virtio-mmio@%#lx: unknown transport version %lu, ignored\n",
                (unsigned long)dev->base, (unsigned long)dev->version);
        return -ENODEV;
    }
    /* QEMU leaves a transport in every slot; ID 0 means nothing is plugged. */
    dev->device_id = reg_read(dev, VIRTIO_MMIO_DEVICE_ID);
    return dev->device_id != 0 ? 0 : -ENODEV;
}

uint32_t virtio_mmio_status(const struct virtio_mmio *dev)
{
    return reg_read(dev, VIRTIO_MMIO_STATUS);
}

static void status_set(struct virtio_mmio *dev, uint32_t bits)
{
    reg_write(dev, VIRTIO_MMIO_STATUS, reg_read(dev, VIRTIO_MMIO_STATUS) | bits);
}

void virtio_mmio_fail(struct virtio_mmio *dev, const char *why)
{
    status_set(dev, VIRTIO_STATUS_FAILED);
    kprintf("virtio-mmio@%#lx, device id %lu: %s: status FAILED\n", (unsigned long)dev->base,
            (unsigned long)dev->device_id, why);
}

/* Writing 0 resets the device; a modern one says it is done by reading 0. */
static int reset(struct virtio_mmio *dev)
{
    reg_write(dev, VIRTIO_MMIO_STATUS, 0);
    for (unsigned int i = 0; i < VIRTIO_MMIO_RESET_POLLS; i++) {
        if (reg_read(dev, VIRTIO_MMIO_STATUS) == 0) {
            return 0;
        }
    }
    return -EIO;
}

void virtio_mmio_stop(struct virtio_mmio *dev, const char *why)
{
    if (reset(dev) != 0) {
        kprintf("virtio-mmio@%#lx: reset did not complete\n", (unsigned long)dev->base);
    }
    virtio_mmio_fail(dev, why);
}

static uint64_t device_features(struct virtio_mmio *dev)
{
    reg_write(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    uint64_t features = reg_read(dev, VIRTIO_MMIO_DEVICE_FEATURES);
    /* A legacy transport has only the low 32 bits. */
    if (dev->version == VIRTIO_MMIO_VERSION_MODERN) {
        reg_write(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
        features |= (uint64_t)reg_read(dev, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
    }
    return features;
}

static void driver_features(struct virtio_mmio *dev, uint64_t features)
{
    reg_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    reg_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
    if (dev->version == VIRTIO_MMIO_VERSION_MODERN) {
        reg_write(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
        reg_write(dev, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
    }
}

int virtio_mmio_negotiate(struct virtio_mmio *dev, uint64_t wanted, uint64_t required)
{
    dev->features = 0;
    if (reset(dev) != 0) {
        virtio_mmio_fail(dev, "reset did not complete");
        return -EIO;
    }
    status_set(dev, VIRTIO_STATUS_ACKNOWLEDGE);
    status_set(dev, VIRTIO_STATUS_DRIVER);

    bool modern = dev->version == VIRTIO_MMIO_VERSION_MODERN;
    uint64_t offered = device_features(dev);
    if (modern) {
        /* Without VERSION_1 a modern transport would be a legacy device we
         * cannot describe the queues to; a modern driver must accept it. */
        wanted |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
        required |= VIRTIO_BIT(VIRTIO_F_VERSION_1);
    }
    if ((offered & required) != required) {
        kprintf("virtio-mmio@%#lx: offered features %#lx:%08lx lack required %#lx:%08lx\n",
                (unsigned long)dev->base, (unsigned long)(offered >> 32), (unsigned long)offered,
                (unsigned long)(required >> 32), (unsigned long)required);
        virtio_mmio_fail(dev, "feature negotiation failed");
        return -ENOTSUP;
    }
    uint64_t accepted = offered & wanted;
    driver_features(dev, accepted);

    /* Legacy devices have no FEATURES_OK step (virtio 1.x 3.1.2): writing
     * the features is the whole negotiation. A modern device may refuse the
     * subset we chose by leaving the bit clear. */
    if (modern) {
        status_set(dev, VIRTIO_STATUS_FEATURES_OK);
        if ((reg_read(dev, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0) {
            virtio_mmio_fail(dev, "device did not accept our features (FEATURES_OK clear)");
            return -EIO;
        }
    }
    dev->features = accepted;
    return 0;
}

void virtio_mmio_driver_ok(struct virtio_mmio *dev)
{
    dmb_named("setup_before_driver_ok");
    status_set(dev, VIRTIO_STATUS_DRIVER_OK);
}

unsigned int virtio_mmio_queue_max(struct virtio_mmio *dev, unsigned int index)
{
    reg_write(dev, VIRTIO_MMIO_QUEUE_SEL, index);
    /* A queue the device already uses is not ours to set up again. */
    uint32_t in_use = dev->version == VIRTIO_MMIO_VERSION_MODERN
                          ? reg_read(dev, VIRTIO_MMIO_QUEUE_READY)
                          : reg_read(dev, VIRTIO_MMIO_QUEUE_PFN);
    if (in_use != 0) {
        return 0;
    }
    return reg_read(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

/* Where a legacy device expects the used ring, given the descriptor table
 * at 0: after the table and the avail ring, rounded up to QueueAlign. */
static uintptr_t legacy_used_offset(unsigned int size)
{
    uintptr_t end_of_avail = 16u * size + 6u + 2u * size;

    return (end_of_avail + VIRTIO_MMIO_LEGACY_PAGE - 1) & ~(uintptr_t)(VIRTIO_MMIO_LEGACY_PAGE - 1);
}

int virtio_mmio_queue_setup(struct virtio_mmio *dev, unsigned int index, unsigned int size,
                            uint64_t desc, uint64_t avail, uint64_t used)
{
    bool legacy = dev->version == VIRTIO_MMIO_VERSION_LEGACY;
    unsigned int max = virtio_mmio_queue_max(dev, index);

    if (size == 0 || size > max || (size & (size - 1)) != 0) {
        return -EINVAL;
    }
    /* A legacy device takes a 32-bit page number. */
    if (legacy && (desc % VIRTIO_MMIO_LEGACY_PAGE != 0 || avail != desc + 16u * size ||
                   used != desc + legacy_used_offset(size) ||
                   desc / VIRTIO_MMIO_LEGACY_PAGE > UINT32_MAX)) {
        return -EINVAL;
    }
    reg_write(dev, VIRTIO_MMIO_QUEUE_SEL, index);
    reg_write(dev, VIRTIO_MMIO_QUEUE_NUM, size);
    /* The zeroed ring is visible before the device may look. */
    dmb_named("ring_before_queue_setup");
    if (legacy) {
        /* QueuePFN is in units of the guest page size. */
        reg_write(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTIO_MMIO_LEGACY_PAGE);
        reg_write(dev, VIRTIO_MMIO_QUEUE_ALIGN, VIRTIO_MMIO_LEGACY_PAGE);
        reg_write(dev, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(desc / VIRTIO_MMIO_LEGACY_PAGE));
        return 0;
    }
    reg_write(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
    reg_write(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
    reg_write(dev, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
    reg_write(dev, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
    reg_write(dev, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
    reg_write(dev, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
    reg_write(dev, VIRTIO_MMIO_QUEUE_READY, 1);
    return 0;
}

void virtio_mmio_notify(struct virtio_mmio *dev, unsigned int index)
{
    dmb_named("avail_before_doorbell");
    reg_write(dev, VIRTIO_MMIO_QUEUE_NOTIFY, index);
}

uint32_t virtio_mmio_interrupt_ack(struct virtio_mmio *dev)
{
    uint32_t causes = reg_read(dev, VIRTIO_MMIO_INTERRUPT_STATUS);

    if (causes != 0) {
        reg_write(dev, VIRTIO_MMIO_INTERRUPT_ACK, causes);
    }
    /* The used ring is read after the status: what the device published
     * before raising the interrupt is visible. */
    dmb_named("status_before_used");
    return causes;
}

uint8_t virtio_mmio_config_read8(const struct virtio_mmio *dev, unsigned int offset)
{
    return *(volatile uint8_t *)(dev->base + VIRTIO_MMIO_CONFIG + offset);
}

uint16_t virtio_mmio_config_read16(const struct virtio_mmio *dev, unsigned int offset)
{
    return *(volatile uint16_t *)(dev->base + VIRTIO_MMIO_CONFIG + offset);
}

uint32_t virtio_mmio_config_read32(const struct virtio_mmio *dev, unsigned int offset)
{
    return *(volatile uint32_t *)(dev->base + VIRTIO_MMIO_CONFIG + offset);
}

/*
 * Two 32-bit reads can straddle a change (a disk resized between them).
 * A modern device counts changes in ConfigGeneration; a legacy one has no
 * counter, so we read until two passes agree.
 */
uint64_t virtio_mmio_config_read64(const struct virtio_mmio *dev, unsigned int offset)
{
    bool modern = dev->version == VIRTIO_MMIO_VERSION_MODERN;
    uint32_t before, after;
    uint64_t value, again;

    do {
        before = modern ? reg_read(dev, VIRTIO_MMIO_CONFIG_GENERATION) : 0;
        value = virtio_mmio_config_read32(dev, offset) |
                (uint64_t)virtio_mmio_config_read32(dev, offset + 4) << 32;
        again = value;
        if (!modern) {
            again = virtio_mmio_config_read32(dev, offset) |
                    (uint64_t)virtio_mmio_config_read32(dev, offset + 4) << 32;
        }
        after = modern ? reg_read(dev, VIRTIO_MMIO_CONFIG_GENERATION) : 0;
    } while (before != after || value != again);
    return value;
}
