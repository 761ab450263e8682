/*
 * The split virtqueue against a fake device: this test plays the device,
 * reading the descriptors and avail ring and writing the used ring by the
 * spec's layout, so it can misbehave in ways QEMU never does. Checks the
 * chains we publish, notification suppression (NO_NOTIFY and EVENT_IDX),
 * the no-interrupt hints while the driver polls, indirect tables, and
 * that bad completions are reported: a length beyond the writable buffers
 * fails its request; an id out of range, an id that is not an outstanding
 * head, or a used index that jumps past the ring breaks the ring, and
 * what was in the device comes back failed.
 *
 * requires: virtio
 * runner: name=far-out expect='used id 99 out of range'
 * runner: name=one-past expect='used id 8 out of range \(ring of 8\)'
 */
#include "drivers/virtio/ring.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <string.h>

#define SIZE 8u

struct ring_memory {
    uint8_t bytes[VIRTQ_MEM_BYTES(SIZE)];
} __attribute__((aligned(VIRTQ_MEM_ALIGN)));

static struct ring_memory memory;
static struct virtq vq;
static uint8_t bufs[4][128];
static int tokens[16];

/* Where the device's address a is in our memory. */
static uintptr_t device_to_cpu(dma_addr_t a)
{
    return (uintptr_t)(a - DMA_BUS_OFFSET);
}

/* The device's view: the spec's layout at the addresses the transport
 * would be given. */
static volatile struct virtq_desc *dev_desc(void)
{
    return (volatile struct virtq_desc *)device_to_cpu(virtq_desc_addr(&vq));
}

static volatile uint16_t *dev_avail(void)   /* flags, idx, ring[SIZE], used_event */
{
    return (volatile uint16_t *)device_to_cpu(virtq_avail_addr(&vq));
}

static volatile uint16_t *dev_used(void)    /* flags, idx */
{
    return (volatile uint16_t *)device_to_cpu(virtq_used_addr(&vq));
}

static volatile struct virtq_used_elem *dev_used_ring(void)
{
    return (volatile struct virtq_used_elem *)(device_to_cpu(virtq_used_addr(&vq)) + 4);
}

static volatile uint16_t *dev_avail_event(void)
{
    return (volatile uint16_t *)(device_to_cpu(virtq_used_addr(&vq)) + 4 + 8 * SIZE);
}

/* The device puts (id, len) on the used ring. */
static void dev_complete(uint32_t id, uint32_t len)
{
    uint16_t idx = dev_used()[1];

    dev_used_ring()[idx % SIZE].id = id;
    dev_used_ring()[idx % SIZE].len = len;
    dev_used()[1] = (uint16_t)(idx + 1);
}

static int add3(void *token, struct virtq_desc *indirect)
{
    struct virtq_seg segs[3] = {
        { (uintptr_t)bufs[0], 16, false },
        { (uintptr_t)bufs[1], 100, true },
        { (uintptr_t)bufs[2], 1, true },
    };
    return virtq_add(&vq, segs, 3, token, indirect);
}

static int add1(void *token)
{
    struct virtq_seg seg = { (uintptr_t)bufs[3], 8, true };

    return virtq_add(&vq, &seg, 1, token, NULL);
}

