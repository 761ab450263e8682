/*
 * A read-only device (readonly=on, so QEMU offers VIRTIO_BLK_F_RO; see
 * hooks/blk_ro.sh): reads work; writes, write-zeroes and discard are
 * refused with -EROFS before anything reaches the device, and the host
 * finds the image unchanged.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_ro expect='virtio-blk0: .*read-only'
 * runner: name=modern hook=blk_ro qemu='-global virtio-mmio.force-legacy=false' expect='virtio-blk0: .*read-only'
 */
#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>

CO_DEFINE(tester, 8192);

static uint8_t buf[16 * BLK_SECTOR_SIZE];

static void run(void *opaque)
{
    struct blk_dev *disk = opaque;
    struct blk_stats before, after;

    KT_EXPECT_EQ(blk_read(disk, 0, buf, 16), 0, "read");
    KT_EXPECT_EQ(blkt_check(buf, 0, 16, 'p'), -1, "the host's pattern");

    blk_get_stats(disk, &before);
    blkt_fill(buf, 0, 16, 'w');
    KT_EXPECT_EQ(blk_write(disk, 0, buf, 16), -EROFS, "write: -EROFS");
    KT_EXPECT_EQ(blk_write(disk, 2047, buf, 1), -EROFS, "write of the last sector: -EROFS");
    KT_EXPECT_EQ(blk_write_zeroes(disk, 0, 8), -EROFS, "write-zeroes: -EROFS");
    KT_EXPECT_EQ(blk_discard(disk, 0, 8), -EROFS, "discard: -EROFS");
    blk_get_stats(disk, &after);
    KT_EXPECT_EQ(after.requests, before.requests, "none of them reached the device");

    KT_EXPECT_EQ(blk_flush(disk), 0, "flush is harmless");
    KT_EXPECT_EQ(blk_read(disk, 0, buf, 16), 0, "read again");
    KT_EXPECT_EQ(blkt_check(buf, 0, 16, 'p'), -1, "unchanged");
}

int main(void)
{
    kt_plan(16);
    KT_EXPECT_EQ(blk_probe(), 1, "probe");
    struct blk_dev *disk = blk_get(0);
    if (disk == NULL) {
        return kt_done();
    }
    KT_EXPECT(blk_read_only(disk), "the device says read-only");
    co_enter(co_init(&tester, run, disk));
    KT_EXPECT_EQ(co_run(), 0, "co_run");
    blkt_expect_idle(disk, "idle, nothing leaked");
    return kt_done();
}
