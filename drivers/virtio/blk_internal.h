/*
 * What the two halves of the virtio-blk driver share: blk.c sends requests,
 * blk_probe.c finds and configures devices. Not for callers of blk.h.
 */
#ifndef DRIVERS_VIRTIO_BLK_INTERNAL_H
#define DRIVERS_VIRTIO_BLK_INTERNAL_H

#include "blk/device.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/mmio.h"
#include "drivers/virtio/ring.h"
#include "coro/queue.h"
#include "boot/spinlock.h"

#include <stddef.h>

/* Feature bits (virtio 1.x 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX       1u      /* size_max: the largest segment */
#define VIRTIO_BLK_F_RO             5u      /* read-only */
#define VIRTIO_BLK_F_BLK_SIZE       6u      /* blk_size: the logical block size */
#define VIRTIO_BLK_F_FLUSH          9u      /* a write cache: flush makes writes durable */
#define VIRTIO_BLK_F_DISCARD        13u
#define VIRTIO_BLK_F_WRITE_ZEROES   14u

/* Configuration space offsets (struct virtio_blk_config). */
#define VIRTIO_BLK_CFG_CAPACITY             0x00    /* u64, 512-byte sectors */
#define VIRTIO_BLK_CFG_SIZE_MAX             0x08    /* u32 */
#define VIRTIO_BLK_CFG_BLK_SIZE             0x14    /* u32 */
#define VIRTIO_BLK_CFG_MAX_DISCARD_SECTORS  0x24    /* u32 */
#define VIRTIO_BLK_CFG_MAX_WZ_SECTORS       0x30    /* u32 */

#define BLK_SEGS_MAX                3u      /* header, data, status */

/* A request the device has not answered in this long fails, after the
 * device is reset (blk_set_timeout()). Long enough for QEMU on a loaded
 * host, whose requests can stall for seconds. */
#define BLK_TIMEOUT_DEFAULT_NS      (30ull * 1000000000ull)

/* The device reads this first in every request. */
struct blk_req_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

/* The data of DISCARD and WRITE_ZEROES. */
struct blk_range {
    uint64_t sector;
    uint32_t sectors;
    uint32_t flags;
};

/* A small request payload that lives in the request, not with the caller. */
union blk_payload {
    struct blk_range range;         /* the device reads it */
    char id[BLK_ID_BYTES];          /* the device writes it */
};

/*
 * A request in flight, in driver-owned memory indexed by its head
 * descriptor. What the device only reads fills the first cache lines;
 * what it writes starts a line of its own, beside the payload and fields
 * the CPU writes before the request is published and reads only after:
 * on a board whose DMA does not snoop the caches, no line the device
 * writes is dirtied by the CPU while it is in flight.
 */
struct blk_req {
    struct virtq_desc table[BLK_SEGS_MAX];  /* the chain, if indirect */
    struct blk_req_header header;
    volatile uint8_t status __attribute__((aligned(DMA_ALIGN)));   /* the device's answer */
    union blk_payload payload;
    struct co *waiter;
    co_ticket_t ticket;
    /* The waiter and ticket the watchdog saw at its last look: the same
     * request, still in the device a timeout later, has timed out. */
    struct co *seen_waiter;
    co_ticket_t seen_ticket;
} __attribute__((aligned(DMA_ALIGN)));

struct virtio_blk {
    /* The block layer's part (blk/device.h): first, so that a struct
     * blk_dev the layer hands back is the device. */
    struct blk_dev blk;
    /* The ring, the requests, kick_pending, stopped, the stats
     * and the watchdog's fields: against the handler, the watchdog and
     * the other CPUs. */
    struct spinlock lock;
    struct virtio_mmio mmio;
    struct blk_req *reqs;           /* [queue size], by head descriptor */
    struct co_queue desc_waiters;   /* callers waiting for free descriptors */
    uint32_t request_sectors_max;
    uint32_t discard_sectors_max;
    uint32_t write_zeroes_sectors_max;
    char id[BLK_ID_BYTES];          /* read at probe time (blk_read_id()) */
    int id_result;                  /* 0, or why the id could not be read */
    bool kick_pending;
    bool stopped;                   /* reset after it broke its ring, or lost after a reset */
    bool watched;                   /* its watchdog looks at the requests it holds */
    struct blk_stats stats;
    unsigned int index;
    uint64_t timeout_ns;            /* blk_set_timeout() */
    uint64_t poll_ns;               /* blk_set_poll() */
    uint32_t poll_missed;           /* stats.requests when the last poll to run out of time began */
    co_ticket_t watch_ticket;       /* the watchdog's wait */
    /* Last: the fields above stay within a load's reach of the base. */
    struct virtq vq;
};

/* Each ring on its own pages: the aligned struct pads every element. */
struct blk_ring_memory {
    uint8_t bytes[VIRTQ_MEM_BYTES(VIRTQ_SIZE_MAX)];
} __attribute__((aligned(VIRTQ_MEM_ALIGN)));

/* Everything the driver keeps for its devices (blk_probe.c), in one
 * place: no caller's buffer may overlap it, or a transfer would overwrite
 * the driver's own state, rings or request headers. */
struct blk_memory {
    struct virtio_blk devices[BLK_MAX_DEVICES];
    struct blk_ring_memory rings[BLK_MAX_DEVICES];
    struct blk_req requests[BLK_MAX_DEVICES][VIRTQ_SIZE_MAX];
};
extern struct blk_memory blk_memory;

_Static_assert(offsetof(struct virtio_blk, blk) == 0, "a struct blk_dev * is its virtio_blk");

/* The block layer's operations on a virtio-blk device (blk.c). */
extern const struct blk_ops virtio_blk_ops;

/* The driver's device of one the layer handed an operation. */
static inline struct virtio_blk *virtio_blk(const struct blk_dev *dev)
{
    return (struct virtio_blk *)(uintptr_t)dev;
}

/* The same for drivers/virtio/blk.h's own calls, which any device may be
 * given: NULL unless dev is a virtio-blk device. */
static inline struct virtio_blk *virtio_blk_checked(const struct blk_dev *dev)
{
    return dev != NULL && dev->ops == &virtio_blk_ops ? virtio_blk(dev) : NULL;
}

/* How many devices blk_probe() set up: blk_memory.devices[0] on. */
unsigned int virtio_blk_count(void);

/* The interrupt handler (blk.c): completes the requests the device has
 * finished. arg is the device. */
void blk_irq(void *arg);

/* Resets the device and negotiates the features of probe time again
 * (blk_probe.c); then, once the ring has handed back what the device held,
 * blk_restart() starts the ring over and gives it to the device again.
 * 0, or a negative errno with the device marked FAILED and a message. */
int blk_reset(struct virtio_blk *dev);
int blk_restart(struct virtio_blk *dev);

/* Reads the device's id once it is started, before its interrupt is
 * registered, by polling; 0 or a negative errno, kept for blk_get_id(). */
int blk_read_id(struct virtio_blk *dev);

/* Readies the request path (blk.c) before the first device starts. */
void blk_requests_init(void);

#endif
