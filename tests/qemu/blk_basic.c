/*
 * virtio-blk end to end on one disk (hooks/blk_disk.sh): identity, reads of
 * the host's pattern (small, unaligned, large enough to be split), writes
 * read back and flushed for the host to check, write-zeroes, discard, and
 * no descriptor leaked. On both transports, and without the ring features
 * (EVENT_IDX, indirect descriptors) the driver uses when offered. The first
 * run also checks that the built code holds every barrier the virtio
 * protocol needs between the driver and the device.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_disk expect='virtio-blk0: .*legacy transport' barriers='avail_entry_before_index avail_index_before_hint used_index_before_element used_event_before_recheck interrupts_wanted_before_recheck ring_before_queue_setup setup_before_driver_ok avail_before_doorbell status_before_used'
 * runner: name=modern hook=blk_disk qemu='-global virtio-mmio.force-legacy=false' expect='virtio-blk0: .*modern transport'
 * runner: name=legacy-plain-ring hook=blk_disk qemu='-global virtio-blk-device.event_idx=off -global virtio-blk-device.indirect_desc=off'
 * runner: name=modern-plain-ring hook=blk_disk qemu='-global virtio-mmio.force-legacy=false -global virtio-blk-device.event_idx=off -global virtio-blk-device.indirect_desc=off'
 * runner: name=modern-small-ranges hook=blk_disk qemu='-global virtio-mmio.force-legacy=false -global virtio-blk-device.max-write-zeroes-sectors=16 -global virtio-blk-device.max-discard-sectors=16'
 *
 * The last run's device takes at most 16 sectors per write-zeroes or
 * discard, so the driver must split those into requests that each move on.
 */
#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <string.h>

#define DISK_SECTORS        16384u
#define PATTERN_SECTORS     8192u       /* 'p' from the host */
#define WRITE_FIRST         8192u       /* 'w' from us, checked by the host */
#define WRITE_COUNT         2048u
#define ZERO_FIRST          12288u      /* written, then zeroed */
#define ZERO_COUNT          256u
#define DISCARD_FIRST       14336u
#define BIG_COUNT           4099u       /* > 2 MiB: several requests */

static uint8_t big[(BIG_COUNT + 1) * BLK_SECTOR_SIZE];

CO_DEFINE(tester, 8192);

static void read_pattern(struct blk_dev *disk)
{
    static uint8_t buf[9 * BLK_SECTOR_SIZE];

    KT_EXPECT_EQ(blk_read(disk, 0, buf, 1), 0, "read sector 0");
    KT_EXPECT_EQ(blkt_check(buf, 0, 1, 'p'), -1, "sector 0 holds the host's pattern");

    /* A buffer at an odd address: the device does not care, nor do we. */
    KT_EXPECT_EQ(blk_read(disk, 100, buf + 1, 8), 0, "read 8 sectors to an odd address");
    KT_EXPECT_EQ(blkt_check(buf + 1, 100, 8, 'p'), -1, "they hold the pattern");

    KT_EXPECT_EQ(blk_read(disk, PATTERN_SECTORS - 1, buf, 1), 0, "read the last pattern sector");
    KT_EXPECT_EQ(blkt_check(buf, PATTERN_SECTORS - 1, 1, 'p'), -1, "it holds the pattern");

    memset(big, 0xee, sizeof(big));
    KT_EXPECT_EQ(blk_read(disk, 1, big, BIG_COUNT), 0, "read 4099 sectors in one call");
    KT_EXPECT_EQ(blkt_check(big, 1, BIG_COUNT, 'p'), -1, "all of them hold the pattern");
    KT_EXPECT_EQ(big[BIG_COUNT * BLK_SECTOR_SIZE], 0xee, "nothing written past the buffer");

    KT_EXPECT_EQ(blk_read(disk, DISK_SECTORS - 1, buf, 1), 0, "read the last sector");
    KT_EXPECT(blkt_all_zero(buf, BLK_SECTOR_SIZE), "the last sector is zero");
}

