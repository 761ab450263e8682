/*
 * The block layer over a driver of the test's own, on every board: a RAM
 * disk (programmed I/O: its buffers need not be memory a device reaches,
 * and on the Cortex-M boards none is) whose operations count their calls,
 * found by a probe the test adds before anyone asks for a device. The
 * probe runs once, however often the
 * devices are asked for; what the layer refuses never reaches the driver
 * (each errno of drivers/blk.h, in its order); what it passes arrives as
 * the caller gave it; the capacity the driver sets is the one the checks
 * use; the id is cut to the caller's buffer; names are unique and the
 * layer holds BLK_DEVICES_MAX devices.
 */
#include "blk/device.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define RAM_SECTORS 16u
#define RAM_ID      "ram-disk-of-the-test"      /* BLK_ID_BYTES long: no NUL */

/* The driver's own memory: no transfer may touch it. */
struct ram_disk {
    struct blk_dev blk;
    uint8_t sectors[RAM_SECTORS * BLK_SECTOR_SIZE];
};

static struct ram_disk disks[2];
static unsigned int calls, probes;
static struct {
    uint64_t sector;
    const void *buf;
    uint64_t count;
} last;

static uint8_t *at(struct blk_dev *dev, uint64_t sector)
{
    return ((struct ram_disk *)dev)->sectors + sector * BLK_SECTOR_SIZE;
}

static void called(uint64_t sector, const void *buf, uint64_t count)
{
    calls++;
    last.sector = sector;
    last.buf = buf;
    last.count = count;
}

static int ram_read(struct blk_dev *dev, uint64_t sector, void *buf, size_t count)
{
    called(sector, buf, count);
    memcpy(buf, at(dev, sector), count * BLK_SECTOR_SIZE);
    return 0;
}

static int ram_write(struct blk_dev *dev, uint64_t sector, const void *buf, size_t count)
{
    called(sector, buf, count);
    memcpy(at(dev, sector), buf, count * BLK_SECTOR_SIZE);
    return 0;
}

static int ram_flush(struct blk_dev *dev)
{
    (void)dev;
    called(0, NULL, 0);
    return 0;
}

static int ram_discard(struct blk_dev *dev, uint64_t sector, uint64_t count)
{
    called(sector, NULL, count);
    memset(at(dev, sector), 0, count * BLK_SECTOR_SIZE);
    return 0;
}

static int ram_get_id(const struct blk_dev *dev, char id[BLK_ID_BYTES])
{
    (void)dev;
    memcpy(id, RAM_ID, BLK_ID_BYTES);
    return 0;
}

/* No write_zeroes: neither disk offers it. */
static const struct blk_ops ram_ops = {
    .read = ram_read,
    .write = ram_write,
    .flush = ram_flush,
    .discard = ram_discard,
    .get_id = ram_get_id,
};

static void describe(struct blk_dev *dev, const char *name, bool read_only)
{
    *dev = (struct blk_dev){
        .ops = &ram_ops, .sectors_per_block = 2, .queue_depth = 1, .read_only = read_only,
        .can_discard = true, .pio = true, .own = disks, .own_bytes = sizeof(disks), .name = name,
    };
    blk_set_capacity(dev, RAM_SECTORS);
}

/* ram0, and ram1 read-only. */
static int ram_probe(void)
{
    probes++;
    describe(&disks[0].blk, "ram0", false);
    describe(&disks[1].blk, "ram1", true);
    return (blk_register(&disks[0].blk) == 0) + (blk_register(&disks[1].blk) == 0);
}

static uint8_t buf[4 * BLK_SECTOR_SIZE];

static void refused(struct blk_dev *ram0, struct blk_dev *ram1)
{
    char id[BLK_ID_BYTES + 1];

    KT_EXPECT_EQ(blk_read(ram0, 0, NULL, 2), -EINVAL, "read into NULL: -EINVAL");
    KT_EXPECT_EQ(blk_read(ram0, 0, buf, 0), -EINVAL, "read of 0 sectors: -EINVAL");
    KT_EXPECT_EQ(blk_read(ram0, 1, buf, 2), -EINVAL, "read from inside a block: -EINVAL");
    KT_EXPECT_EQ(blk_write(ram0, 0, buf, 3), -EINVAL, "write of a block and a half: -EINVAL");
    KT_EXPECT_EQ(blk_read(ram0, RAM_SECTORS, buf, 2), -ERANGE, "read at the capacity: -ERANGE");
    KT_EXPECT_EQ(blk_read(ram0, RAM_SECTORS - 2, buf, 4), -ERANGE, "read across the end: -ERANGE");
    KT_EXPECT_EQ(blk_read(ram0, UINT64_MAX - 1, buf, 4), -ERANGE,
                 "read whose end overflows: -ERANGE");
    KT_EXPECT_EQ(blk_read(ram0, 0, disks[0].sectors, 2), -EFAULT,
                 "read into the driver's own memory: -EFAULT");
    KT_EXPECT_EQ(blk_write(ram0, 0, (const void *)(UINTPTR_MAX - 511), 2), -EFAULT,
                 "write from a buffer off the end of memory: -EFAULT");
    KT_EXPECT_EQ(blk_write(ram1, 0, buf, 2), -EROFS, "write to the read-only disk: -EROFS");
    KT_EXPECT_EQ(blk_write(ram1, 1, buf, 0), -EROFS, "-EROFS before the range is looked at");
    KT_EXPECT_EQ(blk_discard(ram1, 0, 2), -EROFS, "discard on it: -EROFS");
    KT_EXPECT_EQ(blk_write_zeroes(ram0, 0, 2), -ENOTSUP, "write-zeroes, not offered: -ENOTSUP");
    KT_EXPECT_EQ(blk_discard(ram0, 0, 0), -EINVAL, "discard of 0 sectors: -EINVAL");
    KT_EXPECT_EQ(blk_discard(ram0, RAM_SECTORS - 2, 4), -ERANGE, "discard across the end: -ERANGE");
    KT_EXPECT_EQ(blk_get_id(ram0, NULL, sizeof(id)), -EINVAL, "id into NULL: -EINVAL");
    KT_EXPECT_EQ(blk_get_id(ram0, id, 0), -EINVAL, "id into 0 bytes: -EINVAL");
    KT_EXPECT_EQ(calls, 0, "none of these reached the driver");
}

