/*
 * virtio-blk benchmarks. tests/bench/blk_bench.sh makes the disks and boots
 * this image; -append says which part runs:
 *
 *   legacy | modern  under -icount, once per virtio-mmio transport:
 *       - guest instructions per 4 KiB read and write at queue depth 1, the
 *         whole path: checks, ring, notify, interrupt, scheduler, wakeup
 *         (read with the PMU, exact under -icount), for the requests whose
 *         caller blocked for the interrupt and apart for those whose
 *         interrupt came first, with polling off, the driver's default
 *         (the instructions a poll spins would count the host's time, not
 *         the path's);
 *       - instructions per read and requests per notification with 64
 *         coroutines reading at once (the kicker batching doorbells), in
 *         5 rounds of 512 reads.
 *   iops [ms=N] [poll=U]  without -icount, in real time, N ms each
 *       (default 1500), with the driver's poll time U us (blk_set_poll();
 *       default BLK_POLL_QEMU_NS; poll=0: interrupts only), on two disks
 *       the host names by serial:
 *       - random 4 KiB reads of "pattern" (8 sectors at aligned offsets
 *         anywhere on it) by 1, 8, 32 and 128 coroutines, each read
 *         checked against what the host wrote there;
 *       - random 4 KiB writes of "scratch" at the same depths;
 *       - 1 MiB writes one after another through "scratch", one coroutine.
 *       One line a run, "IOPS <read|write|write1m> qd=D ops=R requests=Q
 *       us=T iops=I min=A max=B", for the host script to set beside
 *       qemu-img bench on the same files, with the requests the device
 *       got and the fewest and most operations one coroutine did. The run
 *       fails if a read did not hold its block's pattern, or a coroutine
 *       did none, or more than twice the mean: nobody starves.
 *
 * requires: virtio pmu
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/virtio/blk.h"
#include "tests/bench/lib/pmu.h"
#include "tests/qemu/lib/test_random.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQUESTS        2048u   /* per instruction-count measurement at depth 1 */
#define QD64_WORKERS    64u
#define QD64_ROUNDS     5u      /* of REQUESTS / 4 reads each */
#define MAX_WORKERS     128u    /* the deepest IOPS run */
#define IO_SECTORS      8u      /* 4 KiB */
#define IO_WORDS        (IO_SECTORS * BLK_SECTOR_SIZE / 4u)
#define LARGE_SECTORS   2048u   /* 1 MiB: the driver's largest request */
#define ICOUNT_SPAN     (65536u / IO_SECTORS)   /* blocks: the first 32 MiB */
#define IOPS_MS_DEFAULT 1500u
#define WARMUP_MS       200u

CO_DEFINE(single, 4096);
CO_DEFINE_ARRAY(workers, MAX_WORKERS, 2048);

static uint32_t buffers[MAX_WORKERS][IO_WORDS];
static uint8_t large[LARGE_SECTORS * BLK_SECTOR_SIZE];  /* zeroes, as qemu-img bench -w writes */
static struct blk_dev *disk;        /* under -icount the only one; in real time "pattern" */
static struct blk_dev *scratch;     /* in real time: the disk written */
static int failures;
static uint32_t span_blocks;        /* offsets are picked among these 4 KiB blocks */
static unsigned int per_worker;     /* counted runs: reads each */
static uint64_t deadline_ns;        /* timed runs: no request starts after this */
static uint32_t completed;
static uint32_t done_by[MAX_WORKERS];   /* timed runs: each coroutine's operations */

/* A request at depth 1 takes one of two paths: its caller blocks and is
 * resumed by the interrupt, or the interrupt comes first and the wait
 * ends at once (no switch). Which one depends on the host's timing, not
 * the guest's, so each path is counted apart. Its figure is the median
 * request's: now and then an interrupt lands while the caller is on its
 * way to block, and the few such requests move a mean, not a median. */
enum path { PATH_DIRECT, PATH_BLOCKED, PATHS };

struct phase {
    bool write;
    uint32_t requests[PATHS];       /* that took each path */
    uint32_t median[PATHS];         /* instructions a request on it */
};

static uint32_t samples[PATHS][REQUESTS];  /* one phase's instructions a request */

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static uint32_t next_sector(uint32_t *state)
{
    /* Scattered but repeatable, block-aligned. */
    return test_random_xorshift(state) % span_blocks * IO_SECTORS;
}

