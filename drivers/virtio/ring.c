/*
 * The split virtqueue: free list, chains, the avail ring with its barriers,
 * notification suppression, and the used ring read defensively. See
 * ring.h for the contract; the layout is virtio 1.x section 2.7.
 */
#include "drivers/virtio/ring.h"
#include "arch/sysreg.h"
#include "drivers/dma.h"
#include "boot/kernel.h"

#include <errno.h>
#include <string.h>

/* virtq_head.state: what a descriptor index means as the head of a chain. */
enum {
    VIRTQ_HEAD_NONE,        /* free, or inside a chain */
    VIRTQ_HEAD_IN_DEVICE,   /* published, not yet returned */
    VIRTQ_HEAD_COMPLETED,   /* returned on the used ring, not yet freed */
};

#define AVAIL_FLAGS     0
#define AVAIL_IDX       1
#define AVAIL_RING      2               /* then ring[size], then used_event */
#define USED_FLAGS      0
#define USED_IDX        1

static volatile uint16_t *used_event(struct virtq *vq)
{
    return &vq->avail[AVAIL_RING + vq->size];
}

static volatile uint16_t *avail_event(struct virtq *vq)
{
    return (volatile uint16_t *)&vq->used_ring[vq->size];
}

int virtq_init(struct virtq *vq, unsigned int size, void *mem, unsigned int flags)
{
    if (size < 2 || size > VIRTQ_SIZE_MAX || (size & (size - 1)) != 0 ||
        (uintptr_t)mem % VIRTQ_MEM_ALIGN != 0) {
        return -EINVAL;
    }
    memset(vq, 0, sizeof(*vq));
    memset(mem, 0, VIRTQ_MEM_BYTES(size));
    dma_sync_for_device(mem, VIRTQ_MEM_BYTES(size));
    uintptr_t base = (uintptr_t)mem;   /* laid out by address: every part is aligned */
    vq->desc = (volatile struct virtq_desc *)base;
    vq->avail = (volatile uint16_t *)(base + 16u * size);
    vq->used = (volatile uint16_t *)(base + VIRTQ_USED_OFFSET(size));
    vq->used_ring = (volatile struct virtq_used_elem *)(base + VIRTQ_USED_OFFSET(size) + 4u);
    vq->size = (uint16_t)size;
    vq->event_idx = (flags & VIRTQ_INIT_EVENT_IDX) != 0;
    vq->indirect = (flags & VIRTQ_INIT_INDIRECT) != 0;
    for (unsigned int i = 0; i < size; i++) {
        vq->next[i] = (uint16_t)(i + 1);
    }
    vq->free_head = 0;
    vq->free_count = (uint16_t)size;
    return 0;
}

dma_addr_t virtq_desc_addr(const struct virtq *vq)
{
    return dma_address(vq->desc);
}

dma_addr_t virtq_avail_addr(const struct virtq *vq)
{
    return dma_address(vq->avail);
}

dma_addr_t virtq_used_addr(const struct virtq *vq)
{
    return dma_address(vq->used);
}

unsigned int virtq_size(const struct virtq *vq)
{
    return vq->size;
}

/* Adds a buffer to a chain's writable bytes (saturating); false if the
 * device would read it after writing an earlier one: it expects what it
 * reads first. *writing starts false. */
static inline bool chain_step(const struct virtq_seg *seg, uint32_t *writable, bool *writing)
{
    if (!seg->device_writes) {
        return !*writing;
    }
    uint32_t sum = *writable + seg->len;
    *writable = sum >= *writable ? sum : UINT32_MAX;
    *writing = true;
    return true;
}

/* A buffer's descriptor; `more`: the chain goes on at `next`. */
static inline void desc_set(volatile struct virtq_desc *d, const struct virtq_seg *seg, bool more,
                            uint16_t next)
{
    d->addr = dma_address((const void *)seg->addr);
    d->len = seg->len;
    d->flags = (uint16_t)((seg->device_writes ? VIRTQ_DESC_F_WRITE : 0u) |
                          (more ? VIRTQ_DESC_F_NEXT : 0u));
    d->next = more ? next : 0;
    dma_sync_for_device((const void *)seg->addr, seg->len);
    dma_sync_for_device(d, sizeof(*d));
}

