/*
 * The seed scenario across CPUs: coroutines wait on one CPU and are
 * resumed on another, thousands of times. Before each wait a coroutine
 * pins itself to the next CPU (co_set_cpu()), so the main loop that
 * resumes it is another CPU's; the disk's interrupt is routed to CPU 1,
 * so its completions are taken there, and sleeps end on CPU 0's timer.
 * After every resume the coroutine must be on the CPU it asked for (the
 * per-CPU accessor was read again), be itself (co_self()), be entered,
 * hold its own r4-r11 and d8-d15, and have read the right data.
 *
 * With one CPU there is nothing to cross: every check is skipped.
 *
 * tags: smp
 * requires: virtio
 * runner: hook=blk_plain
 */
#include "coro/coro.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "drivers/virtio/blk.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/switch_registers.h"

#include <stdio.h>

#define WORKERS 8
#define ROUNDS 1300                     /* 8 x 1300 resumes, each on another CPU */
#define SECTORS 8                       /* one 4 KiB read */
#define DISK_SECTORS 2048               /* hooks/blk_plain.sh: all pattern 'p' */

CO_DEFINE_ARRAY(workers, WORKERS, 2048);

struct worker {
    uint8_t buf[SECTORS * BLK_SECTOR_SIZE] __attribute__((aligned(64)));
    uint64_t sector;
    int result;
};

static struct blk_dev *disk;
static struct worker state[WORKERS];

/* Counted from every CPU. */
static unsigned int cross_cpu;
static unsigned int wrong_cpu;
static unsigned int wrong_self;
static unsigned int not_entered;
static unsigned int registers_changed;
static unsigned int bad_data;
static unsigned int failed_calls;

static void count(unsigned int *counter, unsigned int n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* The waits, called with the registers held (switch_keeps_registers()). */
static void read_block(const void *opaque)
{
    struct worker *w = (struct worker *)opaque;

    w->result = blk_read(disk, w->sector, w->buf, SECTORS);
}

static void sleep_a_little(const void *opaque)
{
    struct worker *w = (struct worker *)opaque;

    w->result = co_sleep_us(20);
}

static void worker(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;
    struct co *me = &workers[id];
    struct worker *w = &state[id];
    unsigned int cpus = co_cpu_count();

    for (unsigned int round = 0; round < ROUNDS; round++) {
        unsigned int before = co_cpu_id();
        uint32_t switches = co_switch_count(me);
        unsigned int target = (before + 1) % cpus;
        bool sleeping = round % 4 == 3;

        co_set_cpu(me, (int)target);
        w->sector = (id * ROUNDS + round) * SECTORS % DISK_SECTORS;
        count(&registers_changed, (unsigned int)switch_keeps_registers(
                                      0x01000000u * (id + 1) + round * 16,
                                      (switch_fn *)(sleeping ? sleep_a_little : read_block), w, NULL));
        unsigned int after = co_cpu_id();

        /* A wait completed before it blocked does not switch: no resume. */
        bool resumed = co_switch_count(me) != switches;

        count(&cross_cpu, after != before);
        count(&wrong_cpu, resumed && after != target);
        count(&wrong_self, co_self() != me);
        count(&not_entered, !co_entered(co_self()) || !co_in_coroutine());
        count(&failed_calls, w->result != 0);
        if (!sleeping) {
            count(&bad_data, blkt_check(w->buf, w->sector, SECTORS, 'p') != -1);
        }
    }
}

int main(void)
{
    kt_plan(11);
    KT_EXPECT_EQ(blk_probe(), 1, "probe finds the disk");
    disk = blk_get(0);
    if (disk == NULL || co_cpu_count() < 2) {
        const char *why = disk == NULL ? "no disk" : "one CPU: build with make SMP=2 or more";
        static const char *const names[] = {
            "the disk's interrupt goes to CPU 1", "10,000 resumes on another CPU",
            "each on the CPU it was pinned to", "co_self() is right after each",
            "each resumed coroutine is entered", "r4-r11 and d8-d15 survive each",
            "every call succeeded and read the right data", "no descriptor leaked",
            "no descriptor leaked", "no descriptor leaked",
        };
        for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            kt_skip(names[i], why);
        }
        return kt_done();
    }
    KT_EXPECT_EQ(irq_set_cpu(blk_interrupt(disk), 1), 0, "the disk's interrupt goes to CPU 1");
    for (unsigned int i = 0; i < WORKERS; i++) {
        co_enter(co_init_element(workers, i, worker, (void *)(uintptr_t)i));
    }
    co_run();

    printf("# %u CPUs, %u resumes on another CPU than the wait began on\n", co_cpu_count(), cross_cpu);
    KT_EXPECT(cross_cpu >= 10000, "10,000 resumes on another CPU");
    KT_EXPECT_EQ(wrong_cpu, 0, "each on the CPU it was pinned to");
    KT_EXPECT_EQ(wrong_self, 0, "co_self() is right after each");
    KT_EXPECT_EQ(not_entered, 0, "each resumed coroutine is entered");
    KT_EXPECT_EQ(registers_changed, 0, "r4-r11 and d8-d15 survive each");
    KT_EXPECT(failed_calls == 0 && bad_data == 0, "every call succeeded and read the right data");
    blkt_expect_idle(disk, "no descriptor leaked");
    return kt_done();
}
