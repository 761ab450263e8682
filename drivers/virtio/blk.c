/*
 * virtio-blk (virtio 1.x section 5.2) over virtio-mmio, for coroutines.
 *
 * A request lives in driver-owned memory indexed by its head descriptor
 * (struct blk_req: header, status byte, indirect table), apart from the
 * caller's stack; the device reads or writes the caller's own buffer in
 * place. The caller takes descriptors (waiting on a CoQueue while the ring
 * is full), publishes the chain, and blocks in co_wait_end(). The IRQ
 * handler walks the used ring, maps the status to an errno and completes
 * the wait; back in thread context the caller frees its descriptors and
 * lets the next waiter in. The ring, the requests and the kick state are
 * each device's, under its lock (virtio_blk.lock); the doorbell is rung after
 * it is released.
 *
 * A request alone in flight rings the doorbell at once. Under load the
 * notification is deferred to a small coroutine the submitter wakes: it
 * runs after every coroutine already ready has had its turn, so a burst of
 * submissions from many coroutines costs one doorbell write. Finding and
 * configuring devices is blk_probe.c's; the block layer (blk/blk.c) has
 * checked every argument of what reaches the operations here.
 */
#include "drivers/virtio/blk_internal.h"
#include "drivers/virtio/blk_test.h"
#include "arch/cpu.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/time.h"

#include <errno.h>
#include <string.h>

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

/* Lock held: whether the doorbell must be rung for what was added since
 * the last decision, after the device's hints. */
static bool kick_prepare(struct virtio_blk *dev)
{
    bool need = virtq_kick_prepare(&dev->vq);

    dev->stats.notifies += need;
    return need;
}

static void ring_doorbell(struct virtio_blk *dev)
{
    virtio_mmio_notify(&dev->mmio, 0);
}

/* Rings the doorbells the submitters asked for, once per pass. */
CO_DEFINE(blk_kicker, 1024);

static void kicker_run(void *opaque)
{
    (void)opaque;
    for (;;) {
        for (unsigned int i = 0; i < virtio_blk_count(); i++) {
            struct virtio_blk *dev = &blk_memory.devices[i];
            irq_flags_t flags = spin_lock_irqsave(&dev->lock);
            bool need = dev->kick_pending && kick_prepare(dev);
            dev->kick_pending = false;
            spin_unlock_irqrestore(&dev->lock, flags);
            if (need) {
                ring_doorbell(dev);
            }
        }
        co_yield();
    }
}

/*
 * Lock held, after a request is published: whether to ring the doorbell
 * now. Alone in flight, nothing is about to join it: the doorbell now is
 * cheaper than a round trip through the kicker, and the device starts at
 * once. Under load (other requests added and not yet freed, so their
 * owners are running or about to) the kicker batches what this pass of
 * the main loop submits into one doorbell.
 */
static bool notify_now(struct virtio_blk *dev)
{
    if (virtq_outstanding(&dev->vq) == 1) {
        return kick_prepare(dev);
    }
    dev->kick_pending = true;
    co_wake(&blk_kicker);
    return false;
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

static __attribute__((noinline, cold)) void config_changed(struct virtio_blk *dev)
{
    blk_set_capacity(&dev->blk, virtio_mmio_config_read64(&dev->mmio, VIRTIO_BLK_CFG_CAPACITY));
    kprintf("virtio-blk%u: configuration changed: %lu sectors\n", dev->index,
            (unsigned long)blk_capacity(&dev->blk));
    if (virtio_mmio_status(&dev->mmio) & VIRTIO_STATUS_NEEDS_RESET) {
        kprintf("virtio-blk%u: the device needs a reset: it may fail requests\n", dev->index);
    }
}

/*
 * After a request failed: if the device broke its ring, stop it, once.
 * The ring has failed every request the device held (they would otherwise
 * wait for ever); the first of their owners to run gets here before any
 * of them returns, so no caller reuses a buffer the device may still
 * write.
 */
static __attribute__((noinline, cold)) void stop_if_broken(struct virtio_blk *dev)
{
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);
    if (virtq_broken(&dev->vq) && !dev->stopped) {
        dev->stopped = true;
        virtio_mmio_stop(&dev->mmio, "its used ring is broken; requests fail with EIO");
    }
    spin_unlock_irqrestore(&dev->lock, flags);
}

