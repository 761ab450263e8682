/*
 * Fuzzes the split virtqueue (drivers/virtio/ring.c, built for the host)
 * with the input as a hostile device: a script of steps in which the
 * driver adds, takes and frees chains and the device writes what it likes
 * into the used ring (its index, the ids and lengths of its elements, its
 * hints) in between. The harness keeps its own account of every chain
 * and checks, after each step, what ring.h promises:
 *   - a completion is taken only for an element that names a chain in the
 *     device, with the used index at most a ring ahead; anything else
 *     breaks the ring, and is counted;
 *   - each chain comes back once, with its token; len_ok says whether the
 *     length fits the chain's writable bytes;
 *   - a broken ring stays broken, hands back every chain still in the
 *     device once (failed), then nothing, and refuses new chains (-EIO);
 *   - the descriptors a chain is published with are the caller's buffers,
 *     and the free list and the chains hold every descriptor once.
 * A ring of any size and features starts at any index (as if chains had
 * come and gone), so that the 16-bit indices wrap within a run. The ring
 * memory is allocated at its exact size and the ring's state on its own,
 * so AddressSanitizer sees any access past either.
 */
#include "drivers/virtio/ring.h"
#include "boot/kernel.h"
#include "fuzz.h"

#include <errno.h>
#include <stdarg.h>

#define SEGS_MAX 4u     /* buffers in a chain the script adds */

/* A chain as the harness sees it, by head; states as ring.c's. */
enum { CHAIN_NONE, CHAIN_IN_DEVICE, CHAIN_COMPLETED };

struct chain {
    uint8_t state;
    bool device_done;           /* the device has put it on the used ring */
    void *token;
    uint32_t writable;
    unsigned int ndesc;
    uint16_t descs[SEGS_MAX];   /* the ring descriptors it takes */
};

struct harness {
    struct virtq *vq;
    uint8_t *mem;
    unsigned int size;
    bool event_idx;
    bool indirect;
    /* The ring memory as the device sees it. */
    volatile struct virtq_desc *desc;
    volatile uint16_t *used_flags;
    volatile uint16_t *used_idx;
    volatile struct virtq_used_elem *used_ring;
    volatile uint16_t *avail_event;
    volatile uint16_t *avail;
    volatile uint16_t *used_event;
    /* What the ring should have done so far. */
    struct chain chains[VIRTQ_SIZE_MAX];
    unsigned int descs_taken;   /* by chains added and not yet freed */
    unsigned int outstanding;   /* those chains */
    uint16_t last_used;         /* used elements the ring has consumed */
    uint16_t avail_count;       /* chains published */
    uint16_t device_idx;        /* the device's used index */
    uint16_t kicked;            /* avail_count when the driver last asked to notify */
    uint32_t errors;
    uint32_t suppressed;
    bool broken;
    uintptr_t serial;           /* the last token handed out */
    /* Indirect tables, by head; one more for an add on a full ring. */
    struct virtq_desc tables[VIRTQ_SIZE_MAX + 1][SEGS_MAX];
};

/* ring.c reports through kprintf: formatted and dropped, so that the
 * sanitizers see every argument of every report. */
void kprintf(const char *fmt, ...)
{
    char line[256];
    va_list args;

    va_start(args, fmt);
    vsnprintf(line, sizeof(line), fmt, args);
    va_end(args);
}

/* The free list and the chains, from the ring's own fields (ring.h keeps
 * them in struct virtq so that drivers can allocate it): every descriptor
 * is on the free list or in one chain, never both, never twice. */
static void check_descriptors(const struct harness *h)
{
    const struct virtq *vq = h->vq;
    bool seen[VIRTQ_SIZE_MAX] = { false };
    unsigned int count = 0;

    for (unsigned int head = 0; head < h->size; head++) {
        const struct chain *c = &h->chains[head];
        if (c->state == CHAIN_NONE) {
            continue;
        }
        for (unsigned int i = 0; i < c->ndesc; i++) {
            FUZZ_CHECK(!seen[c->descs[i]]);
            seen[c->descs[i]] = true;
            count++;
        }
    }
    FUZZ_CHECK(count == h->descs_taken);
    FUZZ_CHECK(virtq_free_count(vq) == h->size - h->descs_taken);
    uint16_t at = vq->free_head;
    for (unsigned int i = 0; i < virtq_free_count(vq); i++) {
        FUZZ_CHECK(at < h->size);
        FUZZ_CHECK(!seen[at]);
        seen[at] = true;
        at = vq->next[at];
    }
}

static void check_ring(const struct harness *h)
{
    FUZZ_CHECK(virtq_broken(h->vq) == h->broken);
    FUZZ_CHECK(virtq_error_count(h->vq) == h->errors);
    FUZZ_CHECK(virtq_outstanding(h->vq) == h->outstanding);
    check_descriptors(h);
}

