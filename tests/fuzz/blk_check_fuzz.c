/*
 * Fuzzes the checks a transfer passes before the block layer hands it to
 * a driver (blk/check.h's blk_check_transfer(), which blk_read() and
 * blk_write() make): any sector, count and buffer address, on a device of
 * any capacity and block size, doing its own DMA or not, with the driver's
 * memory anywhere. Each value is an offset from an edge (the disk's end,
 * the DMA region's ends, the driver's memory, the address space's top),
 * where an overflow would show. The answer must be the one worked out in
 * 128-bit arithmetic, where nothing wraps: an accepted transfer lies on
 * the disk, below the address space's last byte, outside the driver's
 * memory and, with DMA, inside the memory devices may reach (past the code
 * when the device writes it).
 *
 * The DMA region is the Makefile's (FUZZ_LDFLAGS): absolute addresses that
 * are compared, never touched.
 */
#include "blk/check.h"
#include "fuzz.h"

typedef unsigned __int128 u128;

/* A value near one of the edges: the edge chosen by a byte, then a signed
 * offset from it. */
static uint64_t near(struct fuzz_input *in, const uint64_t *edges, unsigned int n)
{
    uint64_t edge = edges[fuzz_take(in, 1) % n];

    return edge + fuzz_take(in, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    uintptr_t dma_start = (uintptr_t)__dma_start, dma_end = (uintptr_t)__dma_end;
    uintptr_t write_start = (uintptr_t)__dma_write_start;

    unsigned int shape = (unsigned int)fuzz_take(&in, 1);
    uint32_t sectors_per_block = 1u << (shape & 7u);    /* 512-byte to 64 KiB blocks */
    bool device_writes = (shape & 8u) != 0;
    bool dma = (shape & 16u) == 0;                       /* else programmed I/O */
    uint64_t capacity = fuzz_take(&in, 8);

    const uint64_t addresses[] = { 0, dma_start, write_start, dma_end, UINTPTR_MAX };
    uintptr_t own = (uintptr_t)near(&in, addresses, 5);
    size_t own_bytes = (size_t)fuzz_take(&in, 4);
    if (own_bytes > UINTPTR_MAX - own) {
        own_bytes = UINTPTR_MAX - own;      /* an object never wraps */
    }
    const uint64_t places[] = { 0, dma_start, write_start, dma_end, own, own + own_bytes,
                                UINTPTR_MAX };
    uintptr_t buf = (uintptr_t)near(&in, places, 7);
    const uint64_t sectors[] = { 0, capacity, UINT64_MAX };
    uint64_t sector = near(&in, sectors, 3);
    const uint64_t counts[] = { 0, capacity - sector, (dma_end - buf) / BLK_SECTOR_SIZE,
                                (own - buf) / BLK_SECTOR_SIZE, SIZE_MAX / BLK_SECTOR_SIZE };
    size_t count = (size_t)near(&in, counts, 5);

    int got = blk_check_transfer(sectors_per_block, capacity, sector, (const void *)buf, count,
                                 dma, device_writes, (const void *)own, own_bytes);

    u128 end = (u128)buf + (u128)count * BLK_SECTOR_SIZE;
    int expected = 0;
    if (count == 0 || sector % sectors_per_block != 0 || count % sectors_per_block != 0) {
        expected = -EINVAL;
    } else if ((u128)sector + count > capacity) {
        expected = -ERANGE;
    } else if ((dma && (buf < (device_writes ? write_start : dma_start) || end > dma_end)) ||
               end > (u128)UINTPTR_MAX || (buf < (u128)own + own_bytes && end > own)) {
        expected = -EFAULT;
    }
    if (got != expected) {
        fprintf(stderr, "sector %#jx count %#jx of %u-sector blocks on a disk of %#jx; "
                "buffer %#jx (%s, device %s), driver memory %#jx + %#jx: %d, expected %d\n",
                (uintmax_t)sector, (uintmax_t)count, sectors_per_block, (uintmax_t)capacity,
                (uintmax_t)buf, dma ? "DMA" : "PIO", device_writes ? "writes" : "reads", (uintmax_t)own,
                (uintmax_t)own_bytes, got, expected);
    }
    FUZZ_CHECK(got == expected);
    return 0;
}