static void chains_and_kicks(void)
{
    struct virtq_used_buf done;

    KT_EXPECT_EQ(virtq_init(&vq, 6, &memory, 0), -EINVAL, "size must be a power of two");
    KT_EXPECT_EQ(virtq_init(&vq, SIZE, memory.bytes + 16, 0), -EINVAL, "memory must be aligned");
    KT_EXPECT_EQ(virtq_init(&vq, SIZE, &memory, 0), 0, "init");
    KT_EXPECT_EQ(virtq_free_count(&vq), SIZE, "all descriptors free");

    int h = add3(&tokens[0], NULL);
    KT_EXPECT(h >= 0 && h < (int)SIZE, "add a chain of 3");
    KT_EXPECT_EQ(virtq_free_count(&vq), SIZE - 3, "it took 3 descriptors");
    KT_EXPECT_EQ(dev_avail()[1], 1, "avail idx published");
    KT_EXPECT_EQ(dev_avail()[2], h, "avail ring names the head");
    volatile struct virtq_desc *d0 = &dev_desc()[h];
    volatile struct virtq_desc *d1 = &dev_desc()[d0->next];
    volatile struct virtq_desc *d2 = &dev_desc()[d1->next];
    KT_EXPECT(d0->addr == dma_address(bufs[0]) && d0->len == 16 && d0->flags == VIRTQ_DESC_F_NEXT,
              "first: readable, linked");
    KT_EXPECT(d1->addr == dma_address(bufs[1]) && d1->len == 100 &&
                  d1->flags == (VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE),
              "second: writable, linked");
    KT_EXPECT(d2->addr == dma_address(bufs[2]) && d2->len == 1 && d2->flags == VIRTQ_DESC_F_WRITE,
              "third: writable, the end");

    KT_EXPECT(virtq_kick_prepare(&vq), "a new chain needs a notification");
    KT_EXPECT(!virtq_kick_prepare(&vq), "nothing new: no notification");
    dev_used()[0] = VIRTQ_USED_F_NO_NOTIFY;
    int h2 = add1(&tokens[1]);
    KT_EXPECT(!virtq_kick_prepare(&vq), "the device said NO_NOTIFY");
    KT_EXPECT_EQ(virtq_suppressed_count(&vq), 1, "one notification saved");
    dev_used()[0] = 0;

    KT_EXPECT(!virtq_get_used(&vq, &done), "nothing used yet");
    dev_complete((uint32_t)h, 101);
    KT_EXPECT(virtq_get_used(&vq, &done) && done.token == &tokens[0] && done.head == (unsigned)h &&
                  done.len == 101 && done.len_ok,
              "completion: token, head, length");
    KT_EXPECT_EQ(virtq_outstanding(&vq), 2, "freed only when the owner says so");
    KT_EXPECT_EQ(virtq_free(&vq, (unsigned)h), 0, "free the chain");
    KT_EXPECT_EQ(virtq_free(&vq, (unsigned)h), -EINVAL, "free it twice: refused");
    KT_EXPECT_EQ(virtq_free(&vq, (unsigned)h2), -EINVAL, "free one still in the device: refused");

    /* A length the chain has no room for fails that request alone. */
    dev_complete((uint32_t)h2, 5000);
    KT_EXPECT(virtq_get_used(&vq, &done) && done.token == &tokens[1] && !done.len_ok && !virtq_broken(&vq),
              "a length beyond the writable bytes is flagged");
    KT_EXPECT_EQ(virtq_error_count(&vq), 1, "and counted");
    KT_EXPECT_EQ(virtq_free(&vq, (unsigned)h2), 0, "free the second chain");
    KT_EXPECT_EQ(virtq_free_count(&vq), SIZE, "every descriptor is free again");
    KT_EXPECT_EQ(virtq_outstanding(&vq), 0, "nothing outstanding");
}

/* What a used id may wrongly name. */
enum bad_id { FAR_OUT, ONE_PAST, FREED, INSIDE_A_CHAIN, COMPLETED_ALREADY };

/* A used id that names no chain in the device: as in Linux's
 * virtio_ring.c, the ring is broken, the chain still in the device comes
 * back failed (its caller is not left waiting), and nothing more is taken
 * from the device or given to it. */
static void broken_by(enum bad_id kind, const char *what)
{
    struct virtq_used_buf done;

    virtq_init(&vq, SIZE, &memory, 0);
    int first = add3(&tokens[0], NULL);
    int waiting = add1(&tokens[1]);
    dev_complete((uint32_t)first, 101);
    bool ok = virtq_get_used(&vq, &done) && done.token == &tokens[0] && done.len_ok;
    uint32_t inside = dev_desc()[first].next;
    if (kind != COMPLETED_ALREADY) {
        ok &= virtq_free(&vq, (unsigned int)first) == 0;
    }
    uint32_t bad = kind == FAR_OUT ? 99u : kind == ONE_PAST ? SIZE : kind == INSIDE_A_CHAIN ? inside
                                                                                     : (uint32_t)first;
    dev_complete(bad, 8);
    ok &= virtq_get_used(&vq, &done) && done.token == &tokens[1] && done.head == (unsigned int)waiting &&
          !done.len_ok;
    ok &= virtq_broken(&vq) && virtq_error_count(&vq) == 1 && virtq_free(&vq, done.head) == 0;
    dev_complete((uint32_t)waiting, 8);
    ok &= !virtq_get_used(&vq, &done) && add1(&tokens[2]) == -EIO;
    if (kind == COMPLETED_ALREADY) {
        ok &= virtq_free(&vq, (unsigned int)first) == 0;
    }
    ok &= virtq_free_count(&vq) == SIZE && virtq_outstanding(&vq) == 0;
    kt_result(ok, what, __FILE__, __LINE__, "the ring was not broken, or a chain was lost");
}