/* What a completed request comes to: the device's status as an errno, or
 * -EIO when its length was impossible (or the ring gave it back broken). */
static inline int answer_result(const struct blk_req *req, const struct virtq_used_buf *done)
{
    dma_sync_for_cpu(&req->status, sizeof(req->status));
    return done->len_ok ? status_to_errno(req->status) : -EIO;
}

/* Lock held: completes every request the device has returned; how many. */
static inline __attribute__((always_inline)) unsigned int complete_used(struct virtio_blk *dev)
{
    struct virtq_used_buf done;
    unsigned int completed = 0;

    while (virtq_get_used(&dev->vq, &done)) {
        struct blk_req *req = done.token;
        co_wait_complete(req->waiter, req->ticket, answer_result(req, &done));
        completed++;
    }
    return completed;
}

void blk_irq(void *arg)
{
    struct virtio_blk *dev = arg;
    uint32_t causes = virtio_mmio_interrupt_ack(&dev->mmio);

    spin_lock(&dev->lock);
    dev->stats.interrupts++;
    if (causes & VIRTIO_MMIO_INT_CONFIG) {
        config_changed(dev);
    }
    complete_used(dev);
    spin_unlock(&dev->lock);
}

/*
 * The poller (co_add_poller()). A CPU with nothing ready looks at the used
 * rings of the devices that hold requests, their interrupts off, for up
 * to each one's poll time (blk_set_poll()), and completes what it finds.
 * On QEMU the interrupt is the dearest part of a request's way back: the
 * device thread raises it, wakes the vCPU's host thread out of WFI, and
 * the handler's MMIO reads wait for that thread's lock; a vCPU watching
 * the ring sees the completion as soon as it is written. A device that
 * lets its poll time pass is not polled again until it is given another
 * request, so a slow one costs one poll time a batch, not one per wakeup;
 * one that holds nothing costs nothing. One CPU polls at a time.
 */
static bool polling;

/* Lock held: whether dev is worth polling now. Not for requests it has
 * answered and their owners have yet to free: their answers are taken. */
static bool pollable(const struct virtio_blk *dev)
{
    return dev->poll_ns != 0 && !dev->stopped && virtq_in_device_count(&dev->vq) != 0 &&
           dev->poll_missed != dev->stats.requests;
}

/* Devices whose poll time is not 0, one bit each: read without the lock,
 * written under it, which also keeps the poller enabled while any is. */
static struct spinlock poll_lock = SPINLOCK_INIT("virtio-blk polling");
static uint32_t poll_enabled;

/* Without the lock, for the common case of nothing to poll: a hint,
 * looked at again under the lock. */
static bool any_pollable(void)
{
    uint32_t enabled = __atomic_load_n(&poll_enabled, __ATOMIC_RELAXED);
    while (enabled != 0) {
        unsigned int i = (unsigned int)__builtin_ctz(enabled);
        if (virtq_in_device_count(&blk_memory.devices[i].vq) != 0) {
            return true;
        }
        enabled &= enabled - 1;
    }
    return false;
}

