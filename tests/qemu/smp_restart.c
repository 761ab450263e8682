/*
 * A CPU start that fails is named. The image starts the other CPUs a
 * second time, while they run: the board's starter refuses each (PSCI's
 * CPU_ON answers ALREADY_ON), the kernel says which CPU, what refused it
 * and why, and the run goes on on the CPUs it has, each counted once.
 *
 * requires: smp psci
 * runner: expect='^kernel: CPU 1 did not start: PSCI CPU_ON \(HVC\) returned ALREADY_ON \(-4\)$'
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "tests/qemu/lib/ktest.h"

#include <stdint.h>

CO_DEFINE(on_last, 1024);

static unsigned int ran_on;

static void note_cpu(void *opaque)
{
    (void)opaque;
    ran_on = co_cpu_id() + 1;
}

int main(void)
{
    unsigned int cpus = co_cpu_count();

    kt_plan(3);
    kernel_start_cpus();
    KT_EXPECT_EQ(co_cpu_count(), cpus, "each CPU is counted once");
    struct co *co = co_init(&on_last, note_cpu, NULL);
    KT_EXPECT_EQ(co_set_cpu(co, (int)cpus - 1), 0, "a coroutine can be pinned to the last CPU");
    co_wake(co);
    co_run();
    KT_EXPECT_EQ(ran_on, cpus, "which still runs coroutines");
    return kt_done();
}