static void write_back(struct blk_dev *disk)
{
    /* Pieces of several sizes, the last one large enough to be split. */
    static const uint32_t pieces[] = { 1, 7, 64, 1000, WRITE_COUNT - 1 - 7 - 64 - 1000 };
    uint32_t at = WRITE_FIRST;
    int failures = 0;

    blkt_fill(big, WRITE_FIRST, WRITE_COUNT, 'w');
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        failures += blk_write(disk, at, big + (at - WRITE_FIRST) * BLK_SECTOR_SIZE, pieces[i]) != 0;
        at += pieces[i];
    }
    KT_EXPECT_EQ(failures, 0, "write 2048 sectors in 5 calls");
    struct blk_stats before, after;
    blk_get_stats(disk, &before);
    KT_EXPECT_EQ(blk_flush(disk), 0, "flush");
    blk_get_stats(disk, &after);
    KT_EXPECT_EQ(after.requests - before.requests, 1, "the flush reached the device");

    memset(big, 0, sizeof(big));
    KT_EXPECT_EQ(blk_read(disk, WRITE_FIRST, big, WRITE_COUNT), 0, "read them back");
    KT_EXPECT_EQ(blkt_check(big, WRITE_FIRST, WRITE_COUNT, 'w'), -1, "they hold what we wrote");
}

static void zeroes_and_discard(struct blk_dev *disk)
{
    KT_EXPECT(blk_can_write_zeroes(disk), "QEMU offers write-zeroes");
    blkt_fill(big, ZERO_FIRST, ZERO_COUNT, 'z');
    KT_EXPECT_EQ(blk_write(disk, ZERO_FIRST, big, ZERO_COUNT), 0, "write before zeroing");
    KT_EXPECT_EQ(blk_write_zeroes(disk, ZERO_FIRST, ZERO_COUNT), 0, "write zeroes");
    memset(big, 0xff, ZERO_COUNT * BLK_SECTOR_SIZE);
    KT_EXPECT_EQ(blk_read(disk, ZERO_FIRST, big, ZERO_COUNT), 0, "read the zeroed sectors");
    KT_EXPECT(blkt_all_zero(big, ZERO_COUNT * BLK_SECTOR_SIZE), "they are zero");

    KT_EXPECT(blk_can_discard(disk), "QEMU offers discard");
    KT_EXPECT_EQ(blk_discard(disk, DISCARD_FIRST, 128), 0, "discard");
    KT_EXPECT_EQ(blk_flush(disk), 0, "flush again");
}

static void run(void *opaque)
{
    struct blk_dev *disk = opaque;
    char id[BLK_ID_BYTES + 1];

    KT_EXPECT_EQ(blk_get_id(disk, id, sizeof(id)), 0, "get the id string");
    KT_EXPECT(strcmp(id, "blk-disk0") == 0, "it is the serial the host gave");
    KT_EXPECT_EQ(blk_get_id(disk, id, 4), 0, "id into a short buffer");
    KT_EXPECT(strcmp(id, "blk") == 0, "cut and terminated");
    read_pattern(disk);
    write_back(disk);
    zeroes_and_discard(disk);
}

int main(void)
{
    kt_plan(41);
    KT_EXPECT_EQ(blk_probe(), 1, "probe finds one disk");
    struct blk_dev *disk = blk_get(0);
    if (disk == NULL) {
        return kt_done();
    }
    KT_EXPECT_EQ(blk_capacity(disk), DISK_SECTORS, "capacity");
    KT_EXPECT_EQ(blk_block_size(disk), 512, "block size");
    KT_EXPECT(!blk_read_only(disk), "writable");
    KT_EXPECT(blk_get(1) == NULL, "no second disk");
    char id[BLK_ID_BYTES + 1];
    KT_EXPECT_EQ(blk_get_id(disk, id, sizeof(id)), 0, "the id from main(), not a coroutine");
    KT_EXPECT(strcmp(id, "blk-disk0") == 0, "the same serial");

    co_enter(co_init(&tester, run, disk));
    co_run();
    KT_EXPECT(co_terminated(&tester), "the tester finished");

    struct blk_stats st;
    blk_get_stats(disk, &st);
    blkt_print_stats(disk);
    KT_EXPECT(st.interrupts > 0, "completions came by interrupt");
    KT_EXPECT(st.notifies > 0 && st.notifies <= st.requests, "at most one notify a request");
    blkt_expect_idle(disk, "idle at the end");
    return kt_done();
}