/* Records the chain at head (its descriptors written, `needed` of them
 * taken off the free list) and publishes it on the avail ring. IRQs
 * masked: the handler reads the record. */
static inline void publish(struct virtq *vq, uint16_t head, unsigned int needed,
                          uint32_t writable, void *token)
{
    struct virtq_head *h = &vq->heads[head];
    h->token = token;
    h->writable = writable;
    h->chain_len = (uint16_t)needed;
    h->state = VIRTQ_HEAD_IN_DEVICE;
    vq->free_count = (uint16_t)(vq->free_count - needed);
    vq->outstanding++;

    /* The entry, then (after the descriptors and the entry are visible)
     * the index that hands it to the device. */
    uint16_t idx = vq->avail_idx;
    volatile uint16_t *entry = &vq->avail[AVAIL_RING + (idx & (vq->size - 1u))];
    *entry = head;
    dma_sync_for_device(entry, sizeof(*entry));
    idx++;
    vq->avail_idx = idx;
    dmb_named("avail_entry_before_index");
    vq->avail[AVAIL_IDX] = idx;
    dma_sync_for_device(&vq->avail[AVAIL_IDX], sizeof(uint16_t));
}

/* A chain in the caller's table, behind one ring descriptor. */
static int add_indirect(struct virtq *vq, const struct virtq_seg *segs, unsigned int n,
                        void *token, struct virtq_desc *table)
{
    uint32_t writable = 0;
    bool writing = false;

    /* Checked as it is written: the device reads the table only once the
     * chain is published (after the barrier in publish()). */
    for (unsigned int i = 0; i < n; i++) {
        if (!chain_step(&segs[i], &writable, &writing)) {
            return -EINVAL;
        }
        desc_set(&table[i], &segs[i], i + 1 < n, (uint16_t)(i + 1));
    }

    if (vq->free_count == 0 || vq->broken) {
        return vq->broken ? -EIO : -ENOSPC;
    }
    uint16_t head = vq->free_head;
    volatile struct virtq_desc *d = &vq->desc[head];
    d->addr = dma_address(table);
    d->len = (uint32_t)(n * sizeof(struct virtq_desc));
    d->flags = VIRTQ_DESC_F_INDIRECT;
    d->next = 0;
    dma_sync_for_device(d, sizeof(*d));
    vq->free_head = vq->next[head];
    publish(vq, head, 1, writable, token);
    return head;
}

/* A chain of n ring descriptors. */
static int add_direct(struct virtq *vq, const struct virtq_seg *segs, unsigned int n, void *token)
{
    uint32_t writable = 0;
    bool writing = false;

    if (n > vq->size) {
        return -EINVAL;     /* could never fit: waiting would be forever */
    }
    /* Checked before anything is taken: the ring's descriptors are written
     * only once there are enough free. */
    for (unsigned int i = 0; i < n; i++) {
        if (!chain_step(&segs[i], &writable, &writing)) {
            return -EINVAL;
        }
    }

    if (vq->free_count < n || vq->broken) {
        return vq->broken ? -EIO : -ENOSPC;
    }
    /* The first n entries of the free list, already linked in order. */
    uint16_t head = vq->free_head;
    uint16_t at = head;
    for (unsigned int i = 0; i + 1 < n; i++) {
        uint16_t next = vq->next[at];
        desc_set(&vq->desc[at], &segs[i], true, next);
        at = next;
    }
    desc_set(&vq->desc[at], &segs[n - 1], false, 0);
    vq->free_head = vq->next[at];
    publish(vq, head, n, writable, token);
    return head;
}

int virtq_add(struct virtq *vq, const struct virtq_seg *segs, unsigned int n, void *token,
              struct virtq_desc *indirect)
{
    if (n == 0 || n > VIRTQ_SIZE_MAX || token == NULL) {
        return -EINVAL;
    }
    if (vq->indirect && n > 1 && indirect != NULL) {
        return add_indirect(vq, segs, n, token, indirect);
    }
    return add_direct(vq, segs, n, token);
}

/* virtio 1.x 2.7.10: with EVENT_IDX the device asks to be notified once
 * avail->idx passes `event`; we moved it from old to new. */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

