/*
 * virtio-blk (virtio 1.x section 5.2) over virtio-mmio, for coroutines.
 *
 * A request lives on the calling coroutine's stack: header, status byte and
 * an indirect descriptor table, next to the caller's own buffer, which the
 * device reads or writes in place. The caller takes descriptors (waiting
 * on a CoQueue while the ring is full), publishes the chain, and blocks in
 * co_wait_end(). The IRQ handler walks the used ring, maps the status to
 * an errno and completes the wait; back in thread context the caller frees
 * its descriptors and lets the next waiter in.
 *
 * A request alone in flight rings the doorbell at once. Under load the
 * notification is deferred to a small coroutine the submitter wakes: it
 * runs after every coroutine already ready has had its turn, so a burst of
 * submissions from many coroutines costs one doorbell write.
 */
#include "drivers/virtio/blk.h"
#include "drivers/virtio/blk_test.h"
#include "drivers/virtio/mmio.h"
#include "drivers/virtio/ring.h"
#include "drivers/irq.h"
#include "board/board.h"
#include "boot/cpu.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/queue.h"

#include <errno.h>
#include <string.h>

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

/* Request types and statuses (virtio 1.x 5.2.6). */
#define VIRTIO_BLK_T_IN             0u
#define VIRTIO_BLK_T_OUT            1u
#define VIRTIO_BLK_T_FLUSH          4u
#define VIRTIO_BLK_T_GET_ID         8u
#define VIRTIO_BLK_T_DISCARD        11u
#define VIRTIO_BLK_T_WRITE_ZEROES   13u
#define VIRTIO_BLK_S_OK             0u
#define VIRTIO_BLK_S_IOERR          1u
#define VIRTIO_BLK_S_UNSUPP         2u
#define BLK_STATUS_UNSET            0xffu   /* what a device that never answered leaves */

/* One request's data is one buffer of at most this much (or of the
 * device's size_max): a large transfer becomes several requests, each far
 * below any device's transfer limit (QEMU fails those over 2 GiB). */
#define BLK_REQUEST_BYTES_MAX       (1024u * 1024u)
#define BLK_BLOCK_SIZE_MAX          65536u
#define BLK_SEGS_MAX                3u      /* header, data, status */
/* A ring must hold the longest request without indirect descriptors. */
#define BLK_QUEUE_MIN               4u

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

/* A request in flight, on its caller's stack. */
struct blk_req {
    struct virtq_desc table[BLK_SEGS_MAX];  /* the chain, if indirect */
    struct blk_req_header header;
    struct co *waiter;
    co_ticket_t ticket;
    volatile uint8_t status;                /* the device's answer */
};

struct blk_dev {
    struct virtio_mmio mmio;
    struct virtq vq;
    struct co_queue desc_waiters;   /* callers waiting for free descriptors */
    uint64_t capacity;              /* sectors; the IRQ handler updates it on resize */
    uint32_t block_size;
    uint32_t sectors_per_block;
    uint32_t request_sectors_max;
    uint32_t discard_sectors_max;
    uint32_t write_zeroes_sectors_max;
    bool kick_pending;
    struct blk_stats stats;
    unsigned int index;
};

static struct blk_dev devices[BLK_MAX_DEVICES];
/* Each ring on its own pages: the aligned struct pads every element. */
struct blk_ring_memory {
    uint8_t bytes[VIRTQ_MEM_BYTES(VIRTQ_SIZE_MAX)];
} __attribute__((aligned(VIRTQ_MEM_ALIGN)));
static struct blk_ring_memory ring_memory[BLK_MAX_DEVICES];
static unsigned int device_count;
static int probe_result;
static bool probed;
static unsigned int queue_limit = VIRTQ_SIZE_MAX;

/* Rings the doorbell if anything was added since the last decision and
 * the device's hints ask for it. */
static void kick(struct blk_dev *dev)
{
    if (virtq_kick_prepare(&dev->vq)) {
        virtio_mmio_notify(&dev->mmio, 0);
        dev->stats.notifies++;
    }
}

/* Rings the doorbells the submitters asked for, once per pass. */
CO_DEFINE(blk_kicker, 1024);

static void kicker_run(void *opaque)
{
    (void)opaque;
    for (;;) {
        for (unsigned int i = 0; i < device_count; i++) {
            struct blk_dev *dev = &devices[i];
            if (dev->kick_pending) {
                dev->kick_pending = false;
                kick(dev);
            }
        }
        co_yield();
    }
}

