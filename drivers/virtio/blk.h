/*
 * virtio-blk: block devices for coroutines. Every call that talks to the
 * device blocks the calling coroutine (the main loop, co_run(), runs others
 * meanwhile) and returns 0 or a negative errno:
 *
 *     if (blk_probe() < 0) ...                          -ENODEV: none found
 *     struct blk_dev *disk = blk_get(0);
 *     int err = blk_read(disk, lba, buf, 8);            8 sectors of 512 bytes
 *
 * Arguments are checked before anything reaches the device: -EINVAL for a
 * NULL device or buffer, a zero count, or a range not aligned to the
 * device's block size; -ERANGE for sectors past the end (or a range that
 * overflows); -EROFS for a write to a read-only device; -EFAULT for a
 * buffer a device may not reach (drivers/dma.h: outside the memory the
 * board gives devices, or running off its end), a read into the image's
 * code or read-only data, or one that overlaps the driver's own memory. A
 * request the device fails returns -EIO (IOERR) or -ENOTSUP (UNSUPP), and
 * one it breaks the protocol for (a status it never wrote, a length past
 * the buffers, a used ring it broke: then it is stopped) -EIO; one it does
 * not answer in time (blk_set_timeout()) -ETIMEDOUT.
 *
 * Buffers are used in place for DMA: they must stay untouched until the
 * call returns. Sector numbers and counts are in 512-byte sectors whatever
 * the device's block size.
 */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLK_SECTOR_SIZE     512u
#define BLK_MAX_DEVICES     4u
#define BLK_ID_BYTES        20u     /* the device id string, not counting a NUL */

struct blk_dev;

/* Sets up every virtio-blk device on the board's virtio-mmio slots, once
 * (later calls return the same answer). Returns how many, or -ENODEV with
 * a message if there is none. */
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
 * given it (the device's watchdog looks once a timeout). -EINVAL for a
 * NULL device or 0. Any context. */
int blk_set_timeout(struct blk_dev *dev, uint64_t ns);

/* How long a CPU with nothing else to do looks at the device's ring for
 * an answer, the device's interrupt suppressed, before it sleeps until
 * the interrupt. 0, the default: never, every answer comes by interrupt.
 * Only while the device holds requests, and once per batch of them: a
 * device that did not answer in time is left to its interrupt until it is
 * given another request. The answers polling finds are counted in
 * blk_stats.polled. -EINVAL for a NULL device. Any context.
 * BLK_POLL_QEMU_NS is what measured best under QEMU (README, Benchmarks):
 * the time a host thread takes to answer, well short of what a wakeup by
 * interrupt costs there; 200 us did no better. On a host with no core to
 * spare it finds little: the device's thread waits for the polling vCPU's
 * core. */
#define BLK_POLL_QEMU_NS 50000u
int blk_set_poll(struct blk_dev *dev, uint64_t ns);

unsigned int blk_count(void);
/* Device `index` in probe order, NULL past the last. */
struct blk_dev *blk_get(unsigned int index);

int blk_read(struct blk_dev *dev, uint64_t sector, void *buf, size_t count);
int blk_write(struct blk_dev *dev, uint64_t sector, const void *buf, size_t count);
/* Makes completed writes durable (a no-op on a write-through device). */
int blk_flush(struct blk_dev *dev);
/* The device may forget these sectors / must read them as zeroes after
 * this; -ENOTSUP if it does not offer the operation. */
int blk_discard(struct blk_dev *dev, uint64_t sector, uint64_t count);
int blk_write_zeroes(struct blk_dev *dev, uint64_t sector, uint64_t count);

/* The device's id string (QEMU: the serial property), NUL-terminated and
 * cut to size - 1 characters; BLK_ID_BYTES + 1 bytes hold all of it. Read
 * once by blk_probe(): this call does no I/O and never blocks, so it works
 * from main() (to find a disk by serial) as well as from a coroutine. A
 * device that refused the request at probe time gives its errno here. */
int blk_get_id(struct blk_dev *dev, char *buf, size_t size);

/* Capacity in 512-byte sectors; the block size in bytes (transfers are
 * multiples of it). */
uint64_t blk_capacity(const struct blk_dev *dev);
uint32_t blk_block_size(const struct blk_dev *dev);
bool blk_read_only(const struct blk_dev *dev);
bool blk_can_discard(const struct blk_dev *dev);
bool blk_can_write_zeroes(const struct blk_dev *dev);

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