static bool blk_poll(void *arg)
{
    (void)arg;
    uint32_t polled = 0, missed = 0, found = 0;
    uint64_t budget[BLK_MAX_DEVICES];
    /* Requests sent when the poll began: another CPU may send more while
     * this one polls, and a poll that runs out of time has not seen them. */
    uint32_t requests[BLK_MAX_DEVICES];

    if (!any_pollable() || __atomic_exchange_n(&polling, true, __ATOMIC_ACQUIRE)) {
        return false;
    }
    for (unsigned int i = 0; i < virtio_blk_count(); i++) {
        struct virtio_blk *dev = &blk_memory.devices[i];
        irq_flags_t flags = spin_lock_irqsave(&dev->lock);
        if (pollable(dev)) {
            virtq_poll_begin(&dev->vq);
            budget[i] = dev->poll_ns;
            requests[i] = dev->stats.requests;
            polled |= 1u << i;
        }
        spin_unlock_irqrestore(&dev->lock, flags);
    }
    /* The clock now and then: on QEMU the counter is an emulated register,
     * and reading it on every spin took most of what polling gains. */
    uint64_t start = co_clock_ns(), elapsed = 0;
    for (unsigned int spins = 1; (polled & ~missed) != 0 && found == 0 && !co_ready_pending(); spins++) {
        if (spins % 64 == 0) {
            elapsed = co_clock_ns() - start;
        }
        for (unsigned int i = 0; i < virtio_blk_count(); i++) {
            struct virtio_blk *dev = &blk_memory.devices[i];
            uint32_t bit = 1u << i;
            if ((polled & ~missed & bit) == 0) {
                continue;
            }
            if (virtq_used_pending(&dev->vq)) {
                found |= bit;
            } else if (elapsed >= budget[i]) {
                missed |= bit;
            }
        }
    }
    unsigned int completed = 0;
    for (unsigned int i = 0; i < virtio_blk_count(); i++) {
        struct virtio_blk *dev = &blk_memory.devices[i];
        if ((polled & (1u << i)) == 0) {
            continue;
        }
        irq_flags_t flags = spin_lock_irqsave(&dev->lock);
        virtq_poll_end(&dev->vq);
        if (missed & (1u << i)) {
            dev->poll_missed = requests[i];
        }
        unsigned int n = complete_used(dev);
        dev->stats.polled += n;
        completed += n;
        spin_unlock_irqrestore(&dev->lock, flags);
    }
    __atomic_store_n(&polling, false, __ATOMIC_RELEASE);
    return completed != 0;
}

static struct co_poller blk_poller = {.poll = blk_poll};

int blk_set_poll(struct blk_dev *blk, uint64_t ns)
{
    struct virtio_blk *dev = virtio_blk_checked(blk);

    if (dev == NULL) {
        return -EINVAL;
    }
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);
    dev->poll_ns = ns;
    spin_unlock_irqrestore(&dev->lock, flags);

    flags = spin_lock_irqsave(&poll_lock);
    uint32_t bit = 1u << dev->index;
    __atomic_store_n(&poll_enabled, ns != 0 ? poll_enabled | bit : poll_enabled & ~bit,
                     __ATOMIC_RELAXED);
    co_poller_enable(&blk_poller, poll_enabled != 0);
    spin_unlock_irqrestore(&poll_lock, flags);
    return 0;
}

/*
 * Lock held: a request outlived its timeout. The device is reset before
 * anyone is told, so that it no longer touches the rings or the callers'
 * buffers; what it had answered keeps its answer, the rest fails with
 * -ETIMEDOUT, and the device is set up again for the next request (or, if
 * it will not be, stopped: later requests fail with -EIO).
 */
static __attribute__((noinline, cold)) void reset_after_timeout(struct virtio_blk *dev)
{
    struct virtq_used_buf done;

    kprintf("virtio-blk%u: a request had no answer in %lu ms: the device is reset, "
            "the requests it held fail with ETIMEDOUT\n",
            dev->index, (unsigned long)(dev->timeout_ns / 1000000u));
    dev->stats.timeouts++;
    int err = blk_reset(dev);
    complete_used(dev);
    virtq_abandon(&dev->vq);
    while (virtq_get_used(&dev->vq, &done)) {
        struct blk_req *req = done.token;
        co_wait_complete(req->waiter, req->ticket, -ETIMEDOUT);
    }
    if (err == 0) {
        err = blk_restart(dev);
    }
    dev->stopped = err != 0;
}

/*
 * Lock held, a timeout after the last look: whether the device still
 * holds requests. One it held at the last look too has had a whole
 * timeout: the device is reset. The marks cost the request path nothing:
 * a waiter and its ticket name one request.
 */
static bool look(struct virtio_blk *dev)
{
    bool holds = false, late = false;

    for (unsigned int head = 0; head < virtq_size(&dev->vq); head++) {
        if (!virtq_in_device(&dev->vq, head)) {
            continue;
        }
        struct blk_req *req = &dev->reqs[head];
        late |= req->seen_waiter == req->waiter && req->seen_ticket == req->ticket;
        req->seen_waiter = req->waiter;
        req->seen_ticket = req->ticket;
        holds = true;
    }
    if (late) {
        reset_after_timeout(dev);
        return false;
    }
    return holds;
}

