/*
 * The demo: disk I/O written as straight-line coroutine code.
 *
 * Four workers each own a 1 MiB slice of the disk. Each fills its slice
 * with a pattern 4 KiB at a time, flushes, then reads it all back and checks
 * every byte. Every blk_*() call blocks only the worker that made it: while
 * the device works, the main loop runs the others, so all four have
 * requests in flight at once. A monitor prints progress as they go, and
 * main() prints a summary when the main loop has nothing left to run.
 */
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/virtio/blk.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define WORKERS         4u
#define SLICE_SECTORS   2048u   /* 1 MiB a worker */
#define CHUNK_SECTORS   8u      /* 4 KiB a request */
#define MONITOR_MS      10

CO_DEFINE_ARRAY(workers, WORKERS, 4096);
CO_DEFINE(monitor, 2048);

struct progress {
    unsigned int written;   /* sectors */
    unsigned int checked;
    unsigned int bad;       /* sectors that came back wrong */
    int error;              /* the first failed call's errno, negated */
};

static struct blk_dev *disk;
static struct progress progress[WORKERS];
static unsigned int finished;
static uint8_t buffers[WORKERS][CHUNK_SECTORS * BLK_SECTOR_SIZE];

/* Every byte says which worker wrote it and where. */
static uint8_t pattern_byte(unsigned int worker, uint64_t sector, size_t offset)
{
    return (uint8_t)(worker * 61u + sector * 7u + offset);
}

static void fill(uint8_t *buf, unsigned int worker, uint64_t sector)
{
    for (size_t i = 0; i < sizeof(buffers[0]); i++) {
        buf[i] = pattern_byte(worker, sector + i / BLK_SECTOR_SIZE, i % BLK_SECTOR_SIZE);
    }
}

static unsigned int count_bad_sectors(const uint8_t *buf, unsigned int worker, uint64_t sector)
{
    unsigned int bad = 0;

    for (unsigned int s = 0; s < CHUNK_SECTORS; s++) {
        for (size_t i = 0; i < BLK_SECTOR_SIZE; i++) {
            if (buf[s * BLK_SECTOR_SIZE + i] != pattern_byte(worker, sector + s, i)) {
                bad++;
                break;
            }
        }
    }
    return bad;
}

static void worker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;
    struct progress *mine = &progress[id];
    uint8_t *buf = buffers[id];
    uint64_t first = (uint64_t)id * SLICE_SECTORS;
    int err = 0;

    for (uint64_t sector = first; sector < first + SLICE_SECTORS && !err; sector += CHUNK_SECTORS) {
        fill(buf, id, sector);
        err = blk_write(disk, sector, buf, CHUNK_SECTORS);
        mine->written += err ? 0 : CHUNK_SECTORS;
    }
    if (!err) {
        err = blk_flush(disk);
    }
    for (uint64_t sector = first; sector < first + SLICE_SECTORS && !err; sector += CHUNK_SECTORS) {
        memset(buf, 0, sizeof(buffers[0]));
        err = blk_read(disk, sector, buf, CHUNK_SECTORS);
        if (!err) {
            mine->bad += count_bad_sectors(buf, id, sector);
            mine->checked += CHUNK_SECTORS;
        }
    }
    if (err) {
        printf("worker %u: %s\n", id, strerror(-err));
        mine->error = err;
    }
    finished++;
}

static void report(void *opaque)
{
    char id[BLK_ID_BYTES + 1];

    (void)opaque;
    if (blk_get_id(disk, id, sizeof(id)) == 0) {
        printf("disk id '%s'; written/checked sectors per worker:\n", id);
    }
    while (finished < WORKERS) {
        co_sleep_ms(MONITOR_MS);
        printf("  %5lu us:", (unsigned long)(co_clock_ns() / 1000u));
        for (unsigned int i = 0; i < WORKERS; i++) {
            printf("  w%u %4u/%4u", i, progress[i].written, progress[i].checked);
        }
        printf("\n");
    }
}

int main(void)
{
    printf("coroutine kernel demo: %u workers, %u KiB each, %u KiB a request\n", WORKERS,
           SLICE_SECTORS * BLK_SECTOR_SIZE / 1024u, CHUNK_SECTORS * BLK_SECTOR_SIZE / 1024u);
    if (blk_probe() < 0) {
        return 1;
    }
    disk = blk_get(0);
    if (blk_capacity(disk) < WORKERS * SLICE_SECTORS) {
        printf("the disk is too small: %lu sectors, %u needed\n", (unsigned long)blk_capacity(disk),
               WORKERS * SLICE_SECTORS);
        return 1;
    }

    uint64_t start = co_clock_ns();
    for (unsigned int i = 0; i < WORKERS; i++) {
        co_enter(co_init_element(workers, i, worker, (void *)(uintptr_t)i));
    }
    co_enter(co_init(&monitor, report, NULL));
    co_run();
    uint64_t elapsed_us = (co_clock_ns() - start) / 1000u;

    unsigned int written = 0, checked = 0, bad = 0, failed = 0;
    for (unsigned int i = 0; i < WORKERS; i++) {
        written += progress[i].written;
        checked += progress[i].checked;
        bad += progress[i].bad;
        failed += progress[i].error != 0;
    }
    struct blk_stats stats;
    blk_get_stats(disk, &stats);
    printf("summary: %u KiB written, %u KiB read back in %lu us; %lu requests, %lu interrupts\n",
           written / 2u, checked / 2u, (unsigned long)elapsed_us, (unsigned long)stats.requests,
           (unsigned long)stats.interrupts);
    if (bad || failed) {
        printf("FAILED: %u sectors came back wrong, %u workers hit an error\n", bad, failed);
        return 1;
    }
    printf("every byte came back as written\n");
    return 0;
}
