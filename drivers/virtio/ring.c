/*
 * The split virtqueue: free list, chains, the avail ring with its barriers,
 * notification suppression, and the used ring read defensively. See
 * ring.h for the contract; the layout is virtio 1.x section 2.7.
 */
#include "drivers/virtio/ring.h"
#include "boot/cpu.h"
#include "boot/kernel.h"

#include <errno.h>
#include <string.h>

/* head_state: what a descriptor index means as the head of a chain. */
enum {
    VIRTQ_HEAD_NONE,        /* free, or inside a chain */
    VIRTQ_HEAD_IN_DEVICE,   /* published, not yet returned */
    VIRTQ_HEAD_COMPLETED,   /* returned on the used ring, not yet freed */
};

/* Barriers between our ring memory and the device's view of it. With the
 * MMU off every access is strongly ordered, but these also keep the
 * compiler from reordering, and stay right once caches are on. */
static inline void virtq_mb(void)
{
    __asm__ volatile("dmb sy" ::: "memory");
}

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

uintptr_t virtq_desc_addr(const struct virtq *vq)
{
    return (uintptr_t)vq->desc;
}

uintptr_t virtq_avail_addr(const struct virtq *vq)
{
    return (uintptr_t)vq->avail;
}

uintptr_t virtq_used_addr(const struct virtq *vq)
{
    return (uintptr_t)vq->used;
}

unsigned int virtq_size(const struct virtq *vq)
{
    return vq->size;
}

/* Checks that the device reads every buffer before it writes any, and
 * counts the bytes it may write (saturating): false for a bad order. */
static bool chain_check(const struct virtq_seg *segs, unsigned int n, uint32_t *writable)
{
    unsigned int i = 0;
    uint32_t total = 0;

    while (i < n && !segs[i].device_writes) {
        i++;
    }
    for (; i < n; i++) {
        if (!segs[i].device_writes) {
            return false;
        }
        uint32_t sum = total + segs[i].len;
        total = sum >= total ? sum : UINT32_MAX;
    }
    *writable = total;
    return true;
}

/* A buffer's descriptor; `more`: the chain goes on at `next`. */
static inline void desc_set(volatile struct virtq_desc *d, const struct virtq_seg *seg, bool more,
                            uint16_t next)
{
    d->addr = seg->addr;
    d->len = seg->len;
    d->flags = (uint16_t)((seg->device_writes ? VIRTQ_DESC_F_WRITE : 0u) |
                          (more ? VIRTQ_DESC_F_NEXT : 0u));
    d->next = more ? next : 0;
}

int virtq_add(struct virtq *vq, const struct virtq_seg *segs, unsigned int n, void *token,
              struct virtq_desc *indirect)
{
    uint32_t writable;

    if (n == 0 || n > VIRTQ_SIZE_MAX || token == NULL || !chain_check(segs, n, &writable)) {
        return -EINVAL;
    }
    bool use_indirect = vq->indirect && n > 1 && indirect != NULL;
    unsigned int needed = use_indirect ? 1 : n;
    if (needed > vq->size) {
        return -EINVAL;     /* could never fit: waiting would be forever */
    }
    if (use_indirect) {
        /* The caller's table, which the device reads only once the chain
         * is published (after the barrier below). */
        for (unsigned int i = 0; i + 1 < n; i++) {
            desc_set(&indirect[i], &segs[i], true, (uint16_t)(i + 1));
        }
        desc_set(&indirect[n - 1], &segs[n - 1], false, 0);
    }

    irq_flags_t flags = irq_save();
    if (vq->free_count < needed) {
        irq_restore(flags);
        return -ENOSPC;
    }
    /* The first `needed` entries of the free list, already linked in order. */
    uint16_t head = vq->free_head;
    uint16_t at = head;
    if (use_indirect) {
        volatile struct virtq_desc *d = &vq->desc[head];
        d->addr = (uintptr_t)indirect;
        d->len = (uint32_t)(n * sizeof(struct virtq_desc));
        d->flags = VIRTQ_DESC_F_INDIRECT;
        d->next = 0;
    } else {
        for (unsigned int i = 0; i + 1 < n; i++) {
            uint16_t next = vq->next[at];
            desc_set(&vq->desc[at], &segs[i], true, next);
            at = next;
        }
        desc_set(&vq->desc[at], &segs[n - 1], false, 0);
    }
    vq->free_head = vq->next[at];
    vq->free_count = (uint16_t)(vq->free_count - needed);
    vq->chain_len[head] = (uint16_t)needed;
    vq->writable[head] = writable;
    vq->token[head] = token;
    vq->head_state[head] = VIRTQ_HEAD_IN_DEVICE;
    vq->outstanding++;