bool virtq_kick_prepare(struct virtq *vq)
{
    /* Our avail->idx store must be visible before we read the device's
     * hint, or we could read a stale "don't notify" and both sides wait. */
    dmb_named("avail_index_before_hint");
    uint16_t old_idx = vq->kicked_idx;
    uint16_t new_idx = vq->avail_idx;
    vq->kicked_idx = new_idx;

    bool need;
    if (old_idx == new_idx) {
        need = false;   /* nothing added since the last decision */
    } else if (vq->event_idx) {
        dma_sync_for_cpu(avail_event(vq), sizeof(uint16_t));
        need = need_event(*avail_event(vq), new_idx, old_idx);
    } else {
        dma_sync_for_cpu(&vq->used[USED_FLAGS], sizeof(uint16_t));
        need = (vq->used[USED_FLAGS] & VIRTQ_USED_F_NO_NOTIFY) == 0;
    }
    if (!need && old_idx != new_idx) {
        vq->suppressed++;
    }
    return need;
}

/* Reports a used element that is not an outstanding head: an id out of
 * range, or one that is free, inside a chain or completed already. */
static __attribute__((noinline, cold)) void report_bad_id(const struct virtq *vq, uint32_t id)
{
    if (id >= vq->size) {
        kprintf("virtq: used id %lu out of range (ring of %u): ring broken\n", (unsigned long)id,
                vq->size);
    } else {
        kprintf("virtq: used id %lu is not an outstanding head (%s): ring broken\n",
                (unsigned long)id,
                vq->heads[id].state == VIRTQ_HEAD_COMPLETED ? "completed already"
                                                           : "free, or inside a chain");
    }
}

static __attribute__((noinline, cold)) void report_bad_len(const struct virtq *vq, uint32_t id,
                                                            uint32_t len)
{
    kprintf("virtq: used id %lu says %lu bytes written, the chain has %lu writable\n",
            (unsigned long)id, (unsigned long)len, (unsigned long)vq->heads[id].writable);
}

static __attribute__((noinline, cold)) void report_broken(const struct virtq *vq, uint16_t used_idx)
{
    kprintf("virtq: used idx %u is more than %u entries past %u: ring broken\n", used_idx,
            vq->size, vq->last_used);
}

/* On a broken ring: the next chain still in the device, handed back as a
 * failed completion (len_ok false) so that its owner is not left waiting;
 * false once none is left. */
static __attribute__((noinline, cold)) bool take_abandoned(struct virtq *vq,
                                                            struct virtq_used_buf *out)
{
    for (unsigned int id = 0; id < vq->size; id++) {
        struct virtq_head *h = &vq->heads[id];
        if (h->state == VIRTQ_HEAD_IN_DEVICE) {
            h->state = VIRTQ_HEAD_COMPLETED;
            *out = (struct virtq_used_buf){ .token = h->token, .head = id, .len = 0, .len_ok = false };
            return true;
        }
    }
    return false;
}

/* Nothing more is read from the device or given to it; what it holds
 * comes back failed, one chain a call. */
static __attribute__((noinline, cold)) bool break_ring(struct virtq *vq, struct virtq_used_buf *out)
{
    vq->broken = true;
    vq->errors++;
    return take_abandoned(vq, out);
}

void virtq_poll_begin(struct virtq *vq)
{
    if (vq->event_idx) {
        /* Half the index space ahead: no completion count reaches it. */
        *used_event(vq) = (uint16_t)(vq->last_used + 0x8000u);
        dma_sync_for_device(used_event(vq), sizeof(uint16_t));
    } else {
        vq->avail[AVAIL_FLAGS] = VIRTQ_AVAIL_F_NO_INTERRUPT;
        dma_sync_for_device(&vq->avail[AVAIL_FLAGS], sizeof(uint16_t));
    }
}

bool virtq_used_pending(struct virtq *vq)
{
    dma_sync_for_cpu(&vq->used[USED_IDX], sizeof(uint16_t));
    return vq->broken || vq->used[USED_IDX] != vq->last_used;
}