/* Whether the chain at head is in `state`; for the device, only those it
 * has not completed yet. */
static bool chain_matches(const struct harness *h, unsigned int head, uint8_t state,
                          bool for_device)
{
    const struct chain *c = &h->chains[head];

    return c->state == state && !(for_device && c->device_done);
}

/* The n-th such chain, counting round, or -1 if there is none. */
static int pick_chain(const struct harness *h, unsigned int n, uint8_t state, bool for_device)
{
    unsigned int matching = 0;

    for (unsigned int head = 0; head < h->size; head++) {
        matching += chain_matches(h, head, state, for_device);
    }
    if (matching == 0) {
        return -1;
    }
    n %= matching;
    for (unsigned int head = 0;; head++) {
        if (chain_matches(h, head, state, for_device) && n-- == 0) {
            return (int)head;
        }
    }
}

static void check_desc(const volatile struct virtq_desc *d, const struct virtq_seg *seg,
                       bool more, uint16_t next)
{
    FUZZ_CHECK(d->addr == dma_address((const void *)seg->addr));
    FUZZ_CHECK(d->len == seg->len);
    FUZZ_CHECK(d->flags == ((seg->device_writes ? VIRTQ_DESC_F_WRITE : 0u) |
                            (more ? VIRTQ_DESC_F_NEXT : 0u)));
    if (more && next != UINT16_MAX) {
        FUZZ_CHECK(d->next == next);
    }
}

/* The driver adds a chain: buffers at any address, of any length, the
 * device's to write or to read, in any order (a read after a write is
 * malformed). */
static void step_add(struct harness *h, struct fuzz_input *in)
{
    unsigned int shape = (unsigned int)fuzz_take(in, 1);
    unsigned int n = 1 + (shape & 3u);
    bool use_table = (shape & 4u) != 0;
    bool no_token = (shape & 0x38u) == 0x38u;
    unsigned int writes = (unsigned int)fuzz_take(in, 1);
    struct virtq_seg segs[SEGS_MAX];
    uint32_t writable = 0;
    bool malformed = false;

    for (unsigned int i = 0; i < n; i++) {
        segs[i].addr = (uintptr_t)fuzz_take(in, sizeof(uintptr_t));
        segs[i].len = (uint32_t)fuzz_take(in, 4);
        segs[i].device_writes = (writes >> i) & 1u;
        if (segs[i].device_writes) {
            writable = writable + segs[i].len < writable ? UINT32_MAX : writable + segs[i].len;
        } else if (i > 0 && segs[i - 1].device_writes) {
            malformed = true;
        }
    }
    /* Per-request memory by head, as the block driver keeps it; with no
     * descriptor free the head is one past the ring (the add fails). */
    unsigned int free_descs = h->size - h->descs_taken;
    unsigned int head = virtq_next_head(h->vq);
    FUZZ_CHECK(free_descs == 0 ? head == h->size : head < h->size);
    struct virtq_desc *table = use_table ? h->tables[head] : NULL;
    bool indirect = h->indirect && n > 1 && table != NULL;
    unsigned int needed = indirect ? 1 : n;
    void *token = no_token ? NULL : (void *)++h->serial;

    int expected = 0;
    if (token == NULL || (!indirect && n > h->size) || malformed) {
        expected = -EINVAL;
    } else if (h->broken) {
        expected = -EIO;
    } else if (free_descs < needed) {
        expected = -ENOSPC;
    }
    FUZZ_CHECK(virtq_descs_needed(h->vq, n) == (h->indirect && n > 1 ? 1u : n));

    int got = virtq_add(h->vq, segs, n, token, table);
    FUZZ_CHECK(got == (expected == 0 ? (int)head : expected));
    if (got < 0) {
        return;
    }

    struct chain *c = &h->chains[head];
    FUZZ_CHECK(c->state == CHAIN_NONE);
    *c = (struct chain){ .state = CHAIN_IN_DEVICE, .token = token, .writable = writable,
                         .ndesc = needed };
    if (indirect) {
        const volatile struct virtq_desc *d = &h->desc[head];
        FUZZ_CHECK(d->addr == dma_address(table));
        FUZZ_CHECK(d->len == n * sizeof(struct virtq_desc));
        FUZZ_CHECK(d->flags == VIRTQ_DESC_F_INDIRECT);
        for (unsigned int i = 0; i < n; i++) {
            check_desc(&table[i], &segs[i], i + 1 < n, (uint16_t)(i + 1));
        }
        c->descs[0] = (uint16_t)head;
    } else {
        uint16_t at = (uint16_t)head;
        for (unsigned int i = 0; i < n; i++) {
            FUZZ_CHECK(at < h->size);
            c->descs[i] = at;
            check_desc(&h->desc[at], &segs[i], i + 1 < n, UINT16_MAX);
            at = h->desc[at].next;
        }
    }
    h->descs_taken += needed;
    h->outstanding++;
    FUZZ_CHECK(h->avail[2 + (h->avail_count & (h->size - 1))] == head);
    h->avail_count++;
    FUZZ_CHECK(h->avail[1] == h->avail_count);
}

