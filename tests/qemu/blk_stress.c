/*
 * 64 coroutines doing random reads and writes of 1-8 sectors on one disk,
 * each on a region of its own so every read can be checked against what
 * it last wrote there; 20,480 random I/Os, then every worker writes a
 * final pattern and flushes, which the host checks on the image
 * (hooks/blk_stress.sh). args='queue=N' caps the ring at N entries, so
 * requests wait for descriptors: the CoQueue path; args='poll=U' has idle
 * CPUs poll the ring for U us (blk_set_poll()) before they sleep. The
 * runs below poll for 20 ms, far longer than the device takes, so that
 * polling finds answers on a loaded host too: there a 50 us poll can find
 * none, the device's thread waiting for the core the polling vCPU holds.
 *
 * tags: smp
 * requires: virtio
 * runner: name=legacy hook=blk_stress
 * runner: name=modern hook=blk_stress qemu='-global virtio-mmio.force-legacy=false'
 * runner: name=legacy-ring8 hook=blk_stress args='queue=8'
 * runner: name=modern-ring8 hook=blk_stress args='queue=8' qemu='-global virtio-mmio.force-legacy=false'
 * runner: name=legacy-ring16-plain hook=blk_stress args='queue=16' qemu='-global virtio-blk-device.event_idx=off -global virtio-blk-device.indirect_desc=off'
 * runner: name=modern-ring4-plain hook=blk_stress args='queue=4' qemu='-global virtio-mmio.force-legacy=false -global virtio-blk-device.event_idx=off -global virtio-blk-device.indirect_desc=off'
 * runner: name=legacy-poll hook=blk_stress args='poll=20000'
 * runner: name=modern-ring8-plain-poll hook=blk_stress args='queue=8 poll=20000' qemu='-global virtio-mmio.force-legacy=false -global virtio-blk-device.event_idx=off -global virtio-blk-device.indirect_desc=off'
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_random.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS         64u
#define REGION          64u             /* sectors each worker owns */
#define FIRST           8192u           /* the regions, one after another */
#define OPS             320u            /* random I/Os per worker */
#define IO_MAX          8u              /* sectors */
#define WORDS           (BLK_SECTOR_SIZE / 4u)
#define STAMP_MAGIC     0x424c4b53u     /* "SKLB" */

CO_DEFINE_ARRAY(workers, WORKERS, 4096);

static uint32_t buffers[WORKERS][IO_MAX * WORDS];
static uint16_t versions[WORKERS][REGION];     /* 0: never written, still zero */

struct tally {
    uint32_t ios;
    uint32_t errors;        /* calls that failed */
    uint32_t bad_data;      /* sectors that read back wrong */
};
static struct tally tallies[WORKERS];
static struct blk_dev *disk;

/* A sector's contents for (lba, version): a header, then noise seeded by
 * both, so stale or misplaced data never passes. */
static void stamp(uint32_t *words, uint32_t lba, uint32_t version)
{
    uint32_t seed = (lba * 2654435761u) ^ (version * 40503u) ^ 0x5bd1e995u;

    words[0] = STAMP_MAGIC;
    words[1] = lba;
    words[2] = version;
    words[3] = ~lba;
    for (unsigned int i = 4; i < WORDS; i++) {
        words[i] = test_random_xorshift(&seed);
    }
}

static bool stamp_ok(const uint32_t *words, uint32_t lba, uint32_t version)
{
    uint32_t want[WORDS];

    if (version == 0) {
        return blkt_all_zero(words, BLK_SECTOR_SIZE);
    }
    stamp(want, lba, version);
    return memcmp(words, want, sizeof(want)) == 0;
}

static void random_io(unsigned int k, uint32_t *seed)
{
    uint32_t r = test_random_xorshift(seed);
    unsigned int offset = r % REGION;
    unsigned int count = 1 + (r >> 8) % IO_MAX;
    uint32_t lba = FIRST + k * REGION + offset;
    uint32_t *buf = buffers[k];

    if (offset + count > REGION) {
        count = REGION - offset;
    }
    if ((r >> 16) & 1) {
        for (unsigned int s = 0; s < count; s++) {
            stamp(buf + s * WORDS, lba + s, ++versions[k][offset + s]);
        }
        tallies[k].errors += blk_write(disk, lba, buf, count) != 0;
    } else {
        memset(buf, 0xa5, count * BLK_SECTOR_SIZE);
        if (blk_read(disk, lba, buf, count) != 0) {
            tallies[k].errors++;
        }
        for (unsigned int s = 0; s < count; s++) {
            if (!stamp_ok(buf + s * WORDS, lba + s, versions[k][offset + s])) {
                kprintf("worker %u: sector %lu is not version %u\n", k, (unsigned long)(lba + s),
                        versions[k][offset + s]);
                tallies[k].bad_data++;
            }
        }
    }
    tallies[k].ios++;
    if ((r >> 24) % 64 == 0) {
        tallies[k].errors += blk_flush(disk) != 0;
        tallies[k].ios++;
    }
}

