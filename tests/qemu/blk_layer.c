/*
 * The block layer over two virtio-blk disks (hooks/blk_two.sh), used as
 * an application that knows only drivers/blk.h would: no blk_probe(), the
 * layer finds the devices when first asked. Each device by index and by
 * name ("virtio0" is the first -device, blk-a), nothing past the last
 * index nor for a name that no device has; the queue depth is the ring's
 * (a request per descriptor with indirect descriptors, one per three
 * without: args=plain-ring); each disk written and read back through the
 * layer, and the host checks that each image holds its own pattern.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_two
 * runner: name=plain-ring hook=blk_two args=plain-ring qemu='-global virtio-blk-device.indirect_desc=off'
 */
#include "coro/coro.h"
#include "boot/kernel.h"
#include "drivers/blk.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

#define SECTORS 1024u               /* what hooks/blk_two.sh checks of each */
#define CHUNK   64u

CO_DEFINE(tester, 8192);

static uint8_t buf[CHUNK * BLK_SECTOR_SIZE];

/* Writes the host's pattern `tag` over the first SECTORS of disk and
 * reads it back; the calls that failed. */
static unsigned int write_pattern(struct blk_dev *disk, char tag)
{
    unsigned int failures = 0;

    for (uint32_t at = 0; at < SECTORS; at += CHUNK) {
        blkt_fill(buf, at, CHUNK, tag);
        failures += blk_write(disk, at, buf, CHUNK) != 0;
        memset(buf, 0, sizeof(buf));
        failures += blk_read(disk, at, buf, CHUNK) != 0;
        failures += blkt_check(buf, at, CHUNK, tag) != -1;
    }
    return failures + (blk_flush(disk) != 0);
}

static void run(void *opaque)
{
    (void)opaque;
    struct blk_dev *a = blk_find("virtio0"), *b = blk_find("virtio1");

    KT_EXPECT_EQ(write_pattern(a, 'a'), 0, "virtio0 written, read back and flushed");
    KT_EXPECT_EQ(write_pattern(b, 'b'), 0, "virtio1 written, read back and flushed");
    KT_EXPECT_EQ(blk_read(a, blk_capacity(a), buf, 1), -ERANGE,
                 "a read at virtio0's capacity: -ERANGE, from the layer");
}

static void names(void)
{
    struct blk_dev *a = blk_get(0), *b = blk_get(1);
    char id[BLK_ID_BYTES + 1] = "";

    KT_EXPECT(a != NULL && b != NULL && a != b, "blk_get(0) and blk_get(1): two devices");
    KT_EXPECT(blk_find("virtio0") == a, "blk_find(\"virtio0\") is blk_get(0)");
    KT_EXPECT(blk_find("virtio1") == b, "blk_find(\"virtio1\") is blk_get(1)");
    KT_EXPECT(blk_name(a) != NULL && strcmp(blk_name(a), "virtio0") == 0, "blk_get(0) is virtio0");
    KT_EXPECT(blk_name(b) != NULL && strcmp(blk_name(b), "virtio1") == 0, "blk_get(1) is virtio1");
    KT_EXPECT(blk_get_id(a, id, sizeof(id)) == 0 && strcmp(id, "blk-a") == 0,
              "virtio0 is blk-a, the first -device");

    KT_EXPECT(blk_get(2) == NULL, "blk_get(2), past the last: NULL");
    KT_EXPECT(blk_get(UINT_MAX) == NULL, "blk_get(UINT_MAX): NULL");
    KT_EXPECT(blk_find("virtio2") == NULL, "blk_find(\"virtio2\"): no such device");
    KT_EXPECT(blk_find("virtio") == NULL, "blk_find(\"virtio\"): a prefix is no name");
    KT_EXPECT(blk_find("virtio00") == NULL, "blk_find(\"virtio00\"): nor a longer one");
    KT_EXPECT(blk_find("") == NULL, "blk_find(\"\"): NULL");
    KT_EXPECT(blk_find(NULL) == NULL, "blk_find(NULL): NULL");
}

static void queue_depth(struct blk_dev *disk)
{
    bool plain = strcmp(kernel_cmdline(), "plain-ring") == 0;
    unsigned int size = blk_queue_size(disk);

    KT_EXPECT_EQ(blk_queue_depth(disk), plain ? size / 3 : size,
                 plain ? "queue depth: a third of the ring without indirect descriptors"
                       : "queue depth: the ring's size with indirect descriptors");
}

int main(void)
{
    kt_plan(24);
    KT_EXPECT_EQ(blk_count(), 2, "the layer found both disks when first asked");
    names();
    if (blk_get(0) == NULL || blk_get(1) == NULL) {
        return kt_done();
    }
    queue_depth(blk_get(0));
    KT_EXPECT_EQ(blk_probe(), 2, "blk_probe() after: the same answer");
    KT_EXPECT_EQ(blk_count(), 2, "and no device registered twice");
    co_enter(co_init(&tester, run, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run");
    blkt_expect_idle(blk_get(0), "virtio0 idle, nothing leaked");
    return kt_done();
}