    /* The entry, then (after the descriptors and the entry are visible)
     * the index that hands it to the device. */
    uint16_t idx = vq->avail_idx;
    vq->avail[AVAIL_RING + (idx & (vq->size - 1u))] = head;
    idx++;
    vq->avail_idx = idx;
    virtq_mb();
    vq->avail[AVAIL_IDX] = idx;
    irq_restore(flags);
    return head;
}

/* virtio 1.x 2.7.10: with EVENT_IDX the device asks to be notified once
 * avail->idx passes `event`; we moved it from old to new. */
static bool need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

bool virtq_kick_prepare(struct virtq *vq)
{
    irq_flags_t flags = irq_save();
    /* Our avail->idx store must be visible before we read the device's
     * hint, or we could read a stale "don't notify" and both sides wait. */
    virtq_mb();
    uint16_t old_idx = vq->kicked_idx;
    uint16_t new_idx = vq->avail_idx;
    vq->kicked_idx = new_idx;

    bool need;
    if (old_idx == new_idx) {
        need = false;   /* nothing added since the last decision */
    } else if (vq->event_idx) {
        need = need_event(*avail_event(vq), new_idx, old_idx);
    } else {
        need = (vq->used[USED_FLAGS] & VIRTQ_USED_F_NO_NOTIFY) == 0;
    }
    if (!need && old_idx != new_idx) {
        vq->suppressed++;
    }
    irq_restore(flags);
    return need;
}

/* Checks one used element; true if it is a completion we may hand out. */
static bool used_elem_valid(struct virtq *vq, uint32_t id)
{
    if (id >= vq->size) {
        kprintf("virtq: used id %lu out of range (ring of %u): skipped\n", (unsigned long)id,
                vq->size);
        return false;
    }
    if (vq->head_state[id] != VIRTQ_HEAD_IN_DEVICE) {
        kprintf("virtq: used id %lu is not an outstanding head (%s): skipped\n",
                (unsigned long)id,
                vq->head_state[id] == VIRTQ_HEAD_COMPLETED ? "completed already"
                                                           : "free, or inside a chain");
        return false;
    }
    return true;
}

bool virtq_get_used(struct virtq *vq, struct virtq_used_buf *out)
{
    for (;;) {
        if (vq->broken) {
            return false;
        }
        uint16_t used_idx = vq->used[USED_IDX];
        if (used_idx == vq->last_used) {
            if (!vq->event_idx) {
                return false;
            }
            /* Ask for an interrupt at the next completion, then look once
             * more: one published before the device saw our request would
             * raise none. */
            *used_event(vq) = vq->last_used;
            virtq_mb();
            if (vq->used[USED_IDX] == vq->last_used) {
                return false;
            }
            continue;
        }
        if ((uint16_t)(used_idx - vq->last_used) > vq->size) {
            kprintf("virtq: used idx %u is more than %u entries past %u: ring broken\n", used_idx,
                    vq->size, vq->last_used);
            vq->broken = true;
            vq->errors++;
            return false;
        }
        /* The element after the index that published it. */
        virtq_mb();
        volatile struct virtq_used_elem *e = &vq->used_ring[vq->last_used & (vq->size - 1)];
        uint32_t id = e->id;
        uint32_t len = e->len;
        vq->last_used++;
        if (!used_elem_valid(vq, id)) {
            vq->errors++;
            continue;
        }
        out->token = vq->token[id];
        out->head = id;
        out->len = len;
        out->len_ok = len <= vq->writable[id];
        if (!out->len_ok) {
            kprintf("virtq: used id %lu says %lu bytes written, the chain has %lu writable\n",
                    (unsigned long)id, (unsigned long)len, (unsigned long)vq->writable[id]);
            vq->errors++;
        }
        vq->head_state[id] = VIRTQ_HEAD_COMPLETED;
        return true;
    }
}

int virtq_free(struct virtq *vq, unsigned int head)
{
    irq_flags_t flags = irq_save();
    if (head >= vq->size || vq->head_state[head] != VIRTQ_HEAD_COMPLETED) {
        irq_restore(flags);
        kprintf("virtq: free of %u, which is not a completed chain\n", head);
        return -EINVAL;
    }
    uint16_t last = (uint16_t)head;
    for (unsigned int i = 1; i < vq->chain_len[head]; i++) {
        last = vq->next[last];
    }
    vq->next[last] = vq->free_head;
    vq->free_head = (uint16_t)head;
    vq->free_count = (uint16_t)(vq->free_count + vq->chain_len[head]);
    vq->head_state[head] = VIRTQ_HEAD_NONE;
    vq->token[head] = NULL;
    vq->outstanding--;
    irq_restore(flags);
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