/* The device completes a chain: one it holds, with its writable length or
 * another, or any id at all; then moves its used index on. */
static void step_complete(struct harness *h, struct fuzz_input *in)
{
    unsigned int how = (unsigned int)fuzz_take(in, 1);
    int held = pick_chain(h, (unsigned int)fuzz_take(in, 1), CHAIN_IN_DEVICE, true);
    uint32_t id;
    uint32_t len;

    if ((how & 1u) != 0 || held < 0) {
        id = (uint32_t)fuzz_take(in, 4);
    } else {
        id = (uint32_t)held;
        h->chains[held].device_done = true;
    }
    switch ((how >> 1) & 3u) {
    case 0:
        len = id < h->size ? h->chains[id].writable : 0;
        break;
    case 1:
        len = id < h->size ? h->chains[id].writable + 1u : 1;
        break;
    case 2:
        len = 0;
        break;
    default:
        len = (uint32_t)fuzz_take(in, 4);
        break;
    }
    volatile struct virtq_used_elem *e = &h->used_ring[h->device_idx & (h->size - 1)];
    e->id = id;
    e->len = len;
    h->device_idx++;
    *h->used_idx = h->device_idx;
}

/* The device writes any field of its own: the used index (moved by any
 * amount), an element already published, its hints. */
static void step_scribble(struct harness *h, struct fuzz_input *in)
{
    switch (fuzz_take(in, 1) & 3u) {
    case 0:
        h->device_idx = (uint16_t)(h->device_idx + (int8_t)fuzz_take(in, 1));
        *h->used_idx = h->device_idx;
        break;
    case 1:
        h->device_idx = (uint16_t)fuzz_take(in, 2);
        *h->used_idx = h->device_idx;
        break;
    case 2: {
        volatile struct virtq_used_elem *e = &h->used_ring[fuzz_take(in, 2) & (h->size - 1)];
        e->id = (uint32_t)fuzz_take(in, 4);
        e->len = (uint32_t)fuzz_take(in, 4);
        break;
    }
    default:
        *h->used_flags = (uint16_t)fuzz_take(in, 2);
        *h->avail_event = (uint16_t)fuzz_take(in, 2);
        break;
    }
}

/* A broken ring's answer: a chain still in the device, failed, or none. */
static void expect_abandoned(struct harness *h, bool got, const struct virtq_used_buf *out)
{
    int left = pick_chain(h, 0, CHAIN_IN_DEVICE, false);

    FUZZ_CHECK(got == (left >= 0));
    if (!got) {
        return;
    }
    FUZZ_CHECK(out->head < h->size);
    struct chain *c = &h->chains[out->head];
    FUZZ_CHECK(c->state == CHAIN_IN_DEVICE);
    FUZZ_CHECK(out->token == c->token);
    FUZZ_CHECK(!out->len_ok);
    c->state = CHAIN_COMPLETED;
}

/* The driver takes a completion: what it must make of the used ring as
 * the device left it. */
static void step_take(struct harness *h)
{
    struct virtq_used_buf out;
    uint16_t used_idx = *h->used_idx;
    uint16_t last = h->last_used;

    bool got = virtq_get_used(h->vq, &out);
    if (h->broken) {
        expect_abandoned(h, got, &out);
        return;
    }
    if (used_idx == last) {
        FUZZ_CHECK(!got);
        if (h->event_idx) {
            FUZZ_CHECK(*h->used_event == last);  /* the interrupt asked for at the next one */
        }
        return;
    }
    uint32_t id = UINT32_MAX;
    if ((uint16_t)(used_idx - last) <= h->size) {
        id = h->used_ring[last & (h->size - 1)].id;
        h->last_used++;
    }
    if (id >= h->size || h->chains[id].state != CHAIN_IN_DEVICE) {
        h->broken = true;
        h->errors++;
        expect_abandoned(h, got, &out);
        return;
    }
    struct chain *c = &h->chains[id];
    uint32_t len = h->used_ring[last & (h->size - 1)].len;
    FUZZ_CHECK(got);
    FUZZ_CHECK(out.head == id);
    FUZZ_CHECK(out.token == c->token);
    FUZZ_CHECK(out.len == len);
    FUZZ_CHECK(out.len_ok == (len <= c->writable));
    h->errors += !out.len_ok;
    c->state = CHAIN_COMPLETED;
}

