/*
 * Each misuse of a spinlock stops the kernel with a message naming the
 * lock, what was done, the CPU that did it and the one that holds the
 * lock, and exit status 2. One run a case. Only an image for several CPUs
 * checks (boot/spinlock.h): with one CPU a spinlock is only the IRQ mask.
 * Without the checks a recursion spins for ever (the run times out) and a
 * bad release goes on (the image says it was not stopped).
 *
 * requires: smp
 * runner: name=recursion args=recursion status=2 timeout=20 expect='^PANIC: spinlock .smp_misuse lock. taken again by the CPU that holds it: CPU 0 \(held by CPU 0\)$'
 * runner: name=recursion-cpu1 args=recursion-cpu1 status=2 timeout=20 expect='^PANIC: spinlock .smp_misuse lock. taken again by the CPU that holds it: CPU 1 \(held by CPU 1\)$'
 * runner: name=recursion-kernel-lock args=recursion-kernel-lock status=2 timeout=20 expect='^PANIC: spinlock .CoQueue. taken again by the CPU that holds it: CPU 0 \(held by CPU 0\)$'
 * runner: name=unlock-free args=unlock-free status=2 timeout=20 expect='^PANIC: spinlock .smp_misuse lock. released by a CPU that does not hold it: CPU 0 \(it is free\)$'
 * runner: name=unlock-other-cpu args=unlock-other-cpu status=2 timeout=20 expect='^PANIC: spinlock .smp_misuse lock. released by a CPU that does not hold it: CPU 0 \(held by CPU 1\)$'
 * runner: name=no-misuse args=none status=0 timeout=20 expect='^no misuse$'
 */
#include "boot/kernel.h"
#include "boot/spinlock.h"
#include "coro/coro.h"
#include "coro/queue.h"

#include <stdio.h>
#include <string.h>

CO_DEFINE(holder, 2048);
CO_DEFINE(intruder, 2048);

static struct spinlock lock = SPINLOCK_INIT("smp_misuse lock");
static struct co_queue queue = CO_QUEUE_INITIALIZER;

/* Set by the holder on CPU 1 once it has the lock; read on CPU 0. */
static bool held;

static void take_twice(void *opaque)
{
    (void)opaque;
    irq_flags_t flags = spin_lock_irqsave(&lock);
    spin_lock(&lock);
    spin_unlock(&lock);
    spin_unlock_irqrestore(&lock, flags);
}

/* Takes the lock and keeps it, IRQs masked, until the run is stopped. */
static void take_and_keep(void *opaque)
{
    (void)opaque;
    irq_flags_t flags = spin_lock_irqsave(&lock);
    __atomic_store_n(&held, true, __ATOMIC_RELEASE);
    while (__atomic_load_n(&held, __ATOMIC_ACQUIRE)) {
    }
    spin_unlock_irqrestore(&lock, flags);
}

/* Releases the lock the holder keeps on another CPU. */
static void release_theirs(void *opaque)
{
    (void)opaque;
    while (!__atomic_load_n(&held, __ATOMIC_ACQUIRE)) {
    }
    irq_flags_t flags = irq_save();
    spin_unlock(&lock);
    irq_restore(flags);
    /* Not stopped: let the holder go, so that the run ends and says so. */
    __atomic_store_n(&held, false, __ATOMIC_RELEASE);
}

/* Correct use on two CPUs at once: the checks must not fire. */
static unsigned int total;

static void lock_many_times(void *opaque)
{
    (void)opaque;
    for (unsigned int i = 0; i < 10000; i++) {
        irq_flags_t flags = spin_lock_irqsave(&lock);
        total++;
        spin_unlock_irqrestore(&lock, flags);
    }
}

/* co on CPU cpu, run to its end by co_run(). */
static int run_on(struct co *co, int cpu)
{
    if (co_set_cpu(co, cpu) != 0) {
        printf("CPU %d does not run coroutines\n", cpu);
        return -1;
    }
    co_wake(co);
    return 0;
}

int main(void)
{
    const char *which = kernel_cmdline();

    if (strcmp(which, "recursion") == 0) {
        take_twice(NULL);
    } else if (strcmp(which, "recursion-cpu1") == 0) {
        if (run_on(co_init(&holder, take_twice, NULL), 1) == 0) {
            co_run();
        }
    } else if (strcmp(which, "recursion-kernel-lock") == 0) {
        /* A caller that holds a kernel lock and calls back into the API
         * that takes it: the report names the kernel's lock. */
        irq_flags_t flags = spin_lock_irqsave(&queue.lock);
        co_queue_next(&queue);
        spin_unlock_irqrestore(&queue.lock, flags);
    } else if (strcmp(which, "unlock-free") == 0) {
        irq_flags_t flags = irq_save();
        spin_unlock(&lock);
        irq_restore(flags);
    } else if (strcmp(which, "unlock-other-cpu") == 0) {
        if (run_on(co_init(&holder, take_and_keep, NULL), 1) == 0 &&
            run_on(co_init(&intruder, release_theirs, NULL), 0) == 0) {
            co_run();
        }
    } else if (strcmp(which, "none") == 0) {
        if (run_on(co_init(&holder, lock_many_times, NULL), 1) == 0 &&
            run_on(co_init(&intruder, lock_many_times, NULL), 0) == 0 && co_run() == 0 && total == 20000) {
            printf("no misuse\n");
            return 0;
        }
        printf("correct use went wrong: %u of 20000 increments\n", total);
        return 1;
    }
    printf("misuse '%s' was not stopped\n", which);
    return 1;
}
