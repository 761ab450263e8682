/*
 * Every error blk_*() returns (hooks/blk_errors.sh):
 *   -ENODEV   a NULL device (the block layer's answer where there is none);
 *   -EINVAL   a NULL buffer, zero count, a range not in whole blocks of a
 *             4 KiB-block device;
 *   -EFAULT   a buffer a device may not reach (below or past the memory
 *             the board gives devices, or running off the end of memory),
 *             a read into code, one into the driver's own memory: each
 *             exact to the byte at the ends;
 *   -ERANGE   sectors past the end, and ranges whose end overflows;
 *   -ENOTSUP  discard/write-zeroes on a device that does not offer them,
 *             and a request the device answers UNSUPP;
 *   -EIO      a read the device answers IOERR (blkdebug injects EIO).
 * The invalid calls must not reach the device: its request count stays
 * the same. Neither image is written.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_errors
 * runner: name=modern hook=blk_errors qemu='-global virtio-mmio.force-legacy=false'
 */
#include "coro/coro.h"
#include "drivers/dma.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/blk_test.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <stdint.h>

#define ERR_SECTORS     2048u
#define ERR_BAD_SECTOR  1000u           /* blkdebug fails reads touching it */
#define K4_SECTORS      8192u
#define VIRTIO_BLK_T_GET_LIFETIME 10u   /* QEMU does not implement it: UNSUPP */

CO_DEFINE(tester, 8192);

static uint8_t buf[16 * BLK_SECTOR_SIZE];
static struct blk_dev *err_disk;
static struct blk_dev *k4_disk;

static uint32_t requests(struct blk_dev *dev)
{
    struct blk_stats st;

    blk_get_stats(dev, &st);
    return st.requests;
}

static void invalid_arguments(struct blk_dev *dev)
{
    char id[BLK_ID_BYTES + 1];
    uint32_t before = requests(dev);

    KT_EXPECT_EQ(blk_read(NULL, 0, buf, 1), -ENODEV, "read from a NULL device: -ENODEV");
    KT_EXPECT_EQ(blk_read(dev, 0, NULL, 1), -EINVAL, "read into NULL");
    KT_EXPECT_EQ(blk_write(dev, 0, NULL, 1), -EINVAL, "write from NULL");
    KT_EXPECT_EQ(blk_read(dev, 0, buf, 0), -EINVAL, "read of 0 sectors");
    KT_EXPECT_EQ(blk_write(dev, 0, buf, 0), -EINVAL, "write of 0 sectors");
    KT_EXPECT_EQ(blk_get_id(dev, NULL, sizeof(id)), -EINVAL, "id into NULL");
    KT_EXPECT_EQ(blk_get_id(dev, id, 0), -EINVAL, "id into 0 bytes");
    KT_EXPECT_EQ(blk_flush(NULL), -ENODEV, "flush a NULL device: -ENODEV");
    KT_EXPECT_EQ(blk_discard(dev, 0, 0), -EINVAL, "discard 0 sectors");
    KT_EXPECT_EQ(blk_write_zeroes(dev, 0, 0), -EINVAL, "write-zeroes of 0 sectors");

    KT_EXPECT_EQ(blk_read(dev, ERR_SECTORS, buf, 1), -ERANGE, "read at the capacity");
    KT_EXPECT_EQ(blk_read(dev, ERR_SECTORS - 1, buf, 2), -ERANGE, "read across the end");
    KT_EXPECT_EQ(blk_read(dev, UINT64_MAX, buf, 1), -ERANGE, "read at sector 2^64-1");
    KT_EXPECT_EQ(blk_read(dev, UINT64_MAX - 1, buf, 4), -ERANGE, "read whose end overflows");
    KT_EXPECT_EQ(blk_write(dev, ERR_SECTORS, buf, 1), -ERANGE, "write at the capacity");
    KT_EXPECT_EQ(blk_write(dev, 1, buf, SIZE_MAX), -ERANGE, "write of SIZE_MAX sectors");
    KT_EXPECT_EQ(blk_discard(dev, ERR_SECTORS - 8, 16), -ERANGE, "discard across the end");
    KT_EXPECT_EQ(blk_write_zeroes(dev, UINT64_MAX - 7, 16), -ERANGE, "write-zeroes that overflows");

    KT_EXPECT_EQ(requests(dev), before, "none of these reached the device");
    KT_EXPECT_EQ(blk_read(dev, ERR_SECTORS - 1, buf, 1), 0, "the last sector is in range");
    KT_EXPECT_EQ(blkt_check(buf, ERR_SECTORS - 1, 1, 'p'), -1, "and holds the pattern");
}

/* Buffers no device may be given: refused before anything reaches the
 * device, and the memory they name left as it was. */
