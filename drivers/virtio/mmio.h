/*
 * The virtio-mmio transport (virtio 1.x section 4.2), both register layouts:
 * legacy (Version 1, QEMU's default) and modern (Version 2). It finds a
 * device in a slot, runs the status handshake and feature negotiation,
 * hands a virtqueue's memory to the device, and rings its doorbell. It knows
 * nothing of block devices or of the ring's layout beyond three addresses.
 * The board says where its transports are (virtio_mmio_add_transport(),
 * from board_init()); device drivers walk them.
 *
 *     struct virtio_mmio m;
 *     const struct virtio_mmio_transport *t = virtio_mmio_transport(i);
 *     if (virtio_mmio_probe(&m, t) == 0 && m.device_id == VIRTIO_ID_BLOCK) {
 *         virtio_mmio_negotiate(&m, wanted, required);     ACKNOWLEDGE, DRIVER, FEATURES_OK
 *         ... config reads, virtio_mmio_queue_setup(), irq_register() ...
 *         virtio_mmio_driver_ok(&m);
 *     }
 *
 * A step that fails sets the FAILED status bit and prints why.
 */
#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

/* Device types (virtio 1.x section 5). */
#define VIRTIO_ID_NET               1u
#define VIRTIO_ID_BLOCK             2u

/* Device status bits (virtio 1.x section 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE   0x01u   /* we have seen the device */
#define VIRTIO_STATUS_DRIVER        0x02u   /* we know how to drive it */
#define VIRTIO_STATUS_DRIVER_OK     0x04u   /* the driver is ready: the device may start */
#define VIRTIO_STATUS_FEATURES_OK   0x08u   /* feature negotiation is over (modern only) */
#define VIRTIO_STATUS_NEEDS_RESET   0x40u   /* the device gave up: reset it */
#define VIRTIO_STATUS_FAILED        0x80u   /* we gave up on the device */

/* Transport feature bits, shared by every device type. */
#define VIRTIO_F_INDIRECT_DESC      28u     /* descriptors may point at descriptor tables */
#define VIRTIO_F_EVENT_IDX          29u     /* used_event / avail_event suppression */
#define VIRTIO_F_VERSION_1          32u     /* modern device: a modern driver must accept it */
#define VIRTIO_F_RING_PACKED        34u     /* the packed ring, which we do not implement */

#define VIRTIO_BIT(n)               (1ull << (n))

/* InterruptStatus bits. */
#define VIRTIO_MMIO_INT_VRING       0x1u    /* a used buffer was added */
#define VIRTIO_MMIO_INT_CONFIG      0x2u    /* the configuration space changed */

/* Transports a board may register: QEMU virt has 32. */
#define VIRTIO_MMIO_TRANSPORTS_MAX  32u

/* Where a transport is: its registers and its interrupt. */
struct virtio_mmio_transport {
    uintptr_t base;
    unsigned int irq;
};

/* For board_init(): one transport, registered in probe order. -ENOSPC past
 * VIRTIO_MMIO_TRANSPORTS_MAX (and a message), -EINVAL for a base of 0. */
int virtio_mmio_add_transport(uintptr_t base, unsigned int irq);

/* The registered transports, in the order they were added; NULL past the
 * last. */
unsigned int virtio_mmio_transport_count(void);
const struct virtio_mmio_transport *virtio_mmio_transport(unsigned int index);

struct virtio_mmio {
    uintptr_t base;         /* the slot's registers */
    unsigned int irq;       /* the slot's interrupt */
    uint32_t version;       /* 1: legacy, 2: modern */
    uint32_t device_id;     /* VIRTIO_ID_*; 0 for an empty slot */
    uint64_t features;      /* negotiated by virtio_mmio_negotiate() */
};

/* Looks at a transport: 0 if a device is there (dev filled in, nothing
 * written to it), -ENODEV for an empty one or an address without a
 * virtio-mmio transport. */
int virtio_mmio_probe(struct virtio_mmio *dev, const struct virtio_mmio_transport *transport);

/*
 * Resets the device and runs the handshake up to FEATURES_OK: accepts the
 * offered features in `wanted` (plus VIRTIO_F_VERSION_1 on a modern device,
 * which it must offer). Fails with FAILED set and a message if a feature in
 * `required` is not offered (-ENOTSUP) or the device refuses the features
 * (-EIO). On success dev->features holds what was negotiated.
 */
int virtio_mmio_negotiate(struct virtio_mmio *dev, uint64_t wanted, uint64_t required);

/* Tells the device the driver is ready: it may use its queues now. */
void virtio_mmio_driver_ok(struct virtio_mmio *dev);

/* Gives up on the device: sets FAILED and prints "virtio-mmio@<base>: <why>". */
void virtio_mmio_fail(struct virtio_mmio *dev, const char *why)
    __attribute__((cold));

/* Stops a device that broke the protocol: resets it, so that it drops
 * what it was doing and touches no more memory of ours, then sets FAILED
 * with a message, as virtio_mmio_fail(). */
void virtio_mmio_stop(struct virtio_mmio *dev, const char *why) __attribute__((cold));

uint32_t virtio_mmio_status(const struct virtio_mmio *dev);

/* The largest size the device allows for queue `index`; 0 if there is no
 * such queue or it is already in use. */
unsigned int virtio_mmio_queue_max(struct virtio_mmio *dev, unsigned int index);

/*
 * Hands queue `index` of `size` entries to the device. desc, avail and used
 * are the device-side addresses of its three parts; a legacy device takes only
 * the first and computes the others, so there they must follow the legacy
 * layout with page (4096) alignment: -EINVAL otherwise.
 */
int virtio_mmio_queue_setup(struct virtio_mmio *dev, unsigned int index, unsigned int size,
                            uint64_t desc, uint64_t avail, uint64_t used);

/* Rings the doorbell of queue `index`, after the ring writes are visible. */
void virtio_mmio_notify(struct virtio_mmio *dev, unsigned int index);

/* Reads and acknowledges the interrupt causes (VIRTIO_MMIO_INT_*); the line
 * drops once every cause is acknowledged. For the IRQ handler. */
uint32_t virtio_mmio_interrupt_ack(struct virtio_mmio *dev);

/* The device-specific configuration space, little-endian fields at byte
 * offsets; read64 returns a value that did not change half-way through. */
uint8_t virtio_mmio_config_read8(const struct virtio_mmio *dev, unsigned int offset);
uint16_t virtio_mmio_config_read16(const struct virtio_mmio *dev, unsigned int offset);
uint32_t virtio_mmio_config_read32(const struct virtio_mmio *dev, unsigned int offset);
uint64_t virtio_mmio_config_read64(const struct virtio_mmio *dev, unsigned int offset);

static inline bool virtio_mmio_has(const struct virtio_mmio *dev, unsigned int feature)
{
    return (dev->features & VIRTIO_BIT(feature)) != 0;
}

#endif
