/*
 * A device that misbehaves, played by the test (blk_test.h): muted, it
 * hears of no request, and the test answers for it.
 * - It never answers: the request fails with -ETIMEDOUT after the
 *   timeout, as does every other request it held, the device is reset and
 *   set up again, and the next request works.
 * - It answers, but its interrupt is lost: polling finds the answer; with
 *   polling off, it is found at the reset, and stands.
 * - It answers after the poll time: the interrupt ends the wait.
 * - It answers without writing the status byte: -EIO, not the 0 (OK) a
 *   status byte left from an earlier request would say.
 * - It says it wrote more than the request's buffers hold: -EIO.
 * - It completes a request twice: the first answer stands, the second
 *   (of a chain completed or, with another CPU running the caller,
 *   already freed) breaks the ring and the device is stopped; later requests fail with
 *   -EIO.
 * Through all of it co_run() ends, and no descriptor is lost.
 *
 * tags: smp
 * requires: virtio
 * runner: name=legacy hook=blk_plain expect='virtio-blk0: a request had no answer in 200 ms: the device is reset'
 * runner: name=modern hook=blk_plain qemu='-global virtio-mmio.force-legacy=false' expect='request status 255 is not one the spec defines'
 * runner: name=plain-ring hook=blk_plain qemu='-global virtio-blk-device.event_idx=off -global virtio-blk-device.indirect_desc=off' expect='used id [0-9]+ is not an outstanding head'
 */
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/blk_test.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <string.h>

#define TIMEOUT_NS      (200u * 1000000u)
#define READERS         3u
#define READ_BYTES      (8u * BLK_SECTOR_SIZE)
#define WRITABLE        (READ_BYTES + 1u)      /* the data and the status byte */

CO_DEFINE(tester, 8192);
CO_DEFINE_ARRAY(readers, READERS, 2048);

static struct blk_dev *disk;
static uint8_t bufs[READERS][READ_BYTES];
static int results[READERS];

static void reader(void *opaque)
{
    unsigned int i = (unsigned int)(uintptr_t)opaque;

    results[i] = blk_read(disk, 8u * i, bufs[i], 8);
}

/* Starts n readers: each is in the ring when this returns. */
static void start_readers(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        results[i] = 1;
        co_enter(co_init_element(readers, i, reader, (void *)(uintptr_t)i));
    }
}

/* Lets the readers run to their end. */
static bool readers_done(unsigned int n)
{
    for (unsigned int tries = 0; tries < 1000; tries++) {
        bool done = true;
        for (unsigned int i = 0; i < n; i++) {
            done &= co_terminated(&readers[i]);
        }
        if (done) {
            return true;
        }
        co_sleep_ms(1);
    }
    return false;
}

static void never_answers(void)
{
    struct blk_stats st;

    KT_EXPECT_EQ(blk_set_timeout(disk, 0), -EINVAL, "a timeout of 0: -EINVAL");
    KT_EXPECT_EQ(blk_set_timeout(disk, TIMEOUT_NS), 0, "a timeout of 200 ms");
    blk_test_mute(disk);
    uint64_t start = co_clock_ns();
    start_readers(READERS);
    bool done = readers_done(READERS);
    uint64_t took = co_clock_ns() - start;
    KT_EXPECT(done && results[0] == -ETIMEDOUT && results[1] == -ETIMEDOUT &&
                  results[2] == -ETIMEDOUT,
              "a device that never answers: every request it held fails with -ETIMEDOUT");
    /* Not before the timeout; how long after it depends on how busy the
     * host is (the guest's clock is the host's here), so what bounds it
     * is a count: one reset for all three requests. */
    kt_result(took >= TIMEOUT_NS, "not before the timeout", __FILE__, __LINE__, "after %lu ms",
              (unsigned long)(took / 1000000u));
    blk_get_stats(disk, &st);
    KT_EXPECT_EQ(st.timeouts, 1u, "one reset");
    blkt_expect_idle(disk, "every descriptor back after the timeout");

    KT_EXPECT_EQ(blk_read(disk, 64, bufs[0], 8), 0, "reset and set up again: the next read works");
    KT_EXPECT_EQ(blkt_check(bufs[0], 64, 8, 'p'), -1, "and reads the disk");
}

/* The device answers, but its interrupt never comes. Polling, once asked
 * for, finds the answer while the CPU has nothing else to do; without
 * polling the reset finds it on the used ring, and it stands. */