static void dma_faults(struct blk_dev *dev)
{
    uint32_t before = requests(dev);
    const volatile uint8_t *code = (const volatile uint8_t *)(uintptr_t)invalid_arguments;
    const uint8_t code_bytes[4] = { code[0], code[1], code[2], code[3] };
    uintptr_t low = (uintptr_t)__dma_start, high = (uintptr_t)__dma_end;

    KT_EXPECT_EQ(blk_read(dev, 0, (void *)(UINTPTR_MAX - 511), 2), -EFAULT,
                 "a buffer that runs off the end of memory: -EFAULT");
    KT_EXPECT_EQ(blk_write(dev, 0, (void *)UINTPTR_MAX, 1), -EFAULT, "one that starts at its last byte");
    KT_EXPECT_EQ(blk_read(dev, 0, (void *)(low - BLK_SECTOR_SIZE), 1), -EFAULT,
                 "one just below the memory devices reach (flash, registers)");
    KT_EXPECT_EQ(blk_read(dev, 0, (void *)(low - 1), 1), -EFAULT, "one that starts a byte below it");
    KT_EXPECT_EQ(blk_read(dev, 0, (void *)(high - BLK_SECTOR_SIZE + 1), 1), -EFAULT,
                 "one that ends a byte past it");
    KT_EXPECT_EQ(blk_read(dev, 0, (void *)(uintptr_t)code, 1), -EFAULT, "a read into code");
    KT_EXPECT_EQ(blk_read(dev, 0, (void *)dev, 1), -EFAULT, "a read into the driver's own memory");
    KT_EXPECT_EQ(blk_write(dev, 0, (const uint8_t *)dev - BLK_SECTOR_SIZE + 1, 1), -EFAULT,
                 "a write whose last byte is the driver's");
    KT_EXPECT(requests(dev) == before && code[0] == code_bytes[0] && code[1] == code_bytes[1] &&
                  code[2] == code_bytes[2] && code[3] == code_bytes[3],
              "none of these reached the device, and the code is as it was");
    KT_EXPECT_EQ(blk_read(dev, 0, (void *)(high - BLK_SECTOR_SIZE), 1), 0,
                 "a buffer that ends exactly where device memory does is taken");
    KT_EXPECT_EQ(blkt_check((void *)(high - BLK_SECTOR_SIZE), 0, 1, 'p'), -1, "and read into");
}

static void device_errors(struct blk_dev *dev)
{
    KT_EXPECT_EQ(blk_read(dev, ERR_BAD_SECTOR, buf, 1), -EIO, "IOERR from the device: -EIO");
    KT_EXPECT_EQ(blk_read(dev, ERR_BAD_SECTOR - 4, buf, 8), -EIO, "a read across it: -EIO");
    KT_EXPECT_EQ(blk_read(dev, ERR_BAD_SECTOR - 1, buf, 1), 0, "the sector before reads");
    KT_EXPECT_EQ(blkt_check(buf, ERR_BAD_SECTOR - 1, 1, 'p'), -1, "and holds the pattern");
    KT_EXPECT_EQ(blk_test_send_raw(dev, VIRTIO_BLK_T_GET_LIFETIME, 0), -ENOTSUP,
                 "UNSUPP from the device: -ENOTSUP");
    KT_EXPECT_EQ(blk_read(dev, 0, buf, 16), 0, "the device still works");
    KT_EXPECT_EQ(blkt_check(buf, 0, 16, 'p'), -1, "and reads right");
}

static void four_k_blocks(struct blk_dev *dev)
{
    uint32_t before = requests(dev);

    KT_EXPECT_EQ(blk_block_size(dev), 4096, "block size 4096");
    KT_EXPECT_EQ(blk_read(dev, 1, buf, 8), -EINVAL, "read from inside a block");
    KT_EXPECT_EQ(blk_read(dev, 0, buf, 1), -EINVAL, "read of part of a block");
    KT_EXPECT_EQ(blk_read(dev, 8, buf, 12), -EINVAL, "read of a block and a half");
    KT_EXPECT_EQ(blk_write(dev, 4, buf, 8), -EINVAL, "write across blocks");
    KT_EXPECT_EQ(blk_read(dev, K4_SECTORS, buf, 8), -ERANGE, "read at the capacity");
    KT_EXPECT_EQ(blk_discard(dev, 0, 8), -ENOTSUP, "discard, not offered: -ENOTSUP");
    KT_EXPECT_EQ(blk_write_zeroes(dev, 0, 8), -ENOTSUP, "write-zeroes, not offered: -ENOTSUP");
    KT_EXPECT_EQ(requests(dev), before, "none of these reached the device");

    KT_EXPECT_EQ(blk_read(dev, 8, buf, 16), 0, "read two whole blocks");
    KT_EXPECT_EQ(blkt_check(buf, 8, 16, 'p'), -1, "they hold the pattern");
    KT_EXPECT_EQ(blk_read(dev, K4_SECTORS - 8, buf, 8), 0, "read the last block");
    KT_EXPECT_EQ(blkt_check(buf, K4_SECTORS - 8, 8, 'p'), -1, "it holds the pattern");
}

static void run(void *opaque)
{
    (void)opaque;
    err_disk = blkt_find("blk-err");
    k4_disk = blkt_find("blk-4k");
    if (!KT_EXPECT(err_disk != NULL && k4_disk != NULL, "both disks found by serial")) {
        return;
    }
    invalid_arguments(err_disk);
    dma_faults(err_disk);
    device_errors(err_disk);
    four_k_blocks(k4_disk);
}

int main(void)
{
    kt_plan(61);
    KT_EXPECT_EQ(blk_probe(), 2, "probe finds two disks");
    co_enter(co_init(&tester, run, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run");
    if (err_disk != NULL && k4_disk != NULL) {
        blkt_expect_idle(err_disk, "blk-err idle, nothing leaked");
        blkt_expect_idle(k4_disk, "blk-4k idle, nothing leaked");
    }
    return kt_done();
}