/*
 * Each device's watchdog: while the device holds requests, it looks at
 * them once a timeout. Its wait is CO_WAIT_WATCH, so it keeps no co_run()
 * going; once the device holds nothing it stops until the next request
 * wakes it (one flag on the request path: arming a deadline per request
 * would cost more than the rest of a read's path).
 */
CO_DEFINE_ARRAY(blk_watchdogs, BLK_MAX_DEVICES, 2048);

static void watch_run(void *opaque)
{
    struct virtio_blk *dev = opaque;

    for (;;) {
        /* Begun under the lock, the period read after: blk_set_timeout()
         * ends this wait to start a new one at the new period. */
        irq_flags_t flags = spin_lock_irqsave(&dev->lock);
        co_ticket_t ticket = co_wait_begin(CO_WAIT_WATCH);
        dev->watch_ticket = ticket;
        uint64_t period = dev->timeout_ns;
        spin_unlock_irqrestore(&dev->lock, flags);

        bool timed = co_wait_end(ticket, co_deadline_in_ns(period)) == -ETIMEDOUT;
        flags = spin_lock_irqsave(&dev->lock);
        bool busy = !timed || look(dev);
        dev->watched = busy;
        spin_unlock_irqrestore(&dev->lock, flags);
        if (!busy) {
            co_yield();
        }
    }
}

/* Lock held, a request just given to a device nobody watches. */
static __attribute__((noinline, cold)) void watch(struct virtio_blk *dev)
{
    dev->watched = true;
    co_wake(&blk_watchdogs[dev->index]);
}

int blk_set_timeout(struct blk_dev *blk, uint64_t ns)
{
    struct virtio_blk *dev = virtio_blk_checked(blk);

    if (dev == NULL || ns == 0) {
        return -EINVAL;
    }
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);
    dev->timeout_ns = ns;
    /* A watchdog asleep for the old period starts again (if it is not
     * waiting, the ticket is stale and nothing happens). */
    co_wait_complete(&blk_watchdogs[dev->index], dev->watch_ticket, 0);
    spin_unlock_irqrestore(&dev->lock, flags);
    return 0;
}

/* take_turn()'s wait, out of the way of the common path. */
static __attribute__((noinline)) void wait_turn(struct virtio_blk *dev, unsigned int needed,
                                                irq_flags_t *flags)
{
    dev->stats.desc_waits++;
    do {
        co_ticket_t ticket = co_queue_wait_begin(&dev->desc_waiters);
        spin_unlock_irqrestore(&dev->lock, *flags);
        co_queue_wait_end(&dev->desc_waiters, ticket, CO_NO_DEADLINE);
        *flags = spin_lock_irqsave(&dev->lock);
    } while (virtq_free_count(&dev->vq) < needed);
}

/* Lock held (and released while it waits: *flags): waits until `needed`
 * descriptors are free, behind whoever waits already, so a large request
 * is not starved by small ones. True if it waited. Every wait begins under
 * the lock, so the queue's emptiness is exact here. */
static inline bool take_turn(struct virtio_blk *dev, unsigned int needed, irq_flags_t *flags)
{
    if (virtq_free_count(&dev->vq) >= needed && co_queue_empty(&dev->desc_waiters)) {
        return false;
    }
    wait_turn(dev, needed, flags);
    return true;
}

/* Lock held: lets the next waiter try, if there is anything left for it. */
static void pass_turn(struct virtio_blk *dev)
{
    if (virtq_free_count(&dev->vq) > 0 && !co_queue_empty(&dev->desc_waiters)) {
        co_queue_next(&dev->desc_waiters);
    }
}

static struct virtq_seg seg(const volatile void *addr, uint32_t len, bool device_writes)
{
    return (struct virtq_seg){
        .addr = (uintptr_t)addr, .len = len, .device_writes = device_writes,
    };
}

/*
 * Fills in the request the next chain on the ring will use (its head's),
 * and the chain's segments: a header, an optional data buffer (len 0:
 * none) and the status byte; returns the number of segments. data is an
 * address: the device, not the compiler, decides whether it is read or
 * written. With a payload (DISCARD's range, GET_ID's answer) the data is
 * the request's own memory instead, *payload copied in when the device
 * reads it. Nothing may add to or free from the ring until the chain is
 * added: the caller holds the lock.
 */
