/*
 * Bring-up of the other CPUs: an image built for up to CONFIG_CPUS runs on
 * as many as the machine has, counted at run time (the board's CPU starter
 * says which exist).
 * Every CPU that came up runs coroutines: one pinned to each runs there,
 * sees its own CPU number, the same from the coroutine core (co_cpu_id())
 * as from the CPU itself (cpu_index(), MPIDR), and finds the MMU and both
 * caches on (every CPU turns them on before it takes a lock). Booted with fewer CPUs than it
 * was built for (QEMU's last -smp wins), the image runs on those and
 * finishes.
 *
 * tags: smp
 * requires: smp armv7a
 * runner: name=all-cpus expect='^# [0-9] CPUs of the machine run coroutines$'
 * runner: name=fewer-cpus qemu='-smp 2' args='2' expect='^# 2 CPUs of the machine run coroutines$'
 */
#include "arch/cpu.h"
#include "arch/sysreg.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

CO_DEFINE_ARRAY(pinned, CONFIG_CPUS, 1024);

#define SCTLR_ON (SCTLR_M | SCTLR_C | SCTLR_I)

static unsigned int ran_on[CONFIG_CPUS];
static unsigned int mpidr_says[CONFIG_CPUS];
static unsigned int hw_id_says[CONFIG_CPUS];
static uint32_t sctlr_on[CONFIG_CPUS];

/* IRQs masked, so that nothing moves the coroutine between the two reads
 * of the CPU number. */
static void note_cpu(void *opaque)
{
    unsigned int index = (unsigned int)(uintptr_t)opaque;
    irq_flags_t flags = irq_save();

    ran_on[index] = co_cpu_id() + 1;
    mpidr_says[index] = cpu_index() + 1;
    hw_id_says[index] = (cpu_hw_id() & 0xffu) + 1;
    irq_restore(flags);
    sctlr_on[index] = read_sctlr() & (uint32_t)SCTLR_ON;
}

/* The CPUs the machine has: the command line's number (the run that
 * boots fewer), or as many as the image was built for. */
static unsigned int machine_cpus(void)
{
    const char *arg = kernel_cmdline();

    return arg[0] != '\0' ? (unsigned int)atoi(arg) : CONFIG_CPUS;
}

int main(void)
{
    unsigned int cpus = co_cpu_count();
    unsigned int refused = 0;
    unsigned int wrong = 0;
    unsigned int numbered_apart = 0;
    unsigned int uncached = 0;

    kt_plan(7);
    printf("# %u CPUs of the machine run coroutines\n", cpus);
    KT_EXPECT_EQ(cpus, machine_cpus(), "every CPU of the machine came up, and no other");
    for (unsigned int i = 0; i < cpus; i++) {
        struct co *co = co_init_element(pinned, i, note_cpu, (void *)(uintptr_t)i);

        refused += co_set_cpu(co, (int)i) != 0;
        co_wake(co);
    }
    KT_EXPECT_EQ(refused, 0, "a coroutine can be pinned to each CPU");
    KT_EXPECT_EQ(co_set_cpu(&pinned[0], (int)cpus), -EINVAL, "a CPU the machine lacks is refused");
    KT_EXPECT_EQ(co_run(), 0, "the run ends");
    for (unsigned int i = 0; i < cpus; i++) {
        wrong += ran_on[i] != i + 1;
        numbered_apart += mpidr_says[i] != ran_on[i] || hw_id_says[i] != ran_on[i];
        uncached += sctlr_on[i] != (uint32_t)SCTLR_ON;
    }
    KT_EXPECT_EQ(wrong, 0, "each ran on the CPU it was pinned to");
    KT_EXPECT_EQ(numbered_apart, 0, "on every CPU the coroutine core's number is the CPU's own (MPIDR)");
    KT_EXPECT_EQ(uncached, 0, "the MMU and both caches are on on every CPU");
    return kt_done();
}
