/*
 * The split virtqueue (virtio 1.x section 2.7), for any virtio device: a
 * descriptor table with a free list, the avail ring we publish chains on,
 * the used ring the device returns them on. Nothing here knows a device
 * type; the transport is told only the three addresses.
 *
 *   thread context                      IRQ handler
 *   virtq_add()      a chain, published
 *   virtq_kick_prepare() -> notify?
 *                                       virtq_get_used(): validated completion
 *   virtq_free()     the chain's descriptors, once its owner has seen it
 *
 * Completions are validated like Linux's virtio_ring.c: an id out of range,
 * or one that is not an outstanding head, is reported and breaks the ring,
 * never followed; a length larger than the chain's writable bytes is
 * reported and fails that chain alone.
 * The ring takes no lock: its driver makes every call on one ring under a
 * spinlock of its own (which masks IRQs too), as Linux's virtio drivers
 * do, and so holds it across a decision and its use (virtq_next_head()).
 * Addresses reach the device through drivers/dma.h.
 */
#ifndef DRIVERS_VIRTIO_RING_H
#define DRIVERS_VIRTIO_RING_H

#include "drivers/dma.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTQ_SIZE_MAX      256u    /* entries; each costs ~30 bytes of bookkeeping */
#define VIRTQ_MEM_ALIGN     4096u   /* the legacy transport's page and QueueAlign */

/*
 * Ring memory for `size` entries, in the legacy layout (which a modern
 * device accepts as well): the descriptor table, the avail ring right
 * after it, the used ring on the next page boundary.
 */
#define VIRTQ_ALIGN_UP(x, a)        (((x) + (a) - 1) / (a) * (a))
#define VIRTQ_USED_OFFSET(size)     VIRTQ_ALIGN_UP(16u * (size) + 6u + 2u * (size), VIRTQ_MEM_ALIGN)
#define VIRTQ_MEM_BYTES(size)       (VIRTQ_USED_OFFSET(size) + 6u + 8u * (size))

/* A descriptor, as the device reads it. */
struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
#define VIRTQ_DESC_F_NEXT       1u  /* the chain continues at `next` */
#define VIRTQ_DESC_F_WRITE      2u  /* the device writes this buffer (else reads it) */
#define VIRTQ_DESC_F_INDIRECT   4u  /* the buffer is a table of descriptors */

/* A used ring element: which chain (its head) and how much was written. */
struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

/* The device's hints to us, and ours to it, without VIRTIO_F_EVENT_IDX. */
#define VIRTQ_USED_F_NO_NOTIFY      1u  /* the device is polling: no need to notify */
#define VIRTQ_AVAIL_F_NO_INTERRUPT  1u

/* virtq_init() flags: the features negotiated with the device. */
#define VIRTQ_INIT_EVENT_IDX    1u  /* VIRTIO_F_EVENT_IDX */
#define VIRTQ_INIT_INDIRECT     2u  /* VIRTIO_F_INDIRECT_DESC */

/* One buffer of a chain, at a CPU address (the ring makes the device's and
 * syncs the buffer for the device). Buffers the device writes come after
 * those it reads; after completion the caller syncs those for the CPU. */
struct virtq_seg {
    uintptr_t addr;
    uint32_t len;
    bool device_writes;
};

/* A completion taken from the used ring. */
struct virtq_used_buf {
    void *token;        /* what virtq_add() was given */
    unsigned int head;  /* for virtq_free() */
    uint32_t len;       /* bytes the device says it wrote */
    bool len_ok;        /* len fits in the chain's writable buffers */
};

/* What the ring knows of a chain, by its head: one place, one address. */
struct virtq_head {
    void *token;                    /* the caller's, from virtq_add() */
    uint32_t writable;              /* bytes of the chain the device may write */
    uint16_t chain_len;             /* ring descriptors it takes */
    uint8_t state;                  /* free, in the device, completed */
};

/* Private to ring.c; here so that drivers can allocate it statically. */
struct virtq {
    volatile struct virtq_desc *desc;
    volatile uint16_t *avail;       /* flags, idx, ring[size], used_event */
    volatile uint16_t *used;        /* flags, idx, then the elements */
    volatile struct virtq_used_elem *used_ring;     /* [size], then avail_event */
    uint16_t size;
    uint16_t free_head;
    uint16_t free_count;
    uint16_t avail_idx;             /* our copy of avail->idx */
    uint16_t kicked_idx;            /* avail_idx at the last kick decision */
    uint16_t last_used;             /* used entries consumed so far */
    uint16_t outstanding;           /* chains added and not yet freed */
    bool event_idx;
    bool indirect;
    bool broken;                    /* the device broke the protocol, or was reset: stop reading */
    uint32_t errors;                /* completions rejected */
    uint32_t suppressed;            /* kicks the device's hints made unnecessary */
    uint16_t next[VIRTQ_SIZE_MAX];  /* free list and chain links: never read back from the device */
    struct virtq_head heads[VIRTQ_SIZE_MAX];
};

/* Sets up a queue of `size` entries (a power of two, 2..VIRTQ_SIZE_MAX) in
 * mem (VIRTQ_MEM_BYTES(size) bytes, VIRTQ_MEM_ALIGN-aligned), zeroed here.
 * -EINVAL if size or mem are not right. */