static inline __attribute__((always_inline)) unsigned int
prepare(struct virtio_blk *dev, struct blk_req *req, uint32_t type, uint64_t sector, uintptr_t data,
        uint32_t len, bool device_writes, const union blk_payload *payload, struct virtq_seg *segs)
{
    req->header.type = type;
    req->header.reserved = 0;
    req->header.sector = sector;
    if (payload != NULL) {
        data = (uintptr_t)&req->payload;
        if (!device_writes) {
            req->payload = *payload;
        }
    }
    segs[0] = seg(&req->header, sizeof(req->header), false);
    segs[1] = (struct virtq_seg){ .addr = data, .len = len, .device_writes = device_writes };
    segs[2] = seg(&req->status, 1, true);
    req->status = BLK_STATUS_UNSET;
    dev->stats.requests++;
    if (len == 0) {
        segs[1] = segs[2];
        return 2;
    }
    return 3;
}

/* After completion: what the device wrote is the CPU's to read. */
static inline __attribute__((always_inline)) void take_answer(const struct blk_req *req,
                                                               uintptr_t data, uint32_t len,
                                                               bool device_writes,
                                                               union blk_payload *payload)
{
    if (device_writes && len != 0) {
        if (payload != NULL) {
            dma_sync_for_cpu(&req->payload, len);
            *payload = req->payload;
        } else {
            dma_sync_for_cpu((const void *)data, len);
        }
    }
}

/*
 * Sends one request and blocks until the device answers (see prepare()
 * for the arguments; *payload is copied out after, when the device writes
 * it). Inlined, with the helpers above, into the read and write
 * operations: a read is one call deep in the driver before the ring and
 * the scheduler; the other callers share request().
 */
static inline __attribute__((always_inline)) int
request_inline(struct virtio_blk *dev, uint32_t type, uint64_t sector, uintptr_t data, uint32_t len,
               bool device_writes, union blk_payload *payload)
{
    unsigned int needed = virtq_descs_needed(&dev->vq, len == 0 ? 2u : 3u);
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);
    bool waited = take_turn(dev, needed, &flags);
    struct blk_req *req = &dev->reqs[virtq_next_head(&dev->vq)];
    struct virtq_seg segs[BLK_SEGS_MAX];
    unsigned int n = prepare(dev, req, type, sector, data, len, device_writes, payload, segs);

    req->waiter = co_self();
    /* Begun before the device can see the request: a completion that comes
     * before co_wait_end() is kept. */
    req->ticket = co_wait_begin(CO_WAIT_IRQ);
    int head = virtq_add(&dev->vq, segs, n, req, req->table);
    if (head < 0) {
        /* A broken ring (-EIO); -ENOSPC cannot happen (take_turn made
         * room). Fail rather than hang, and let the next caller queued
         * for descriptors in: it fails so too, and no free will wake it.
         * It fills in the same slot: this request's ticket is kept here. */
        co_ticket_t ticket = req->ticket;
        pass_turn(dev);
        spin_unlock_irqrestore(&dev->lock, flags);
        stop_if_broken(dev);
        co_wait_complete(co_self(), ticket, head);
        return co_wait_end(ticket, CO_NO_DEADLINE);
    }
    /* Nobody queued behind a caller that did not wait: every wait begins
     * under the lock, held since take_turn() looked. */
    if (waited) {
        pass_turn(dev);
    }
    if (!dev->watched) {
        watch(dev);
    }
    bool ring = notify_now(dev);
    spin_unlock_irqrestore(&dev->lock, flags);
    if (ring) {
        ring_doorbell(dev);
    }

    int result = co_wait_end(req->ticket, CO_NO_DEADLINE);
    if (result != 0) {
        stop_if_broken(dev);
    }
    take_answer(req, data, len, device_writes, payload);
    flags = spin_lock_irqsave(&dev->lock);
    virtq_free(&dev->vq, (unsigned int)head);
    pass_turn(dev);
    spin_unlock_irqrestore(&dev->lock, flags);
    return result;
}

