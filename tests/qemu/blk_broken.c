/*
 * A device that breaks its used ring (the driver's count is skewed so
 * that the next completion looks like a used index moved past the ring):
 * the request in flight fails with -EIO instead of waiting for ever, the
 * device is reset and marked FAILED with a message, every later request
 * fails with -EIO at once, and co_run() ends.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_plain expect='its used ring is broken; requests fail with EIO: status FAILED'
 * runner: name=modern hook=blk_plain qemu='-global virtio-mmio.force-legacy=false' expect='its used ring is broken; requests fail with EIO: status FAILED'
 */
#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/blk_test.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>

CO_DEFINE(tester, 8192);

static uint8_t buf[8 * BLK_SECTOR_SIZE];

static void run(void *opaque)
{
    struct blk_dev *disk = opaque;

    KT_EXPECT_EQ(blk_read(disk, 0, buf, 8), 0, "a read before the ring breaks");
    blk_test_skew_used_index(disk);
    KT_EXPECT_EQ(blk_read(disk, 8, buf, 8), -EIO, "the read in flight when it breaks: -EIO");
    KT_EXPECT_EQ(blk_read(disk, 16, buf, 8), -EIO, "a read after: -EIO");
    KT_EXPECT_EQ(blk_write(disk, 16, buf, 8), -EIO, "a write after: -EIO");
}

int main(void)
{
    kt_plan(8);
    KT_EXPECT_EQ(blk_probe(), 1, "probe finds the disk");
    struct blk_dev *disk = blk_get(0);
    if (disk == NULL) {
        return kt_done();
    }
    co_enter(co_init(&tester, run, disk));
    KT_EXPECT_EQ(co_run(), 0, "co_run ends: nothing waits for ever");
    KT_EXPECT(co_terminated(&tester), "the tester finished");
    KT_EXPECT(blk_in_flight(disk) == 0 && blk_free_descriptors(disk) == blk_queue_size(disk),
              "every descriptor back, nothing in flight");
    return kt_done();
}