static void depth_one(void *opaque)
{
    struct phase *phase = opaque;
    uint32_t seed = 12345;

    for (unsigned int i = 0; i < REQUESTS; i++) {
        uint32_t resumed = co_switch_count(co_self());
        uint32_t start = pmu_instructions();
        uint32_t sector = next_sector(&seed);
        int err = phase->write ? blk_write(disk, sector, buffers[0], IO_SECTORS)
                               : blk_read(disk, sector, buffers[0], IO_SECTORS);
        uint32_t instructions = pmu_instructions() - start;
        /* A resume: the request found its interrupt not yet taken. */
        enum path path = co_switch_count(co_self()) != resumed ? PATH_BLOCKED : PATH_DIRECT;
        samples[path][phase->requests[path]++] = instructions;
        failures += err != 0;
    }
    for (enum path path = 0; path < PATHS; path++) {
        uint32_t n = phase->requests[path];
        qsort(samples[path], n, sizeof(samples[path][0]), compare_u32);
        phase->median[path] = n != 0 ? samples[path][n / 2] : 0;
    }
}

static void counted_worker(void *opaque)
{
    unsigned int k = (unsigned int)(uintptr_t)opaque;
    uint32_t seed = 0x9e3779b9u * (k + 1);

    for (unsigned int i = 0; i < per_worker; i++) {
        failures += blk_read(disk, next_sector(&seed), buffers[k], IO_SECTORS) != 0;
    }
}

/* What the timed coroutines do. */
enum op { OP_READ, OP_WRITE, OP_WRITE_1M, OPS };
static enum op timed_op;

/* The host wrote "pattern" with every 4 KiB block full of its own number,
 * in 32-bit little-endian words. A read is checked by its first and last
 * word: that finds a read of another block, one that put the data at
 * another place in the buffer or one that did not fill it (the buffer
 * holds the block read before), for two loads; comparing all 4 KiB would
 * cost the guest more time than the rest of its read and change what is
 * measured. */
static uint32_t mismatches;
static uint32_t mismatch_block, mismatch_first, mismatch_last;     /* the first one */

static void check_block(uint32_t sector, const uint32_t *words)
{
    uint32_t block = sector / IO_SECTORS;

    if (words[0] != block || words[IO_WORDS - 1] != block) {
        if (mismatches++ == 0) {
            mismatch_block = block;
            mismatch_first = words[0];
            mismatch_last = words[IO_WORDS - 1];
        }
    }
}

static void timed_worker(void *opaque)
{
    unsigned int k = (unsigned int)(uintptr_t)opaque;
    uint32_t seed = 0x9e3779b9u * (k + 1) ^ (uint32_t)co_clock_ns();

    seed = seed != 0 ? seed : 1;    /* xorshift never leaves 0 */
    while (co_clock_ns() < deadline_ns) {
        uint32_t sector = next_sector(&seed);
        if (timed_op == OP_READ) {
            int err = blk_read(disk, sector, buffers[k], IO_SECTORS);
            failures += err != 0;
            if (err == 0) {
                check_block(sector, buffers[k]);
            }
        } else {
            failures += blk_write(scratch, sector, buffers[k], IO_SECTORS) != 0;
        }
        completed++;
        done_by[k]++;
    }
}

/* From the start of "scratch" to its end and round again, as qemu-img
 * bench -w writes when its step is the request size. */
static void sequential_writer(void *opaque)
{
    uint64_t end = blk_capacity(scratch) / LARGE_SECTORS * LARGE_SECTORS;
    uint64_t sector = 0;

    (void)opaque;
    while (co_clock_ns() < deadline_ns) {
        failures += blk_write(scratch, sector, large, LARGE_SECTORS) != 0;
        sector = sector + LARGE_SECTORS < end ? sector + LARGE_SECTORS : 0;
        completed++;
        done_by[0]++;
    }
}

/* Starts `coroutines` workers and runs them to the end. */
static void run_workers(unsigned int coroutines, co_fn fn)
{
    for (unsigned int k = 0; k < coroutines; k++) {
        co_enter(co_init_element(workers, k, fn, (void *)(uintptr_t)k));
    }
    co_run();
}

static bool idle_and_clean(const struct blk_dev *dev)
{
    if (failures != 0 || blk_free_descriptors(dev) != blk_queue_size(dev)) {
        printf("blk_bench: %d requests failed, %u of %u descriptors free\n", failures,
               blk_free_descriptors(dev), blk_queue_size(dev));
        return false;
    }
    return true;
}