static void bad_ids(void)
{
    broken_by(FAR_OUT, "a used id far out of range breaks the ring; the chain in the device comes back failed");
    broken_by(ONE_PAST, "so does one past the last descriptor");
    broken_by(FREED, "and one that was freed already");
    broken_by(INSIDE_A_CHAIN, "and one inside a chain, never a head");
    broken_by(COMPLETED_ALREADY, "and a second completion of the same chain");
}

static void bad_chains(void)
{
    struct virtq_seg segs[SIZE + 1];

    for (unsigned int i = 0; i < SIZE + 1; i++) {
        segs[i] = (struct virtq_seg){ (uintptr_t)bufs[0], 4, false };
    }
    KT_EXPECT_EQ(virtq_init(&vq, SIZE, &memory, 0), 0, "init again");
    KT_EXPECT_EQ(virtq_add(&vq, segs, 0, &tokens[0], NULL), -EINVAL, "an empty chain");
    KT_EXPECT_EQ(virtq_add(&vq, segs, 1, NULL, NULL), -EINVAL, "no token");
    KT_EXPECT_EQ(virtq_add(&vq, segs, SIZE + 1, &tokens[0], NULL), -EINVAL, "longer than the ring");
    segs[0].device_writes = true;
    KT_EXPECT_EQ(virtq_add(&vq, segs, 2, &tokens[0], NULL), -EINVAL, "readable after writable");

    int added = 0;
    for (unsigned int i = 0; i < SIZE; i++) {
        added += add1(&tokens[i]) >= 0;
    }
    KT_EXPECT_EQ(added, SIZE, "fill the ring");
    KT_EXPECT_EQ(add1(&tokens[9]), -ENOSPC, "full: -ENOSPC");
}

static void indirect_and_event_idx(void)
{
    static struct virtq_desc table[3];
    struct virtq_used_buf done;

    KT_EXPECT_EQ(virtq_init(&vq, SIZE, &memory, VIRTQ_INIT_INDIRECT | VIRTQ_INIT_EVENT_IDX), 0,
                 "init with indirect descriptors and EVENT_IDX");
    KT_EXPECT_EQ(virtq_descs_needed(&vq, 3), 1, "a chain of 3 needs one descriptor");
    int h = add3(&tokens[0], table);
    KT_EXPECT_EQ(virtq_free_count(&vq), SIZE - 1, "and takes one");
    volatile struct virtq_desc *d = &dev_desc()[h];
    KT_EXPECT(d->addr == dma_address(table) && d->len == 3 * sizeof(struct virtq_desc) &&
                  d->flags == VIRTQ_DESC_F_INDIRECT,
              "it points at the table");
    KT_EXPECT(table[0].flags == VIRTQ_DESC_F_NEXT && table[0].next == 1 &&
                  table[1].flags == (VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE) &&
                  table[1].next == 2 &&
                  table[2].flags == VIRTQ_DESC_F_WRITE && table[2].len == 1,
              "the table holds the chain");

    /* avail_event = 0: "notify me when you publish entry 0". */
    *dev_avail_event() = 0;
    KT_EXPECT(virtq_kick_prepare(&vq), "EVENT_IDX: the device asked for entry 0");
    *dev_avail_event() = 5;
    add1(&tokens[1]);
    KT_EXPECT(!virtq_kick_prepare(&vq), "EVENT_IDX: it did not ask for entry 1");
    add1(&tokens[2]);
    add1(&tokens[3]);
    add1(&tokens[4]);
    add1(&tokens[5]);
    KT_EXPECT(virtq_kick_prepare(&vq), "EVENT_IDX: a burst past entry 5 needs one");

    dev_complete((uint32_t)h, 101);
    KT_EXPECT(virtq_get_used(&vq, &done) && done.token == &tokens[0] && done.len_ok,
              "indirect completion");
    KT_EXPECT(!virtq_get_used(&vq, &done), "nothing more");
    KT_EXPECT_EQ(dev_avail()[2 + SIZE], 1, "used_event asks for the next completion");

    dev_used()[1] = (uint16_t)(dev_used()[1] + SIZE + 1);
    /* Broken: nothing more is read from the device, and the chains still
     * in it come back, each once, as failed completions. */
    unsigned int abandoned = 0;
    bool all_failed = true;
    while (virtq_get_used(&vq, &done)) {
        abandoned++;
        all_failed &= !done.len_ok && virtq_free(&vq, done.head) == 0;
    }
    KT_EXPECT(virtq_broken(&vq), "a used idx past the ring: broken");
    KT_EXPECT(abandoned == 5 && all_failed, "every chain left in the device comes back failed, and is freed");
    dev_complete(0, 0);
    KT_EXPECT(!virtq_get_used(&vq, &done), "and nothing more is read from the device");
    KT_EXPECT_EQ(add1(&tokens[6]), -EIO, "a broken ring takes no more chains");
    KT_EXPECT(virtq_free(&vq, (unsigned int)h) == 0 && virtq_outstanding(&vq) == 0 &&
                  virtq_free_count(&vq) == SIZE,
              "with the completed one, nothing outstanding, every descriptor free");
}

