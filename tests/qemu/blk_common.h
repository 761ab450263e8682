/*
 * Shared by the blk_* test images: the line pattern the host writes with
 * `seq` and checks with `cmp` (tests/qemu/hooks/blk_lib.sh), finding a
 * device by its serial, and the leak check.
 *
 * The pattern: every 16 bytes of the disk are one line, "<tag>%014u\n",
 * numbered by the line's absolute position (byte offset / 16), so a sector
 * read from or written to the wrong place never matches.
 */
#ifndef TESTS_QEMU_BLK_COMMON_H
#define TESTS_QEMU_BLK_COMMON_H

#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/lib/ktest.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define BLKT_LINE           16u
#define BLKT_LINES_PER_SECTOR (BLK_SECTOR_SIZE / BLKT_LINE)

static inline void blkt_line(char *line, uint64_t number, char tag)
{
    uint32_t n = (uint32_t)number;      /* our disks have fewer than 2^32 lines */

    line[0] = tag;
    for (int i = 14; i >= 1; i--) {
        line[i] = (char)('0' + n % 10);
        n /= 10;
    }
    line[15] = '\n';
}

/* Fills count sectors' worth of buf, as sectors from `sector` on. */
static inline void blkt_fill(void *buf, uint64_t sector, size_t count, char tag)
{
    char *p = buf;
    uint64_t first = sector * BLKT_LINES_PER_SECTOR;

    for (size_t i = 0; i < count * BLKT_LINES_PER_SECTOR; i++) {
        blkt_line(p + i * BLKT_LINE, first + i, tag);
    }
}

/* -1 if buf holds the pattern for those sectors, else the first byte
 * offset that differs. */
static inline long blkt_check(const void *buf, uint64_t sector, size_t count, char tag)
{
    const char *p = buf;
    uint64_t first = sector * BLKT_LINES_PER_SECTOR;
    char want[BLKT_LINE];

    for (size_t i = 0; i < count * BLKT_LINES_PER_SECTOR; i++) {
        blkt_line(want, first + i, tag);
        if (memcmp(p + i * BLKT_LINE, want, BLKT_LINE) != 0) {
            for (size_t j = 0; j < BLKT_LINE; j++) {
                if (p[i * BLKT_LINE + j] != want[j]) {
                    return (long)(i * BLKT_LINE + j);
                }
            }
        }
    }
    return -1;
}

static inline bool blkt_all_zero(const void *buf, size_t bytes)
{
    const uint8_t *p = buf;

    for (size_t i = 0; i < bytes; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

/* The device whose id string (QEMU's serial property) is `serial`. */
static inline struct blk_dev *blkt_find(const char *serial)
{
    char id[BLK_ID_BYTES + 1];

    for (unsigned int i = 0; i < blk_count(); i++) {
        struct blk_dev *dev = blk_get(i);
        if (blk_get_id(dev, id, sizeof(id)) == 0 && strcmp(id, serial) == 0) {
            return dev;
        }
    }
    return NULL;
}

/* Three checks: every descriptor free, nothing in flight, no completion
 * rejected. */
static inline void blkt_expect_idle(struct blk_dev *dev, const char *what)
{
    struct blk_stats st;

    blk_get_stats(dev, &st);
    kt_result(blk_free_descriptors(dev) == blk_queue_size(dev), what, __FILE__, __LINE__,
              "leak: %u of %u descriptors free", blk_free_descriptors(dev), blk_queue_size(dev));
    kt_result(blk_in_flight(dev) == 0, what, __FILE__, __LINE__, "%u requests still in flight",
              blk_in_flight(dev));
    kt_result(st.ring_errors == 0, what, __FILE__, __LINE__, "%lu ring errors",
              (unsigned long)st.ring_errors);
}

/* Runs `tester` (initialised with fn) to its end on `dev`, the shape of a
 * test whose device misbehaves on purpose: three checks, that co_run()
 * ends, that the tester finished and that every descriptor came back
 * with nothing in flight (blkt_expect_idle() would also refuse the ring
 * errors such a test provokes). */
static inline void blkt_run_to_end(struct blk_dev *dev, struct co *tester, co_fn fn)
{
    co_enter(co_init(tester, fn, NULL));
    KT_EXPECT_EQ(co_run(), 0, "co_run ends: nothing waits for ever");
    KT_EXPECT(co_terminated(tester), "the tester finished");
    KT_EXPECT(blk_in_flight(dev) == 0 && blk_free_descriptors(dev) == blk_queue_size(dev),
              "every descriptor back, nothing in flight");
}

static inline void blkt_print_stats(struct blk_dev *dev)
{
    struct blk_stats st;

    blk_get_stats(dev, &st);
    printf("# requests %lu, notifies %lu, interrupts %lu, polled %lu, descriptor waits %lu, suppressed %lu\n",
           (unsigned long)st.requests, (unsigned long)st.notifies, (unsigned long)st.interrupts,
           (unsigned long)st.polled, (unsigned long)st.desc_waits, (unsigned long)st.suppressed);
}

#endif
