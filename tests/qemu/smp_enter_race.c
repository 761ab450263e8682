/*
 * Two CPUs entering one coroutine at the same moment: the second is
 * refused by name, however close the two come, and never gets onto the
 * coroutine's stack beside the first. Each round both CPUs meet at a
 * barrier and call co_enter() at once; the coroutine, while it runs,
 * counts how many CPUs are inside it and holds on a while, so that the
 * rounds soon bring a collision: the run must then stop with the refusal
 * (exit status 2). Were the test and the claim two steps, both CPUs would
 * get in, and the coroutine would see itself entered twice.
 *
 * requires: smp
 * tags: smp
 * runner: name=collision status=2 timeout=60 expect='^PANIC: co_enter of a running coroutine \(already entered\): coroutine .contested.'
 */
#include "boot/kernel.h"
#include "coro/coro.h"

#include <stdio.h>

#define ROUNDS 10000u
#define HOLD 2000u          /* loop turns the coroutine stays entered */

CO_DEFINE(contested, 2048);
CO_DEFINE_ARRAY(racers, 2, 2048);

static unsigned int inside;     /* CPUs on the contested coroutine now */
static unsigned int arrived;    /* at the round's barrier, over all rounds */

static void hold_alone(void *opaque)
{
    (void)opaque;
    for (;;) {
        if (__atomic_add_fetch(&inside, 1, __ATOMIC_ACQ_REL) != 1) {
            kprintf("two CPUs are inside 'contested' at once\n");
            kernel_exit(1);
        }
        for (volatile unsigned int i = 0; i < HOLD; i++) {
        }
        __atomic_sub_fetch(&inside, 1, __ATOMIC_ACQ_REL);
        co_yield();
    }
}

static void race(void *opaque)
{
    (void)opaque;
    for (unsigned int round = 1; round <= ROUNDS; round++) {
        __atomic_add_fetch(&arrived, 1, __ATOMIC_ACQ_REL);
        while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < 2 * round) {
        }
        co_enter(&contested);
    }
}

int main(void)
{
    co_init(&contested, hold_alone, NULL);
    for (int cpu = 0; cpu < 2; cpu++) {
        struct co *racer = co_init(&racers[cpu], race, NULL);
        if (co_set_cpu(racer, cpu) != 0) {
            printf("CPU %d does not run coroutines\n", cpu);
            return 1;
        }
        co_wake(racer);
    }
    co_run();
    printf("no collision in %u rounds: the refusal was never tried\n", ROUNDS);
    return 1;
}
