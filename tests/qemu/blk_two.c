/*
 * Two virtio-blk devices at once (hooks/blk_two.sh): each found by its
 * serial and in command-line order, each with its own ring and interrupt; 8 coroutines per disk
 * write, read back and flush concurrently, and the host checks that each
 * image holds its own pattern and nothing of the other's.
 *
 * tags: smp
 * requires: virtio
 * runner: name=legacy hook=blk_two
 * runner: name=modern hook=blk_two qemu='-global virtio-mmio.force-legacy=false'
 */
#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <string.h>

#define PER_DISK        8u
#define SECTORS_EACH    128u    /* per coroutine: 8 x 128 = the first 1024 */
#define CHUNK           16u

CO_DEFINE_ARRAY(workers, 2 * PER_DISK, 4096);

struct job {
    struct blk_dev *disk;
    char tag;
    uint32_t first;
    unsigned int failures;
};

static struct job jobs[2 * PER_DISK];
static uint8_t buffers[2 * PER_DISK][CHUNK * BLK_SECTOR_SIZE];

static void worker(void *opaque)
{
    struct job *job = opaque;
    uint8_t *buf = buffers[job - jobs];

    for (uint32_t off = 0; off < SECTORS_EACH; off += CHUNK) {
        blkt_fill(buf, job->first + off, CHUNK, job->tag);
        job->failures += blk_write(job->disk, job->first + off, buf, CHUNK) != 0;
    }
    job->failures += blk_flush(job->disk) != 0;
    for (uint32_t off = 0; off < SECTORS_EACH; off += CHUNK) {
        memset(buf, 0, sizeof(buffers[0]));
        job->failures += blk_read(job->disk, job->first + off, buf, CHUNK) != 0;
        job->failures += blkt_check(buf, job->first + off, CHUNK, job->tag) != -1;
    }
}

/* Reads the sector past the written area: still zero on both. Each of
 * the two reads into its own buffer: they are in flight at once, and one
 * disk's zeroes landing last in a shared buffer would hide the other's
 * data. */
static void untouched(void *opaque)
{
    struct job *job = opaque;
    uint8_t *buf = buffers[co_self() - workers];

    job->failures += blk_read(job->disk, PER_DISK * SECTORS_EACH, buf, 1) != 0;
    job->failures += !blkt_all_zero(buf, BLK_SECTOR_SIZE);
}

CO_DEFINE(tester, 8192);
static struct blk_dev *disk_a;
static struct blk_dev *disk_b;

/* Finds the disks by serial (which takes a request each, so it runs in a
 * coroutine) and sets the workers going. */
static void start(void *opaque)
{
    (void)opaque;
    disk_a = blkt_find("blk-a");
    disk_b = blkt_find("blk-b");
    if (disk_a == NULL || disk_b == NULL) {
        return;
    }
    for (unsigned int k = 0; k < 2 * PER_DISK; k++) {
        struct job *job = &jobs[k];
        job->disk = k < PER_DISK ? disk_a : disk_b;
        job->tag = k < PER_DISK ? 'a' : 'b';
        job->first = (k % PER_DISK) * SECTORS_EACH;
        co_wake(co_init_element(workers, k, worker, job));
    }
}

int main(void)
{
    kt_plan(18);
    KT_EXPECT_EQ(blk_probe(), 2, "probe finds two disks");
    KT_EXPECT_EQ(blk_count(), 2, "blk_count");
    co_enter(co_init(&tester, start, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run");
    KT_EXPECT(disk_a != NULL && disk_b != NULL, "both found by serial");
    if (disk_a == NULL || disk_b == NULL) {
        return kt_done();
    }
    KT_EXPECT(blk_get(0) == disk_a && blk_get(1) == disk_b,
              "blk_get() follows the command line: blk-a, the first -device, is 0");
    KT_EXPECT_EQ(blk_capacity(disk_a), 4096, "capacity of blk-a");
    KT_EXPECT_EQ(blk_capacity(disk_b), 8192, "capacity of blk-b");

    unsigned int failures = 0;
    for (unsigned int k = 0; k < 2 * PER_DISK; k++) {
        failures += jobs[k].failures + !co_terminated(&workers[k]);
    }
    KT_EXPECT_EQ(failures, 0, "16 coroutines wrote, flushed and read back their sectors");

    struct job after[2] = { { .disk = disk_a }, { .disk = disk_b } };
    co_enter(co_init_element(workers, 0, untouched, &after[0]));
    co_enter(co_init_element(workers, 1, untouched, &after[1]));
    KT_EXPECT_EQ(co_run(), 0, "co_run");
    KT_EXPECT_EQ(after[0].failures + after[1].failures, 0, "the sectors after stayed zero");

    struct blk_stats a, b;
    blk_get_stats(disk_a, &a);
    blk_get_stats(disk_b, &b);
    KT_EXPECT(a.interrupts > 0 && b.interrupts > 0, "each device interrupted");
    KT_EXPECT(a.requests > 0 && b.requests > 0, "each device had requests");
    blkt_expect_idle(disk_a, "blk-a idle, nothing leaked");
    blkt_expect_idle(disk_b, "blk-b idle, nothing leaked");
    return kt_done();
}