static void passed(struct blk_dev *ram0)
{
    static uint8_t back[sizeof(buf)];
    char id[BLK_ID_BYTES + 1];

    memset(buf, 0x5a, sizeof(buf));
    KT_EXPECT_EQ(blk_write(ram0, 2, buf, 4), 0, "write 4 sectors at 2");
    KT_EXPECT(calls == 1 && last.sector == 2 && last.buf == buf && last.count == 4,
              "the driver got the caller's sector, buffer and count");
    KT_EXPECT_EQ(blk_read(ram0, 2, back, 4), 0, "read them back");
    KT_EXPECT(memcmp(back, buf, sizeof(buf)) == 0, "as written");
    KT_EXPECT_EQ(blk_discard(ram0, 2, 2), 0, "discard 2 of them");
    KT_EXPECT(calls == 3 && last.sector == 2 && last.count == 2, "the driver got that range");
    KT_EXPECT_EQ(blk_flush(ram0), 0, "flush");
    KT_EXPECT_EQ(calls, 4, "the driver was asked to");

    blk_set_capacity(ram0, 8);
    KT_EXPECT_EQ(blk_capacity(ram0), 8, "the driver shrinks the disk to 8 sectors");
    KT_EXPECT_EQ(blk_read(ram0, 8, back, 2), -ERANGE, "and the checks use it at once");
    KT_EXPECT_EQ(blk_read(ram0, 6, back, 2), 0, "its last block reads");
    blk_set_capacity(ram0, RAM_SECTORS);

    KT_EXPECT(blk_get_id(ram0, id, sizeof(id)) == 0 && strcmp(id, RAM_ID) == 0,
              "the id, all of it, NUL-terminated");
    KT_EXPECT(blk_get_id(ram0, id, 5) == 0 && strcmp(id, "ram-") == 0, "cut to 4 characters");
}

/* The names are unique, and there is room for BLK_DEVICES_MAX. */
static void registry(void)
{
    static struct blk_dev spares[BLK_DEVICES_MAX];
    static const char *const names[] = { "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7" };
    _Static_assert(sizeof(names) / sizeof(names[0]) == BLK_DEVICES_MAX, "a name for each");

    describe(&spares[0], NULL, false);
    KT_EXPECT_EQ(blk_register(&spares[0]), -EINVAL, "a device without a name: -EINVAL");
    describe(&spares[0], "ram0", false);
    KT_EXPECT_EQ(blk_register(&spares[0]), -EEXIST, "a second ram0: -EEXIST");
    unsigned int free = BLK_DEVICES_MAX - blk_count(), added = 0;
    for (unsigned int i = 0; i < free; i++) {
        describe(&spares[i], names[i], false);
        added += blk_register(&spares[i]) == 0;
    }
    KT_EXPECT_EQ(added, free, "devices up to BLK_DEVICES_MAX are taken");
    describe(&spares[free], names[free], false);
    KT_EXPECT_EQ(blk_register(&spares[free]), -ENOSPC, "one more: -ENOSPC");
    KT_EXPECT_EQ(blk_count(), BLK_DEVICES_MAX, "BLK_DEVICES_MAX devices");
}

int main(void)
{
    kt_plan(45);
    blk_add_probe(ram_probe);
    KT_EXPECT_EQ(blk_count(), 2, "the probe found ram0 and ram1 when first asked");
    struct blk_dev *ram0 = blk_find("ram0"), *ram1 = blk_find("ram1");
    KT_EXPECT(ram0 == &disks[0].blk && ram1 == &disks[1].blk, "each found by its name");
    KT_EXPECT(blk_get(0) == ram0 && blk_get(1) == ram1 && blk_get(2) == NULL,
              "and by its index, in the order registered; none past the last");
    KT_EXPECT(blk_find("ram2") == NULL, "no ram2");
    KT_EXPECT_EQ(probes, 1, "the probe ran once");
    if (ram0 == NULL || ram1 == NULL) {
        return kt_done();
    }
    KT_EXPECT(blk_name(ram1) != NULL && strcmp(blk_name(ram1), "ram1") == 0, "blk_name");
    KT_EXPECT(blk_block_size(ram0) == 1024 && blk_queue_depth(ram0) == 1 &&
                  blk_capacity(ram0) == RAM_SECTORS,
              "the geometry the driver gave");
    KT_EXPECT(!blk_read_only(ram0) && blk_read_only(ram1), "ram1 is read-only");
    KT_EXPECT(blk_can_discard(ram0) && !blk_can_write_zeroes(ram0), "discard, no write-zeroes");
    refused(ram0, ram1);
    passed(ram0);
    registry();
    return kt_done();
}