/*
 * After a request is published. Alone in flight, nothing is about to join
 * it: the doorbell now is cheaper than a round trip through the kicker,
 * and the device starts at once. Under load (other requests added and not
 * yet freed, so their owners are running or about to) the kicker batches
 * what this pass of the main loop submits into one doorbell.
 */
static void notify(struct blk_dev *dev)
{
    if (virtq_outstanding(&dev->vq) == 1) {
        kick(dev);
    } else {
        dev->kick_pending = true;
        co_wake(&blk_kicker);
    }
}

static __attribute__((noinline, cold)) int unusual_status(uint8_t status)
{
    switch (status) {
    case VIRTIO_BLK_S_UNSUPP:
        return -ENOTSUP;
    case VIRTIO_BLK_S_IOERR:
        return -EIO;
    default:
        kprintf("virtio-blk: request status %u is not one the spec defines\n", status);
        return -EIO;
    }
}

static int status_to_errno(uint8_t status)
{
    return status == VIRTIO_BLK_S_OK ? 0 : unusual_status(status);
}

static __attribute__((noinline, cold)) void config_changed(struct blk_dev *dev)
{
    dev->capacity = virtio_mmio_config_read64(&dev->mmio, VIRTIO_BLK_CFG_CAPACITY);
    kprintf("virtio-blk%u: configuration changed: %lu sectors\n", dev->index,
            (unsigned long)dev->capacity);
    if (virtio_mmio_status(&dev->mmio) & VIRTIO_STATUS_NEEDS_RESET) {
        kprintf("virtio-blk%u: the device needs a reset: it may fail requests\n", dev->index);
    }
}

static void blk_irq(void *arg)
{
    struct blk_dev *dev = arg;
    uint32_t causes = virtio_mmio_interrupt_ack(&dev->mmio);
    struct virtq_used_buf done;

    dev->stats.interrupts++;
    if (causes & VIRTIO_MMIO_INT_CONFIG) {
        config_changed(dev);
    }
    while (virtq_get_used(&dev->vq, &done)) {
        struct blk_req *req = done.token;
        int result = done.len_ok ? status_to_errno(req->status) : -EIO;
        co_wait_complete(req->waiter, req->ticket, result);
    }
}

/* Waits until `needed` descriptors are free, behind whoever waits already,
 * so a large request is not starved by small ones. True if it waited. */
static bool take_turn(struct blk_dev *dev, unsigned int needed)
{
    if (virtq_free_count(&dev->vq) >= needed && co_queue_empty(&dev->desc_waiters)) {
        return false;
    }
    dev->stats.desc_waits++;
    do {
        co_queue_wait(&dev->desc_waiters);
    } while (virtq_free_count(&dev->vq) < needed);
    return true;
}

/* Lets the next waiter try, if there is anything left for it. */
static void pass_turn(struct blk_dev *dev)
{
    if (virtq_free_count(&dev->vq) > 0 && !co_queue_empty(&dev->desc_waiters)) {
        co_queue_next(&dev->desc_waiters);
    }
}

/* Sends one request and blocks until the device answers. Inlined, with
 * the helpers above, into request_inline() and so into blk_read() and
 * blk_write(): a read is one call deep before the ring and the scheduler. */
static inline __attribute__((always_inline)) int submit(struct blk_dev *dev, struct blk_req *req,
                                                         const struct virtq_seg *segs,
                                                         unsigned int n)
{
    bool waited = take_turn(dev, virtq_descs_needed(&dev->vq, n));

    req->status = BLK_STATUS_UNSET;
    req->waiter = co_self();
    /* Begun before the device can see the request: a completion that comes
     * before co_wait_end() is kept. */
    req->ticket = co_wait_begin(CO_WAIT_IRQ);
    int head = virtq_add(&dev->vq, segs, n, req, req->table);
    if (head < 0) {
        /* Cannot happen (take_turn made room); fail rather than hang. */
        co_wait_complete(req->waiter, req->ticket, head);
        return co_wait_end(req->ticket, CO_NO_DEADLINE);
    }
    dev->stats.requests++;
    /* Nobody queued behind a caller that did not wait: nothing can have
     * blocked since take_turn() looked. */
    if (waited) {
        pass_turn(dev);
    }
    notify(dev);

    int result = co_wait_end(req->ticket, CO_NO_DEADLINE);
    virtq_free(&dev->vq, (unsigned int)head);
    pass_turn(dev);
    return result;
}