static void interrupt_lost(void)
{
    struct blk_stats before, st;

    blk_get_stats(disk, &before);
    KT_EXPECT_EQ(before.polled, 0, "polling is off until it is asked for");
    KT_EXPECT_EQ(blk_set_poll(NULL, 0), -EINVAL, "polling a NULL device: -EINVAL");
    KT_EXPECT_EQ(blk_set_poll(disk, 1000u * 1000000u), 0, "poll for up to 1 s");
    irq_disable(blk_interrupt(disk));
    start_readers(1);
    bool done = readers_done(1);
    blk_get_stats(disk, &st);
    KT_EXPECT(done && results[0] == 0, "an answer whose interrupt was lost: the read works");
    KT_EXPECT_EQ(st.polled, before.polled + 1, "found by polling");
    KT_EXPECT_EQ(st.timeouts, before.timeouts, "no reset");
    KT_EXPECT_EQ(blkt_check(bufs[0], 0, 8, 'p'), -1, "with the data the device read");

    KT_EXPECT_EQ(blk_set_poll(disk, 0), 0, "polling off");
    memset(bufs[0], 0, sizeof bufs[0]);
    start_readers(1);
    done = readers_done(1);
    irq_enable(blk_interrupt(disk));
    blk_get_stats(disk, &st);
    KT_EXPECT(done, "without polling: the reader ends");
    KT_EXPECT_EQ(results[0], 0, "found at the reset, the answer stands");
    KT_EXPECT_EQ(st.timeouts, before.timeouts + 1, "one reset");
    KT_EXPECT_EQ(st.polled, before.polled + 1, "nothing more found by polling");
    KT_EXPECT_EQ(blkt_check(bufs[0], 0, 8, 'p'), -1, "with the data the device read");
    KT_EXPECT_EQ(blk_read(disk, 64, bufs[0], 8), 0, "and the next read works");
}

/* A poll time shorter than the device takes: the poll gives up, and the
 * interrupt, asked for again, ends the wait. */
static void poll_gives_up(void)
{
    struct blk_stats before, st;
    bool all_read = true;

    blk_get_stats(disk, &before);
    blk_set_poll(disk, 1);
    for (unsigned int i = 0; i < 100; i++) {
        memset(bufs[0], 0, sizeof bufs[0]);
        all_read &= blk_read(disk, 8u * i, bufs[0], 8) == 0 && blkt_check(bufs[0], 8u * i, 8, 'p') == -1;
    }
    blk_set_poll(disk, 0);
    blk_get_stats(disk, &st);
    KT_EXPECT(all_read && st.timeouts == before.timeouts,
              "a poll time of 1 ns: 100 reads, each ended by polling or by its interrupt, none timed out");
}

/* One muted request, answered by the test; its result. */
static int answered(uint32_t len, int status, bool twice)
{
    blk_test_mute(disk);
    start_readers(1);
    blk_test_answer(disk, len, status);
    if (twice) {
        blk_test_answer(disk, len, status);
    }
    return readers_done(1) ? results[0] : 1;
}

static void answers_badly(void)
{
    KT_EXPECT_EQ(answered(WRITABLE, 0, false), 0, "the test plays the device: a good answer is 0");
    KT_EXPECT_EQ(answered(WRITABLE, -1, false), -EIO,
                 "an answer without a status byte: -EIO, not the last request's 0");
    KT_EXPECT_EQ(answered(WRITABLE + 1, 0, false), -EIO, "a length past the buffers: -EIO");
    KT_EXPECT(blk_free_descriptors(disk) == blk_queue_size(disk) && blk_in_flight(disk) == 0,
              "nothing lost, the ring still whole");
    KT_EXPECT_EQ(answered(WRITABLE, 0, true), 0, "a request completed twice: the first answer stands");
    KT_EXPECT_EQ(blk_read(disk, 0, bufs[0], 8), -EIO, "the ring is broken: the next request fails");
}

static void run(void *opaque)
{
    (void)opaque;
    KT_EXPECT_EQ(blk_read(disk, 0, bufs[0], 8), 0, "a read from a device that behaves");
    never_answers();
    interrupt_lost();
    poll_gives_up();
    answers_badly();
}

int main(void)
{
    kt_plan(36);
    KT_EXPECT_EQ(blk_probe(), 1, "probe finds the disk");
    disk = blk_get(0);
    if (disk == NULL) {
        return kt_done();
    }
    blkt_run_to_end(disk, &tester, run);
    return kt_done();
}
