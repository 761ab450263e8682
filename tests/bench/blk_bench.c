/*
 * virtio-blk costs, under -icount (tests/bench/blk_bench.sh makes the disk
 * and boots this image once per transport; -append names the transport):
 *   - guest instructions per 4 KiB read and write at queue depth 1, the
 *     whole path: checks, ring, notify, interrupt, scheduler, wakeup;
 *   - requests per notification: the deferred kick batching submissions;
 *   - the IOPS of 64 coroutines against one, measured in the same run
 *     (the median of 5 alternating rounds: under -icount, time spent
 *     waiting for the host is real time, and noisy).
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/virtio/blk.h"
#include "tests/bench/lib/pmu.h"

#include <stdio.h>
#include <string.h>

#define REQUESTS        2048u   /* per measurement */
#define WORKERS         64u
#define IO_SECTORS      8u      /* 4 KiB */
#define SPAN_SECTORS    65536u  /* the first 32 MiB of the disk */
#define ROUNDS          5u

CO_DEFINE(single, 4096);
CO_DEFINE_ARRAY(workers, WORKERS, 2048);

static uint8_t buffers[WORKERS][IO_SECTORS * BLK_SECTOR_SIZE];
static struct blk_dev *disk;
static const char *transport;
static int failures;
static unsigned int per_worker;

struct phase {
    bool write;
    unsigned int per_coroutine;
    uint32_t instructions;
};

static uint32_t next_sector(uint32_t *state)
{
    /* xorshift: scattered but repeatable, block-aligned. */
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x % (SPAN_SECTORS / IO_SECTORS) * IO_SECTORS;
}

static void depth_one(void *opaque)
{
    struct phase *phase = opaque;
    uint32_t seed = 12345;
    uint32_t start = pmu_instructions();

    for (unsigned int i = 0; i < phase->per_coroutine; i++) {
        uint32_t sector = next_sector(&seed);
        int err = phase->write ? blk_write(disk, sector, buffers[0], IO_SECTORS)
                               : blk_read(disk, sector, buffers[0], IO_SECTORS);
        failures += err != 0;
    }
    phase->instructions = pmu_instructions() - start;
}

static void worker(void *opaque)
{
    unsigned int k = (unsigned int)(uintptr_t)opaque;
    uint32_t seed = 0x9e3779b9u * (k + 1);

    for (unsigned int i = 0; i < per_worker; i++) {
        failures += blk_read(disk, next_sector(&seed), buffers[k], IO_SECTORS) != 0;
    }
}

/* Time for `requests` reads by `coroutines` coroutines. */
static uint64_t timed_reads(unsigned int coroutines, unsigned int requests)
{
    uint64_t t0 = co_clock_ns();

    per_worker = requests / coroutines;
    for (unsigned int k = 0; k < coroutines; k++) {
        co_enter(co_init_element(workers, k, worker, (void *)(uintptr_t)k));
    }
    co_run();
    return co_clock_ns() - t0;
}

static uint32_t median(uint32_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++) {
        for (unsigned int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint32_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
    return v[n / 2];
}

static void report(const char *what, const char *key, unsigned long value)
{
    printf("%-56s %8lu\n", what, value);
    printf("BENCH blk_%s_%s %lu\n", transport, key, value);
}

int main(void)
{
    transport = strstr(kernel_cmdline(), "modern") != NULL ? "modern" : "legacy";
    if (blk_probe() < 1) {
        return 1;
    }
    disk = blk_get(0);
    pmu_start();

    struct phase reads = { false, REQUESTS, 0 };
    struct phase writes = { true, REQUESTS, 0 };
    co_enter(co_init(&single, depth_one, &reads));
    co_run();
    co_enter(co_init(&single, depth_one, &writes));
    co_run();

    /* Wall-clock under -icount follows the host: alternate the two depths
     * and keep the median ratio. */
    struct blk_stats before, after;
    uint32_t ratios[ROUNDS];
    uint32_t requests = 0, notifies = 0, qd64_instructions = 0;
    for (unsigned int r = 0; r < ROUNDS; r++) {
        uint64_t qd1 = timed_reads(1, REQUESTS / 4);
        blk_get_stats(disk, &before);
        uint32_t start = pmu_instructions();
        uint64_t qd64 = timed_reads(WORKERS, REQUESTS / 4);
        qd64_instructions += pmu_instructions() - start;
        blk_get_stats(disk, &after);
        requests += after.requests - before.requests;
        notifies += after.notifies - before.notifies;
        ratios[r] = qd64 != 0 ? (uint32_t)(qd1 * 100u / qd64) : 0;
    }

    if (failures != 0 || blk_free_descriptors(disk) != blk_queue_size(disk)) {
        printf("blk_bench: %d requests failed, %u of %u descriptors free\n", failures,
               blk_free_descriptors(disk), blk_queue_size(disk));
        return 1;
    }
    printf("virtio-blk, %s transport, requests of 4 KiB:\n", transport);
    report("read, queue depth 1: instructions a request", "read4k_qd1_instructions",
           reads.instructions / REQUESTS);
    report("write, queue depth 1: instructions a request", "write4k_qd1_instructions",
           writes.instructions / REQUESTS);
    report("read, 64 coroutines: instructions a request", "read4k_qd64_instructions",
           qd64_instructions / requests);
    report("read, 64 coroutines: requests a notification (x100)",
           "qd64_requests_per_notify_x100",
           notifies != 0 ? (unsigned long)requests * 100u / notifies : 0ul);
    report("read, 64 coroutines: IOPS against depth 1, median (x100)", "qd64_iops_ratio_x100",
           median(ratios, ROUNDS));
    return 0;
}