/* Polling: the device is asked for no interrupt while the driver watches
 * the used index, and asked again after; what came is taken then. */
static void polling(void)
{
    struct virtq_used_buf done;

    for (unsigned int event_idx = 0; event_idx < 2; event_idx++) {
        KT_EXPECT_EQ(virtq_init(&vq, SIZE, &memory, event_idx ? VIRTQ_INIT_EVENT_IDX : 0u), 0,
                     event_idx ? "init with EVENT_IDX, to poll" : "init without EVENT_IDX, to poll");
        int h = add1(&tokens[0]);
        dev_complete((uint32_t)h, 8);
        KT_EXPECT(virtq_get_used(&vq, &done) && virtq_free(&vq, done.head) == 0, "one taken first");
        int h2 = add1(&tokens[1]);
        virtq_poll_begin(&vq);
        if (event_idx) {
            KT_EXPECT_EQ(dev_avail()[2 + SIZE], 0x8001u, "polling: used_event half the index space ahead");
        } else {
            KT_EXPECT_EQ(dev_avail()[0], VIRTQ_AVAIL_F_NO_INTERRUPT, "polling: NO_INTERRUPT");
        }
        KT_EXPECT(!virtq_used_pending(&vq), "nothing used: nothing pending");
        dev_complete((uint32_t)h2, 8);
        KT_EXPECT(virtq_used_pending(&vq), "a completion is seen by polling");
        virtq_poll_end(&vq);
        if (!event_idx) {
            KT_EXPECT_EQ(dev_avail()[0], 0, "after: interrupts wanted");
        }
        KT_EXPECT(virtq_get_used(&vq, &done) && done.token == &tokens[1] && done.len_ok &&
                      virtq_free(&vq, done.head) == 0,
                  "and the completion is taken as usual");
        KT_EXPECT(!virtq_get_used(&vq, &done), "nothing more");
        if (event_idx) {
            KT_EXPECT_EQ(dev_avail()[2 + SIZE], 2, "after: used_event asks for the next completion");
        }
    }
}

/* More completions than a 16-bit index counts: both indexes wrap, several
 * chains in flight at each moment. */
static void index_wrap(void)
{
    struct virtq_used_buf done;
    unsigned int completed = 0;
    bool in_order = true;

    KT_EXPECT_EQ(virtq_init(&vq, SIZE, &memory, 0), 0, "init for the wrap");
    for (unsigned int round = 0; round < 70000u / 4u; round++) {
        int heads[4];
        for (unsigned int i = 0; i < 4; i++) {
            heads[i] = add1(&tokens[i]);
        }
        for (unsigned int i = 0; i < 4; i++) {
            dev_complete((uint32_t)heads[i], 8);
        }
        for (unsigned int i = 0; i < 4; i++) {
            bool got = virtq_get_used(&vq, &done);
            in_order &= got && done.token == &tokens[i] && done.len_ok &&
                        virtq_free(&vq, done.head) == 0;
            completed += got;
        }
    }
    KT_EXPECT(in_order && completed == 70000u / 4u * 4u && !virtq_broken(&vq),
              "70000 completions on one ring: every one taken, in order, across the 16-bit wrap");
    KT_EXPECT_EQ(virtq_error_count(&vq), 0, "none rejected");
}

int main(void)
{
    kt_plan(73);
    chains_and_kicks();
    bad_ids();
    bad_chains();
    indirect_and_event_idx();
    polling();
    index_wrap();
    return kt_done();
}