static __attribute__((noinline)) int request(struct virtio_blk *dev, uint32_t type, uint64_t sector,
                                             union blk_payload *payload, uint32_t len,
                                             bool device_writes)
{
    return request_inline(dev, type, sector, 0, len, device_writes, payload);
}

/* Inlined into the read and write operations, the direction a constant:
 * as many requests as the device's largest takes. */
static inline __attribute__((always_inline)) int transfer(struct blk_dev *blk, uint64_t sector,
                                                          const void *buf, size_t count,
                                                          bool write)
{
    struct virtio_blk *dev = virtio_blk(blk);
    int err = 0;

    /* count is not 0: one request at least. */
    while (err == 0) {
        size_t chunk = count < dev->request_sectors_max ? count : dev->request_sectors_max;
        err = request_inline(dev, write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN, sector,
                             (uintptr_t)buf, (uint32_t)(chunk * BLK_SECTOR_SIZE), !write, NULL);
        count -= chunk;
        if (count == 0) {
            break;
        }
        sector += chunk;
        buf = (const uint8_t *)buf + chunk * BLK_SECTOR_SIZE;
    }
    return err;
}

static int read_op(struct blk_dev *blk, uint64_t sector, void *buf, size_t count)
{
    return transfer(blk, sector, buf, count, false);
}

static int write_op(struct blk_dev *blk, uint64_t sector, const void *buf, size_t count)
{
    return transfer(blk, sector, buf, count, true);
}

static int flush_op(struct blk_dev *blk)
{
    struct virtio_blk *dev = virtio_blk(blk);

    /* Without a write cache every completed write is durable already. */
    if (!virtio_mmio_has(&dev->mmio, VIRTIO_BLK_F_FLUSH)) {
        return 0;
    }
    return request(dev, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, false);
}

/* DISCARD and WRITE_ZEROES: one range per request, at most max sectors. */
static int range_op(struct virtio_blk *dev, uint32_t type, uint32_t max, uint64_t sector,
                    uint64_t count)
{
    int err = 0;

    while (err == 0 && count > 0) {
        uint32_t chunk = count < max ? (uint32_t)count : max;
        /* No unmap flag: DISCARD must not, WRITE_ZEROES need not. */
        union blk_payload range = { .range = { .sector = sector, .sectors = chunk, .flags = 0 } };

        err = request(dev, type, 0, &range, sizeof(range.range), false);
        sector += chunk;
        count -= chunk;
    }
    return err;
}

static int discard_op(struct blk_dev *blk, uint64_t sector, uint64_t count)
{
    struct virtio_blk *dev = virtio_blk(blk);

    return range_op(dev, VIRTIO_BLK_T_DISCARD, dev->discard_sectors_max, sector, count);
}

static int write_zeroes_op(struct blk_dev *blk, uint64_t sector, uint64_t count)
{
    struct virtio_blk *dev = virtio_blk(blk);

    return range_op(dev, VIRTIO_BLK_T_WRITE_ZEROES, dev->write_zeroes_sectors_max, sector, count);
}

/* A device that has not answered in this many looks at the used ring
 * (far more than QEMU's microseconds) is broken. */
#define BLK_POLLS_MAX 10000000u

/*
 * The same request without a coroutine or an interrupt, for blk_probe()
 * before the device's interrupt is registered (and before any other
 * context can reach the device, so without the lock): published, notified, and
 * the used ring polled until it comes back (-ETIMEDOUT if it never does;
 * the device is then given up).
 */
static int request_polled(struct virtio_blk *dev, uint32_t type, union blk_payload *payload,
                          uint32_t len, bool device_writes)
{
    struct blk_req *req = &dev->reqs[virtq_next_head(&dev->vq)];
    struct virtq_seg segs[BLK_SEGS_MAX];
    unsigned int n = prepare(dev, req, type, 0, 0, len, device_writes, payload, segs);
    struct virtq_used_buf done;

    int head = virtq_add(&dev->vq, segs, n, req, req->table);
    if (head < 0) {
        return head;
    }
    if (kick_prepare(dev)) {
        ring_doorbell(dev);
    }
    for (unsigned int polls = 0; !virtq_get_used(&dev->vq, &done); polls++) {
        if (polls == BLK_POLLS_MAX) {
            return -ETIMEDOUT;
        }
    }
    /* Once more, to find the ring empty: that is what asks the device for
     * an interrupt at the next completion (used_event), as the handler's
     * last look does. Nothing else is in flight to be taken here. */
    struct virtq_used_buf none;
    (void)virtq_get_used(&dev->vq, &none);
    int result = answer_result(req, &done);
    take_answer(req, 0, len, device_writes, payload);
    virtq_free(&dev->vq, done.head);
    return result;
}