int virtq_init(struct virtq *vq, unsigned int size, void *mem, unsigned int flags);

/* The three parts' addresses as the device sees them (drivers/dma.h). */
dma_addr_t virtq_desc_addr(const struct virtq *vq);
dma_addr_t virtq_avail_addr(const struct virtq *vq);
dma_addr_t virtq_used_addr(const struct virtq *vq);

unsigned int virtq_size(const struct virtq *vq);

/* Descriptors a chain of n buffers takes from the ring: 1 with an
 * indirect table, else n. */
static inline unsigned int virtq_descs_needed(const struct virtq *vq, unsigned int n)
{
    return vq->indirect && n > 1 ? 1u : n;
}

/*
 * Adds a chain of n buffers and publishes it on the avail ring; the device
 * is not notified (see virtq_kick_prepare()). token (not NULL) comes back
 * with the completion. With VIRTQ_INIT_INDIRECT and n > 1, the chain goes
 * into `indirect` (n entries, the caller's, valid until the chain is freed;
 * NULL: use ring descriptors). Returns the head for virtq_free(), -ENOSPC
 * without enough free descriptors, -EINVAL for a malformed chain, -EIO on
 * a broken ring.
 */
int virtq_add(struct virtq *vq, const struct virtq_seg *segs, unsigned int n, void *token,
              struct virtq_desc *indirect);

/* Whether the device must be notified of what was added since the last
 * call, after the device's suppression hints (used_event / NO_NOTIFY): a
 * burst of adds needs one notification at most. */
bool virtq_kick_prepare(struct virtq *vq);

/* Takes the next valid completion off the used ring: true and *out filled
 * in, false when there is none. A bad id or used index is reported
 * (kprintf), counted and breaks the ring; on a broken ring, the chains left
 * in the device come back with len_ok false (virtq_broken()). */
bool virtq_get_used(struct virtq *vq, struct virtq_used_buf *out);

/*
 * Polling: between virtq_poll_begin() and virtq_poll_end() the device is
 * asked for no interrupt (used_event far ahead, or NO_INTERRUPT without
 * VIRTIO_F_EVENT_IDX) and the driver watches the used index itself with
 * virtq_used_pending(). After virtq_poll_end() the caller drains the ring
 * with virtq_get_used() as after an interrupt; once that finds no more,
 * interrupts are wanted again and the index has been read after asking
 * for them: a completion the device published while it still saw the hint
 * is taken then, and any later one interrupts.
 */
void virtq_poll_begin(struct virtq *vq);
bool virtq_used_pending(struct virtq *vq);
void virtq_poll_end(struct virtq *vq);

/* Whether the device broke the protocol (a used index past the ring, a
 * used id that names no chain in the device): the
 * ring reads nothing more from it, virtq_get_used() hands back every chain
 * still in the device as a failed completion, and virtq_add() fails with
 * -EIO. The driver should stop the device before those chains' owners
 * reuse their buffers. */
static inline bool virtq_broken(const struct virtq *vq)
{
    return vq->broken;
}

/*
 * After the device was reset (it no longer reads or writes the ring or the
 * chains' buffers): every chain it held comes back from virtq_get_used()
 * as a failed completion, as on a broken ring, and virtq_add() fails with
 * -EIO until virtq_restart().
 */
void virtq_abandon(struct virtq *vq);

/* Once virtq_get_used() has handed back every chain the device held: the
 * ring starts over as a device that is set up again finds it, empty and
 * at index 0 (not broken). Completed chains not yet freed stay their
 * owners' to free. */
void virtq_restart(struct virtq *vq);

/* Whether the chain at head is in the device: published, not yet
 * returned. */
bool virtq_in_device(const struct virtq *vq, unsigned int head);

/* Returns a completed chain's descriptors to the free list; -EINVAL (and a
 * report) if head is not a completed chain. */
int virtq_free(struct virtq *vq, unsigned int head);

/* The head the next virtq_add() will use, so that the caller can keep
 * per-request memory indexed by it. Valid until the next add or free on
 * this ring, which the caller must not let happen in between. */
static inline unsigned int virtq_next_head(const struct virtq *vq)
{
    return vq->free_head;
}

/* Inline: the block driver asks on every request. */
static inline unsigned int virtq_free_count(const struct virtq *vq)
{
    return vq->free_count;
}

/* Chains added and not yet freed: in the device, or completed and waiting
 * for their owner. */
static inline unsigned int virtq_outstanding(const struct virtq *vq)
{
    return vq->outstanding;
}

/* Chains published and not yet taken back with virtq_get_used(): what the
 * device holds. Without the lock, a hint. */
static inline unsigned int virtq_in_device_count(const struct virtq *vq)
{
    return (uint16_t)(__atomic_load_n(&vq->avail_idx, __ATOMIC_RELAXED) -
                      __atomic_load_n(&vq->last_used, __ATOMIC_RELAXED));
}

/* Completions rejected by validation since virtq_init(). */
uint32_t virtq_error_count(const struct virtq *vq);
/* Notifications the device's hints saved. */
uint32_t virtq_suppressed_count(const struct virtq *vq);

#endif