static struct virtq_seg seg(const volatile void *addr, uint32_t len, bool device_writes)
{
    return (struct virtq_seg){
        .addr = (uintptr_t)addr, .len = len, .device_writes = device_writes,
    };
}

/* A request with a header, an optional data buffer (len 0: none) and the
 * status byte. data is an address: the device, not the compiler, decides
 * whether it is read or written. Inlined into the read and write path;
 * the other callers share request(). */
static inline __attribute__((always_inline)) int request_inline(struct blk_dev *dev, uint32_t type,
                                                                 uint64_t sector, uintptr_t data,
                                                                 uint32_t len, bool device_writes)
{
    struct blk_req req;

    req.header.type = type;
    req.header.reserved = 0;
    req.header.sector = sector;
    struct virtq_seg segs[BLK_SEGS_MAX] = {
        seg(&req.header, sizeof(req.header), false),
        { .addr = data, .len = len, .device_writes = device_writes },
        seg(&req.status, 1, true),
    };
    if (len == 0) {
        segs[1] = segs[2];
        return submit(dev, &req, segs, 2);
    }
    return submit(dev, &req, segs, 3);
}

static __attribute__((noinline)) int request(struct blk_dev *dev, uint32_t type, uint64_t sector,
                                             uintptr_t data, uint32_t len, bool device_writes)
{
    return request_inline(dev, type, sector, data, len, device_writes);
}

/* -EINVAL unless `count` sectors from `sector` make whole blocks. */
static int check_blocks(const struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    if (count == 0 || ((sector | count) & (dev->sectors_per_block - 1)) != 0) {
        return -EINVAL;
    }
    return 0;
}

/* -ERANGE unless every one of the sectors is on the device. */
static int check_range(const struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    /* Written so that nothing overflows: sector + count may not fit. */
    uint64_t capacity = blk_capacity(dev);

    if (sector > capacity || count > capacity - sector) {
        return -ERANGE;
    }
    return 0;
}

static int check_buffer(const void *buf, size_t count)
{
    uintptr_t room = UINTPTR_MAX - (uintptr_t)buf;

    /* The buffer must not run off the end of the address space. */
    return count - 1 <= room / BLK_SECTOR_SIZE ? 0 : -EINVAL;
}

/* Inlined into blk_read() and blk_write(), the direction a constant. */
static inline __attribute__((always_inline)) int read_write(struct blk_dev *dev, uint64_t sector,
                                                             const void *buf, size_t count,
                                                             bool write)
{
    if (dev == NULL || buf == NULL || check_blocks(dev, sector, count) != 0) {
        return -EINVAL;
    }
    if (write && virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_RO)) {
        return -EROFS;
    }
    int err = check_range(dev, sector, count);
    if (err == 0) {
        err = check_buffer(buf, count);
    }
    /* count is not 0 here: one request at least. */
    while (err == 0) {
        size_t chunk = count < dev->request_sectors_max ? count : dev->request_sectors_max;
        err = request_inline(dev, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector,
                             (uintptr_t)buf, (uint32_t)(chunk * BLK_SECTOR_SIZE), !write);
        count -= chunk;
        if (count == 0) {
            break;
        }
        sector += chunk;
        buf = (const uint8_t *)buf + chunk * BLK_SECTOR_SIZE;
    }
    return err;
}

int blk_read(struct blk_dev *dev, uint64_t sector, void *buf, size_t count)
{
    return read_write(dev, sector, buf, count, false);
}

int blk_write(struct blk_dev *dev, uint64_t sector, const void *buf, size_t count)
{
    return read_write(dev, sector, buf, count, true);
}

int blk_flush(struct blk_dev *dev)
{
    if (dev == NULL) {
        return -EINVAL;
    }
    /* Without a write cache every completed write is durable already. */
    if (!virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_FLUSH)) {
        return 0;
    }
    return request(dev, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false);
}

/* DISCARD and WRITE_ZEROES: one range per request, at most max sectors. */
static int range_op(struct blk_dev *dev, uint32_t type, unsigned int feature, uint64_t sector,
                    uint64_t count)
{
    if (dev == NULL) {
        return -EINVAL;
    }
    if (!virtio_mmio_has(&dev->mmio, feature)) {
        return -ENOTSUP;
    }
    if (check_blocks(dev, sector, count) != 0) {
        return -EINVAL;
    }
    if (virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_RO)) {
        return -EROFS;
    }
    int err = check_range(dev, sector, count);
    uint32_t max = type == VIRTIO_BLK_T_DISCARD ? dev->discard_sectors_max
                                                : dev->write_zeroes_sectors_max;
    while (err == 0 && count > 0) {
        uint32_t chunk = count < max ? (uint32_t)count : max;
        /* The data the device reads: here until request() returns. No
         * unmap: DISCARD must not, WRITE_ZEROES need not. */
        struct blk_range range = { .sector = sector, .sectors = chunk, .flags = 0 };

        err = request(dev, type, 0, (uintptr_t)&range, sizeof(range), false);
        sector += chunk;
        count -= chunk;
    }
    return err;
}