static void report(const char *transport, const char *what, const char *key, unsigned long value)
{
    printf("%-56s %8lu\n", what, value);
    printf("BENCH blk_%s_%s %lu\n", transport, key, value);
}

/* A depth-1 phase's figures: each path's median instructions, under
 * blk_<transport>_<key>_qd1_instructions (caller blocked: the whole path,
 * interrupt, scheduler and resume included) and ..._qd1_direct_instructions
 * (interrupt first); a path no request took has no figure. */
static void report_depth_one(const char *transport, const char *what, const char *key,
                             const struct phase *phase)
{
    static const char *const path_names[PATHS] = {
        [PATH_DIRECT] = "IRQ came first", [PATH_BLOCKED] = "caller blocked"
    };
    static const char *const path_keys[PATHS] = {
        [PATH_DIRECT] = "direct_instructions", [PATH_BLOCKED] = "instructions"
    };
    char line[80], name[48];

    for (enum path path = 0; path < PATHS; path++) {
        snprintf(line, sizeof(line), "%s, queue depth 1, %s: instructions", what,
                 path_names[path]);
        if (phase->requests[path] == 0) {
            printf("%-56s %8s\n", line, "(none)");
            continue;
        }
        snprintf(name, sizeof(name), "%s_qd1_%s", key, path_keys[path]);
        report(transport, line, name, phase->median[path]);
    }
    snprintf(line, sizeof(line), "%s, queue depth 1: requests whose caller blocked", what);
    printf("%-56s %8lu of %u\n", line, (unsigned long)phase->requests[PATH_BLOCKED], REQUESTS);
}

static int instruction_counts(const char *transport)
{
    span_blocks = ICOUNT_SPAN;
    pmu_start();

    struct phase reads = { .write = false };
    struct phase writes = { .write = true };
    co_enter(co_init(&single, depth_one, &reads));
    co_run();
    co_enter(co_init(&single, depth_one, &writes));
    co_run();

    struct blk_stats before, after;
    blk_get_stats(disk, &before);
    uint32_t start = pmu_instructions();
    per_worker = REQUESTS / 4 / QD64_WORKERS;
    for (unsigned int r = 0; r < QD64_ROUNDS; r++) {
        run_workers(QD64_WORKERS, counted_worker);
    }
    uint32_t qd64_instructions = pmu_instructions() - start;
    blk_get_stats(disk, &after);
    uint32_t requests = after.requests - before.requests;
    uint32_t notifies = after.notifies - before.notifies;

    if (!idle_and_clean(disk)) {
        return 1;
    }
    printf("virtio-blk, %s transport, requests of 4 KiB:\n", transport);
    report_depth_one(transport, "read", "read4k", &reads);
    report_depth_one(transport, "write", "write4k", &writes);
    report(transport, "read, 64 coroutines: instructions a request", "read4k_qd64_instructions",
           qd64_instructions / requests);
    report(transport, "read, 64 coroutines: requests a notification (x100)",
           "qd64_requests_per_notify_x100",
           notifies != 0 ? (unsigned long)requests * 100u / notifies : 0ul);
    /* The headline figure, on QEMU's default (legacy) transport: the
     * blocked path, the one every request can take. */
    if (strcmp(transport, "legacy") == 0 && reads.requests[PATH_BLOCKED] != 0) {
        printf("BENCH read4k_qd1_instructions %lu\n", (unsigned long)reads.median[PATH_BLOCKED]);
    }
    return 0;
}

/* `op` by `depth` coroutines for ms milliseconds: how many, the requests
 * the device got and how long it took. */
static void timed_run(enum op op, unsigned int depth, unsigned int ms, uint32_t *ops,
                      uint32_t *requests, uint64_t *ns)
{
    struct blk_stats before, after;

    timed_op = op;
    completed = 0;
    memset(done_by, 0, sizeof(done_by));
    blk_get_stats(op == OP_READ ? disk : scratch, &before);
    uint64_t t0 = co_clock_ns();
    deadline_ns = t0 + (uint64_t)ms * 1000000u;
    run_workers(depth, op == OP_WRITE_1M ? sequential_writer : timed_worker);
    *ns = co_clock_ns() - t0;
    blk_get_stats(op == OP_READ ? disk : scratch, &after);
    *ops = completed;
    *requests = after.requests - before.requests;
}

