/*
 * A device that breaks its used ring (the driver's count is skewed so
 * that the next completion looks like a used index moved past the ring):
 * the requests in flight fail with -EIO instead of waiting for ever, and
 * so do those queued for descriptors behind them, more of them than the
 * failed requests free (the ring has 4 entries; the device is muted, so
 * that it holds 4 while 6 wait, and the test gives the completion that
 * breaks the ring). The device is reset
 * and marked FAILED with a message, every later request fails with -EIO
 * at once, and co_run() ends.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_plain expect='its used ring is broken; requests fail with EIO: status FAILED'
 * runner: name=modern hook=blk_plain qemu='-global virtio-mmio.force-legacy=false' expect='its used ring is broken; requests fail with EIO: status FAILED'
 */
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/blk_test.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>

#define QUEUE       4u
#define READERS     (QUEUE + 6u)

CO_DEFINE(tester, 8192);
CO_DEFINE_ARRAY(readers, READERS, 2048);

static struct blk_dev *disk;
static uint8_t buf[8 * BLK_SECTOR_SIZE];
static uint8_t bufs[READERS][BLK_SECTOR_SIZE];
static int results[READERS];

static void reader(void *opaque)
{
    unsigned int i = (unsigned int)(uintptr_t)opaque;

    results[i] = blk_read(disk, i, bufs[i], 1);
}

static void run(void *opaque)
{
    (void)opaque;
    KT_EXPECT_EQ(blk_read(disk, 0, buf, 8), 0, "a read before the ring breaks");

    blk_test_mute(disk);
    for (unsigned int i = 0; i < READERS; i++) {
        co_enter(co_init_element(readers, i, reader, (void *)(uintptr_t)i));
    }
    struct blk_stats st;
    blk_get_stats(disk, &st);
    KT_EXPECT(blk_in_flight(disk) == QUEUE && st.desc_waits == READERS - QUEUE,
              "the device holds 4 requests, 6 wait for descriptors");
    blk_test_skew_used_index(disk);
    blk_test_answer(disk, BLK_SECTOR_SIZE + 1, 0);
    unsigned int failed = 0;
    for (unsigned int tries = 0; tries < 1000 && failed < READERS; tries++) {
        co_sleep_ms(1);     /* with several CPUs, they may run on another */
        failed = 0;
        for (unsigned int i = 0; i < READERS; i++) {
            failed += co_terminated(&readers[i]) && results[i] == -EIO;
        }
    }
    KT_EXPECT_EQ(failed, READERS, "the ring breaks: those in flight and those queued fail with -EIO");
    KT_EXPECT_EQ(blk_read(disk, 16, buf, 8), -EIO, "a read after: -EIO");
    KT_EXPECT_EQ(blk_write(disk, 16, buf, 8), -EIO, "a write after: -EIO");
}

int main(void)
{
    kt_plan(10);
    KT_EXPECT_EQ(blk_set_queue_limit(QUEUE), 0, "rings of 4");
    KT_EXPECT_EQ(blk_probe(), 1, "probe finds the disk");
    disk = blk_get(0);
    if (disk == NULL) {
        return kt_done();
    }
    blkt_run_to_end(disk, &tester, run);
    return kt_done();
}
