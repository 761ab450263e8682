/*
 * An application that knows only drivers/blk.h, on a board without a
 * block device (the Cortex-M boards have no virtio; on virt none is
 * attached): it builds and links on every board, and is told at run time
 * that there is none. No device by index or by name, -ENODEV from every
 * call on the NULL it is given, the queries' empty answers, and nothing
 * found on a second look either.
 */
#include "drivers/blk.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>

int main(void)
{
    static uint8_t buf[BLK_SECTOR_SIZE];
    char id[BLK_ID_BYTES + 1];

    kt_plan(20);
    KT_EXPECT_EQ(blk_count(), 0, "no block device");
    struct blk_dev *disk = blk_get(0);
    KT_EXPECT(disk == NULL, "blk_get(0): NULL");
    KT_EXPECT(blk_find("virtio0") == NULL, "blk_find(\"virtio0\"): NULL");
    KT_EXPECT(blk_find(NULL) == NULL, "blk_find(NULL): NULL");

    KT_EXPECT_EQ(blk_read(disk, 0, buf, 1), -ENODEV, "read: -ENODEV");
    KT_EXPECT_EQ(blk_write(disk, 0, buf, 1), -ENODEV, "write: -ENODEV");
    KT_EXPECT_EQ(blk_read(disk, 0, NULL, 0), -ENODEV, "read with bad arguments too: -ENODEV");
    KT_EXPECT_EQ(blk_flush(disk), -ENODEV, "flush: -ENODEV");
    KT_EXPECT_EQ(blk_discard(disk, 0, 1), -ENODEV, "discard: -ENODEV");
    KT_EXPECT_EQ(blk_write_zeroes(disk, 0, 1), -ENODEV, "write-zeroes: -ENODEV");
    KT_EXPECT_EQ(blk_get_id(disk, id, sizeof(id)), -ENODEV, "get-id: -ENODEV");

    KT_EXPECT(blk_name(disk) == NULL, "no name");
    KT_EXPECT_EQ(blk_capacity(disk), 0, "capacity 0");
    KT_EXPECT_EQ(blk_block_size(disk), 0, "block size 0");
    KT_EXPECT_EQ(blk_queue_depth(disk), 0, "queue depth 0");
    KT_EXPECT(!blk_read_only(disk), "not read-only");
    KT_EXPECT(!blk_can_discard(disk) && !blk_can_write_zeroes(disk), "no discard, no write-zeroes");

    KT_EXPECT_EQ(blk_count(), 0, "asked again: still none");
    KT_EXPECT(blk_get(0) == NULL, "blk_get(0) again: NULL");
    KT_EXPECT(blk_get(1) == NULL, "blk_get(1): NULL");
    return kt_done();
}