/* One timed run and its line; false if a coroutine starved or hogged. */
static bool measure(enum op op, unsigned int depth, unsigned int ms)
{
    static const char *const names[OPS] = {
        [OP_READ] = "read", [OP_WRITE] = "write", [OP_WRITE_1M] = "write1m"
    };
    uint32_t ops, requests;
    uint64_t ns;

    timed_run(op, depth, ms, &ops, &requests, &ns);
    uint32_t fewest = UINT32_MAX, most = 0;
    for (unsigned int k = 0; k < depth; k++) {
        fewest = done_by[k] < fewest ? done_by[k] : fewest;
        most = done_by[k] > most ? done_by[k] : most;
    }
    printf("IOPS %s qd=%u ops=%lu requests=%lu us=%lu iops=%lu min=%lu max=%lu\n", names[op], depth,
           (unsigned long)ops, (unsigned long)requests, (unsigned long)(ns / 1000u),
           (unsigned long)((uint64_t)ops * 1000000000u / ns), (unsigned long)fewest, (unsigned long)most);
    /* most > 2 * mean, with the mean ops / depth */
    if (fewest == 0 || (uint64_t)most * depth > 2u * (uint64_t)ops) {
        printf("blk_bench: %s at depth %u: one coroutine did %lu and one %lu, of a mean of %lu: "
               "not fair\n",
               names[op], depth, (unsigned long)fewest, (unsigned long)most, (unsigned long)(ops / depth));
        return false;
    }
    return true;
}

/* The disk the host gave this serial, or NULL with a message. */
static struct blk_dev *find_disk(const char *serial)
{
    char id[BLK_ID_BYTES + 1];

    for (unsigned int i = 0; i < blk_count(); i++) {
        struct blk_dev *dev = blk_get(i);
        if (blk_get_id(dev, id, sizeof(id)) == 0 && strcmp(id, serial) == 0) {
            return dev;
        }
    }
    printf("blk_bench: no disk with serial %s\n", serial);
    return NULL;
}

/* "name=N" in args: N, or absent. */
static unsigned int number_arg(const char *args, const char *name, unsigned int absent)
{
    const char *arg = strstr(args, name);

    return arg != NULL ? (unsigned int)atoi(arg + strlen(name)) : absent;
}

static int iops(const char *args)
{
    static const unsigned int depths[] = { 1, 8, 32, 128 };
    unsigned int ms = number_arg(args, "ms=", IOPS_MS_DEFAULT);
    uint64_t poll_ns = (uint64_t)number_arg(args, "poll=", BLK_POLL_QEMU_NS / 1000u) * 1000u;
    uint32_t ops, requests;
    uint64_t ns;

    disk = find_disk("pattern");
    scratch = find_disk("scratch");
    if (disk == NULL || scratch == NULL) {
        return 1;
    }
    blk_set_poll(disk, poll_ns);
    blk_set_poll(scratch, poll_ns);
    uint64_t sectors = blk_capacity(disk) < blk_capacity(scratch) ? blk_capacity(disk) : blk_capacity(scratch);
    span_blocks = (uint32_t)(sectors / IO_SECTORS);
    /* Code translated, caches and the host's page cache warm. */
    timed_run(OP_READ, 8, WARMUP_MS, &ops, &requests, &ns);
    timed_run(OP_WRITE, 8, WARMUP_MS, &ops, &requests, &ns);
    bool fair = true;
    for (enum op op = OP_READ; op <= OP_WRITE; op++) {
        for (unsigned int i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
            fair &= measure(op, depths[i], ms);
        }
    }
    fair &= measure(OP_WRITE_1M, 1, ms);
    if (mismatches != 0) {
        printf("blk_bench: %lu reads did not hold the block the host wrote; the first, of block %lu, "
               "began with %lu and ended with %lu\n",
               (unsigned long)mismatches, (unsigned long)mismatch_block, (unsigned long)mismatch_first,
               (unsigned long)mismatch_last);
    }
    return idle_and_clean(disk) && idle_and_clean(scratch) && fair && mismatches == 0 ? 0 : 1;
}

int main(void)
{
    const char *args = kernel_cmdline();

    if (blk_probe() < 1) {
        return 1;
    }
    if (strstr(args, "iops") != NULL) {
        return iops(args);
    }
    disk = blk_get(0);
    return instruction_counts(strstr(args, "modern") != NULL ? "modern" : "legacy");
}
