/*
 * virtio-blk: the block driver of virtio-mmio's block devices, behind the
 * block layer: an application reads and writes them through
 * drivers/blk.h, which this header includes, and finds them there
 * (blk_get(), blk_find(): "virtio0", "virtio1", ... in probe order). What
 * is here is virtio-blk's own: the probe, the ring's size and the knobs
 * and counts of a device's queue. Each call that takes a device returns
 * -EINVAL (the queries 0) for NULL or a device of another driver.
 *
 * What the device makes of a request: -EIO when it fails it (IOERR) or
 * breaks the protocol for it (a status it never wrote, a length past the
 * buffers, a used ring it broke: then it is stopped), -ENOTSUP when it
 * does not support it (UNSUPP), -ETIMEDOUT when it does not answer in
 * time (blk_set_timeout()).
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include "drivers/blk.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLK_MAX_DEVICES     4u

/* Sets up every virtio-blk device on the board's virtio-mmio slots and
 * registers it with the block layer, once (later calls return the same
 * answer; the layer calls it when first asked for a device, on a board
 * that has virtio). Returns how many, or -ENODEV with a message if there
 * is none. */
int blk_probe(void);

/* Caps the ring size of devices probed after this: a power of two from 4
 * to 256 (the default). Small rings make callers wait for descriptors.
 * -EINVAL for another value. */
int blk_set_queue_limit(unsigned int entries);

/* How long the device may leave a request unanswered (30 s until this is
 * called; UINT64_MAX: for ever). A request it holds for longer fails with
 * -ETIMEDOUT: the device is reset first, so that it no longer touches the
 * callers' buffers, every other request it held and had not answered
 * fails the same way, and it is set up again for the next request. A
 * request times out between one and two timeouts after the device was
 * given it (the device's watchdog looks once a timeout). -EINVAL for
 * 0. Any context. */
int blk_set_timeout(struct blk_dev *dev, uint64_t ns);

/* How long a CPU with nothing else to do looks at the device's ring for
 * an answer, the device's interrupt suppressed, before it sleeps until
 * the interrupt. 0, the default: never, every answer comes by interrupt.
 * Only while the device holds requests, and once per batch of them: a
 * device that did not answer in time is left to its interrupt until it is
 * given another request. The answers polling finds are counted in
 * blk_stats.polled. Any context.
 * BLK_POLL_QEMU_NS is what measured best under QEMU (README, Benchmarks):
 * the time a host thread takes to answer, well short of what a wakeup by
 * interrupt costs there; 200 us did no better. On a host with no core to
 * spare it finds little: the device's thread waits for the polling vCPU's
 * core. */
#define BLK_POLL_QEMU_NS 50000u
int blk_set_poll(struct blk_dev *dev, uint64_t ns);

/* The device's interrupt number: irq_set_cpu() (drivers/irq.h) routes it
 * to another CPU, whose main loop then resumes the callers it completes. */
unsigned int blk_interrupt(const struct blk_dev *dev);

/* The ring, for leak checks: its size, its free descriptors and the
 * requests in flight. Idle, free == size and in flight == 0. */
unsigned int blk_queue_size(const struct blk_dev *dev);
unsigned int blk_free_descriptors(const struct blk_dev *dev);
unsigned int blk_in_flight(const struct blk_dev *dev);

struct blk_stats {
    uint32_t requests;      /* sent to the device */
    uint32_t notifies;      /* doorbell writes */
    uint32_t interrupts;
    uint32_t desc_waits;    /* times a request waited for free descriptors */
    uint32_t ring_errors;   /* completions the ring rejected */
    uint32_t suppressed;    /* notifications the device's hints saved */
    uint32_t timeouts;      /* resets after a request had no answer in time */
    uint32_t polled;        /* completions found by polling, before their interrupt */
};
void blk_get_stats(const struct blk_dev *dev, struct blk_stats *stats);

/* One line on the console: slot, transport, size, features, ring. */
void blk_describe(const struct blk_dev *dev);

#endif