/* The driver frees a completed chain, or tries to free any index. */
static void step_free(struct harness *h, struct fuzz_input *in)
{
    unsigned int how = (unsigned int)fuzz_take(in, 1);
    int done = pick_chain(h, how >> 1, CHAIN_COMPLETED, false);
    unsigned int head = (how & 1u) != 0 || done < 0 ? (unsigned int)fuzz_take(in, 2)
                                                    : (unsigned int)done;
    bool completed = head < h->size && h->chains[head].state == CHAIN_COMPLETED;

    FUZZ_CHECK(virtq_free(h->vq, head) == (completed ? 0 : -EINVAL));
    if (completed) {
        h->descs_taken -= h->chains[head].ndesc;
        h->outstanding--;
        h->chains[head].state = CHAIN_NONE;
    }
}

/* The driver asks whether to notify: never when nothing was added since
 * it last asked, always when the device asked for the first new one; a
 * notification the device's hints saved is counted. */
static void step_kick(struct harness *h)
{
    uint16_t event = *h->avail_event;
    bool no_notify = (*h->used_flags & VIRTQ_USED_F_NO_NOTIFY) != 0;
    bool need = virtq_kick_prepare(h->vq);

    if (h->kicked == h->avail_count) {
        FUZZ_CHECK(!need);
    } else {
        if (h->event_idx ? event == h->kicked : !no_notify) {
            FUZZ_CHECK(need);
        }
        h->suppressed += !need;
    }
    h->kicked = h->avail_count;
    FUZZ_CHECK(virtq_suppressed_count(h->vq) == h->suppressed);
}

/* A ring of any size and features, its indices where `start` chains that
 * came and went would have left them: the 16-bit indices wrap within a
 * run, and a script is far too short to get there by itself. */
static bool harness_init(struct harness *h, struct fuzz_input *in)
{
    unsigned int config = (unsigned int)fuzz_take(in, 1);
    uint16_t start = (uint16_t)fuzz_take(in, 2);

    h->size = 2u << (config & 7u);
    h->event_idx = (config & 8u) != 0;
    h->indirect = (config & 16u) != 0;
    h->vq = malloc(sizeof(*h->vq));
    void *mem = NULL;
    if (h->vq == NULL || posix_memalign(&mem, VIRTQ_MEM_ALIGN, VIRTQ_MEM_BYTES(h->size)) != 0) {
        return false;
    }
    h->mem = mem;
    unsigned int flags = (h->event_idx ? VIRTQ_INIT_EVENT_IDX : 0u) |
                         (h->indirect ? VIRTQ_INIT_INDIRECT : 0u);
    FUZZ_CHECK(virtq_init(h->vq, h->size + 1, h->mem, flags) == -EINVAL);
    FUZZ_CHECK(virtq_init(h->vq, h->size, h->mem + 8, flags) == -EINVAL);
    FUZZ_CHECK(virtq_init(h->vq, h->size, h->mem, flags) == 0);
    FUZZ_CHECK(virtq_size(h->vq) == h->size);

    uint8_t *used = h->mem + VIRTQ_USED_OFFSET(h->size);
    h->desc = (volatile struct virtq_desc *)(void *)h->mem;
    h->avail = (volatile uint16_t *)(void *)(h->mem + 16u * h->size);
    h->used_event = &h->avail[2 + h->size];
    h->used_flags = (volatile uint16_t *)(void *)used;
    h->used_idx = (volatile uint16_t *)(void *)(used + 2);
    h->used_ring = (volatile struct virtq_used_elem *)(void *)(used + 4);
    h->avail_event = (volatile uint16_t *)(void *)(used + 4 + 8u * h->size);
    FUZZ_CHECK(virtq_desc_addr(h->vq) == dma_address(h->mem));
    FUZZ_CHECK(virtq_avail_addr(h->vq) == dma_address(h->avail));
    FUZZ_CHECK(virtq_used_addr(h->vq) == dma_address(used));

    h->vq->avail_idx = h->vq->kicked_idx = h->vq->last_used = start;
    h->avail[1] = start;
    *h->used_idx = start;
    h->avail_count = h->kicked = h->last_used = h->device_idx = start;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    struct harness *h = calloc(1, sizeof(*h));

    if (h != NULL && harness_init(h, &in)) {
        check_ring(h);
        while (fuzz_more(&in)) {
            switch (fuzz_take(&in, 1) % 6u) {
            case 0:
                step_add(h, &in);
                break;
            case 1:
                step_complete(h, &in);
                break;
            case 2:
                step_scribble(h, &in);
                break;
            case 3:
                step_take(h);
                break;
            case 4:
                step_free(h, &in);
                break;
            default:
                step_kick(h);
                break;
            }
            check_ring(h);
        }
    }
    if (h != NULL) {
        free(h->mem);
        free(h->vq);
    }
    free(h);
    return 0;
}