int blk_read_id(struct virtio_blk *dev)
{
    union blk_payload answer;

    dev->id_result = request_polled(dev, VIRTIO_BLK_T_GET_ID, &answer, sizeof(answer.id), true);
    if (dev->id_result == 0) {
        memcpy(dev->id, answer.id, sizeof(dev->id));
    }
    return dev->id_result;
}

static int get_id_op(const struct blk_dev *blk, char id[BLK_ID_BYTES])
{
    const struct virtio_blk *dev = virtio_blk(blk);

    if (dev->id_result == 0) {
        memcpy(id, dev->id, BLK_ID_BYTES);
    }
    return dev->id_result;
}

const struct blk_ops virtio_blk_ops = {
    .read = read_op,
    .write = write_op,
    .flush = flush_op,
    .discard = discard_op,
    .write_zeroes = write_zeroes_op,
    .get_id = get_id_op,
};

int blk_test_send_raw(struct blk_dev *blk, uint32_t type, uint64_t sector)
{
    struct virtio_blk *dev = virtio_blk_checked(blk);

    if (dev == NULL) {
        return -EINVAL;
    }
    return request(dev, type, sector, NULL, 0, false);
}

void blk_test_skew_used_index(struct blk_dev *blk)
{
    struct virtio_blk *dev = virtio_blk(blk);
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);
    dev->vq.last_used = (uint16_t)(dev->vq.last_used - virtq_size(&dev->vq) - 1u);
    spin_unlock_irqrestore(&dev->lock, flags);
}

void blk_test_mute(struct blk_dev *blk)
{
    struct virtio_blk *dev = virtio_blk(blk);
    struct virtq *vq = &dev->vq;
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);

    /* The spec's layout (virtio 1.x 2.7): the used ring's flags, and after
     * its elements avail_event, set to an index the driver has passed. */
    volatile uint16_t *avail_event = (volatile uint16_t *)&vq->used_ring[vq->size];
    vq->used[0] = VIRTQ_USED_F_NO_NOTIFY;
    *avail_event = (uint16_t)(vq->kicked_idx - 1u);
    dma_sync_for_device(vq->used, sizeof(uint16_t));
    dma_sync_for_device(avail_event, sizeof(uint16_t));
    spin_unlock_irqrestore(&dev->lock, flags);
}

void blk_test_answer(struct blk_dev *blk, uint32_t len, int status)
{
    struct virtio_blk *dev = virtio_blk(blk);
    struct virtq *vq = &dev->vq;
    irq_flags_t flags = spin_lock_irqsave(&dev->lock);
    /* The device's view: the avail ring's last entry (after its flags and
     * index), the used ring's next element, then its index. */
    uint16_t head = vq->avail[2 + ((vq->avail_idx - 1u) & (vq->size - 1u))];
    uint16_t used_idx = vq->used[1];
    volatile struct virtq_used_elem *e = &vq->used_ring[used_idx & (vq->size - 1u)];

    if (status >= 0) {
        dev->reqs[head].status = (uint8_t)status;
        dma_sync_for_device(&dev->reqs[head].status, 1);
    }
    e->id = head;
    e->len = len;
    dma_sync_for_device(e, sizeof(*e));
    vq->used[1] = (uint16_t)(used_idx + 1u);
    dma_sync_for_device(&vq->used[1], sizeof(uint16_t));
    spin_unlock(&dev->lock);
    blk_irq(dev);
    irq_restore(flags);
}

void blk_requests_init(void)
{
    co_init(&blk_kicker, kicker_run, NULL);
    co_add_poller(&blk_poller);
    for (unsigned int i = 0; i < BLK_MAX_DEVICES; i++) {
        co_init_element(blk_watchdogs, i, watch_run, &blk_memory.devices[i]);
    }
}