/* The final pattern over the whole region, read back, flushed. */
static void finish(unsigned int k)
{
    uint32_t first = FIRST + k * REGION;
    uint32_t *buf = buffers[k];

    for (unsigned int off = 0; off < REGION; off += IO_MAX) {
        blkt_fill(buf, first + off, IO_MAX, 'f');
        tallies[k].errors += blk_write(disk, first + off, buf, IO_MAX) != 0;
        tallies[k].ios++;
    }
    for (unsigned int off = 0; off < REGION; off += IO_MAX) {
        memset(buf, 0, IO_MAX * BLK_SECTOR_SIZE);
        tallies[k].errors += blk_read(disk, first + off, buf, IO_MAX) != 0;
        tallies[k].bad_data += blkt_check(buf, first + off, IO_MAX, 'f') != -1;
        tallies[k].ios++;
    }
    tallies[k].errors += blk_flush(disk) != 0;
    tallies[k].ios++;
}

static void worker(void *opaque)
{
    unsigned int k = (unsigned int)(uintptr_t)opaque;
    uint32_t seed = 0x9e3779b9u * (k + 1);

    for (unsigned int op = 0; op < OPS; op++) {
        random_io(k, &seed);
    }
    finish(k);
}

/* "name=N" on the command line: N, or 0. */
static unsigned int number_arg(const char *name)
{
    const char *arg = strstr(kernel_cmdline(), name);

    return arg != NULL ? (unsigned int)atoi(arg + strlen(name)) : 0;
}

int main(void)
{
    unsigned int queue = number_arg("queue=");
    unsigned int poll_us = number_arg("poll=");

    kt_plan(14);
    if (queue != 0) {
        KT_EXPECT_EQ(blk_set_queue_limit(queue), 0, "cap the ring");
    } else {
        KT_EXPECT_EQ(blk_set_queue_limit(3), -EINVAL, "a ring size must be a power of two");
    }
    KT_EXPECT_EQ(blk_probe(), 1, "probe finds the disk");
    disk = blk_get(0);
    if (disk == NULL) {
        return kt_done();
    }
    KT_EXPECT_EQ(blk_queue_size(disk), queue != 0 ? queue : 256, "ring size");
    KT_EXPECT_EQ(blk_set_poll(disk, (uint64_t)poll_us * 1000u), 0, "poll time");

    for (unsigned int k = 0; k < WORKERS; k++) {
        co_enter(co_init_element(workers, k, worker, (void *)(uintptr_t)k));
    }
    KT_EXPECT_EQ(co_run(), 0, "co_run");

    struct tally sum = { 0, 0, 0 };
    unsigned int finished = 0;
    for (unsigned int k = 0; k < WORKERS; k++) {
        sum.ios += tallies[k].ios;
        sum.errors += tallies[k].errors;
        sum.bad_data += tallies[k].bad_data;
        finished += co_terminated(&workers[k]);
    }
    printf("# %lu I/Os by %u coroutines\n", (unsigned long)sum.ios, WORKERS);
    blkt_print_stats(disk);
    KT_EXPECT_EQ(finished, WORKERS, "every worker finished");
    KT_EXPECT(sum.ios >= 20000, "at least 20,000 I/Os");
    KT_EXPECT_EQ(sum.errors, 0, "no call failed");
    KT_EXPECT_EQ(sum.bad_data, 0, "every read saw what was last written there");

    struct blk_stats st;
    blk_get_stats(disk, &st);
    /* A small ring cannot hold 64 requests: some waited for descriptors. */
    KT_EXPECT(queue == 0 || st.desc_waits > 0, "on a small ring, requests waited for descriptors");
    KT_EXPECT(poll_us != 0 ? st.polled > 0 : st.polled == 0,
              poll_us != 0 ? "polling found answers" : "without polling, none found by it");
    blkt_expect_idle(disk, "no descriptor leaked");
    return kt_done();
}