void virtq_poll_end(struct virtq *vq)
{
    /* With EVENT_IDX, virtq_get_used() asks for the next interrupt itself
     * when it finds no more, and looks again. */
    if (!vq->event_idx) {
        vq->avail[AVAIL_FLAGS] = 0;
        dma_sync_for_device(&vq->avail[AVAIL_FLAGS], sizeof(uint16_t));
        dmb_named("interrupts_wanted_before_recheck");
    }
}

bool virtq_get_used(struct virtq *vq, struct virtq_used_buf *out)
{
    /* Only this handler moves last_used and sets broken: kept in locals
     * across the barriers, which make the compiler reload everything else. */
    unsigned int size = vq->size;
    uint16_t last = vq->last_used;

    if (vq->broken) {
        return take_abandoned(vq, out);
    }
    for (;;) {
        dma_sync_for_cpu(&vq->used[USED_IDX], sizeof(uint16_t));
        uint16_t used_idx = vq->used[USED_IDX];
        if (used_idx == last) {
            if (!vq->event_idx) {
                return false;
            }
            /* Ask for an interrupt at the next completion, then look once
             * more: one published before the device saw our request would
             * raise none. */
            *used_event(vq) = last;
            dma_sync_for_device(used_event(vq), sizeof(uint16_t));
            dmb_named("used_event_before_recheck");
            dma_sync_for_cpu(&vq->used[USED_IDX], sizeof(uint16_t));
            if (vq->used[USED_IDX] == last) {
                return false;
            }
            continue;
        }
        if ((uint16_t)(used_idx - last) > size) {
            report_broken(vq, used_idx);
            return break_ring(vq, out);
        }
        /* The element after the index that published it. */
        dmb_named("used_index_before_element");
        volatile struct virtq_used_elem *e = &vq->used_ring[last & (size - 1)];
        dma_sync_for_cpu(e, sizeof(*e));
        uint32_t id = e->id;
        uint32_t len = e->len;
        vq->last_used = ++last;
        if (id >= size || vq->heads[id].state != VIRTQ_HEAD_IN_DEVICE) {
            /* A device that names what it was never given cannot be
             * trusted with the rest (Linux's virtio_ring.c: BAD_RING). */
            report_bad_id(vq, id);
            return break_ring(vq, out);
        }
        struct virtq_head *h = &vq->heads[id];
        h->state = VIRTQ_HEAD_COMPLETED;
        out->token = h->token;
        out->head = id;
        out->len = len;
        out->len_ok = len <= h->writable;
        if (!out->len_ok) {
            report_bad_len(vq, id, len);
            vq->errors++;
        }
        return true;
    }
}

void virtq_abandon(struct virtq *vq)
{
    vq->broken = true;
}

void virtq_restart(struct virtq *vq)
{
    unsigned int size = vq->size;
    void *mem = (void *)(uintptr_t)vq->desc;   /* the ring's memory starts with the table */

    memset(mem, 0, VIRTQ_MEM_BYTES(size));
    dma_sync_for_device(mem, VIRTQ_MEM_BYTES(size));
    vq->avail_idx = 0;
    vq->kicked_idx = 0;
    vq->last_used = 0;
    vq->broken = false;
}

bool virtq_in_device(const struct virtq *vq, unsigned int head)
{
    return head < vq->size && vq->heads[head].state == VIRTQ_HEAD_IN_DEVICE;
}

int virtq_free(struct virtq *vq, unsigned int head)
{
    if (head >= vq->size || vq->heads[head].state != VIRTQ_HEAD_COMPLETED) {
        kprintf("virtq: free of %u, which is not a completed chain\n", head);
        return -EINVAL;
    }
    struct virtq_head *h = &vq->heads[head];
    unsigned int len = h->chain_len;
    uint16_t last = (uint16_t)head;
    for (unsigned int i = 1; i < len; i++) {
        last = vq->next[last];
    }
    vq->next[last] = vq->free_head;
    vq->free_head = (uint16_t)head;
    vq->free_count = (uint16_t)(vq->free_count + len);
    h->state = VIRTQ_HEAD_NONE;
    h->token = NULL;
    vq->outstanding--;
    return 0;
}

uint32_t virtq_error_count(const struct virtq *vq)
{
    return vq->errors;
}

uint32_t virtq_suppressed_count(const struct virtq *vq)
{
    return vq->suppressed;
}