int blk_discard(struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    return range_op(dev, VIRTIO_BLK_T_DISCARD, VIRTIO_BLK_F_DISCARD, sector, count);
}

int blk_write_zeroes(struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    return range_op(dev, VIRTIO_BLK_T_WRITE_ZEROES, VIRTIO_BLK_F_WRITE_ZEROES, sector, count);
}

int blk_get_id(struct blk_dev *dev, char *buf, size_t size)
{
    char id[BLK_ID_BYTES];

    if (dev == NULL || buf == NULL || size == 0) {
        return -EINVAL;
    }
    int err = request(dev, VIRTIO_BLK_T_GET_ID, 0, (uintptr_t)id, sizeof(id), true);
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

int blk_test_send_raw(struct blk_dev *dev, uint32_t type, uint64_t sector)
{
    if (dev == NULL) {
        return -EINVAL;
    }
    return request(dev, type, sector, 0, 0, false);
}

uint64_t blk_capacity(const struct blk_dev *dev)
{
    /* Masked: the IRQ handler rewrites it on a resize, in two halves. */
    irq_flags_t flags = irq_save();
    uint64_t capacity = dev->capacity;

    irq_restore(flags);
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

static int setup(struct blk_dev *dev, unsigned int index)
{
    struct virtio_mmio *m = &dev->mmio;
    const uint64_t wanted = VIRTIO_BIT(VIRTIO_BLK_F_SIZE_MAX) | VIRTIO_BIT(VIRTIO_BLK_F_RO) |
                            VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIRTIO_BIT(VIRTIO_BLK_F_FLUSH) |
                            VIRTIO_BIT(VIRTIO_BLK_F_DISCARD) |
                            VIRTIO_BIT(VIRTIO_BLK_F_WRITE_ZEROES) |
                            VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
    const char *why = NULL;

    dev->index = index;
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
    err = virtq_init(&dev->vq, size, ring_memory[index].bytes, flags);
    if (err == 0) {
        err = virtio_mmio_queue_setup(m, 0, size, virtq_desc_addr(&dev->vq),
                                      virtq_avail_addr(&dev->vq), virtq_used_addr(&dev->vq));
    }
    if (err != 0) {
        virtio_mmio_fail(m, "request queue setup failed");
        return err;
    }
    /* Before DRIVER_OK: the device may interrupt from then on. */
    err = irq_register(m->irq, blk_irq, dev);
    if (err != 0) {
        virtio_mmio_fail(m, "its interrupt is taken");
        return err;
    }
    virtio_mmio_driver_ok(m);
    return 0;
}

int blk_probe(void)
{
    size_t slot_count;
    const struct board_mmio_slot *slots = board_virtio_mmio_slots(&slot_count);

    if (probed) {
        return probe_result;
    }
    probed = true;
    unsigned int others = 0;

    co_init(&blk_kicker, kicker_run, NULL);
    for (size_t i = 0; i < slot_count; i++) {
        struct virtio_mmio found;
        if (virtio_mmio_probe(&found, &slots[i]) != 0) {
            continue;
        }
        if (found.device_id != VIRTIO_ID_BLOCK) {
            others++;
            continue;
        }
        if (device_count == BLK_MAX_DEVICES) {
            kprintf("virtio-blk: virtio-mmio@%#lx ignored: BLK_MAX_DEVICES (%u) are in use\n",
                    (unsigned long)slots[i].base, BLK_MAX_DEVICES);
            continue;
        }
        struct blk_dev *dev = &devices[device_count];
        dev->mmio = found;
        if (setup(dev, device_count) == 0) {
            blk_describe(dev);
            device_count++;
        }
    }
    if (device_count == 0) {
        kprintf("virtio-blk: no block device on any of the %u virtio-mmio slots; "
                "other virtio devices: %u\n",
                (unsigned int)slot_count, others);
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
    return index < device_count ? &devices[index] : NULL;
}
