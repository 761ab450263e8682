/*
 * The cost of one enter + yield round trip, in guest instructions, against
 * the same round trip built on newlib's setjmp/longjmp in this image.
 */
#include "coro/coro.h"
#include "tests/bench/lib/pmu.h"

#include <setjmp.h>
#include <stdio.h>

#define ROUNDS 1000u

CO_DEFINE(ponger, 2048);
CO_DEFINE(jumper, 2048);

/* Unrolled, here and in the measuring loop, so the loops' own branches
 * hardly count. */
static void pong(void *opaque)
{
    (void)opaque;
    for (;;) {
        co_yield();
        co_yield();
        co_yield();
        co_yield();
    }
}

static jmp_buf main_env;
static jmp_buf jumper_env;

/* Started once with co_enter(); from then on only setjmp/longjmp move
 * between it and main. */
static void jump_pong(void *opaque)
{
    (void)opaque;
    for (;;) {
        if (!setjmp(jumper_env)) {
            longjmp(main_env, 1);
        }
    }
}

/* The loops themselves, to subtract. The setjmp loop keeps its counter in
 * memory, since longjmp may clobber registers. */
static uint32_t empty_loop_instructions(void)
{
    uint32_t start = pmu_instructions();
    for (unsigned int i = 0; i < ROUNDS; i += 4) {
        __asm__ volatile("" ::: "memory");
    }
    return pmu_instructions() - start;
}

static volatile unsigned int jump_round;

static uint32_t empty_memory_loop_instructions(void)
{
    uint32_t start = pmu_instructions();
    for (jump_round = 0; jump_round < ROUNDS; jump_round++) {
        __asm__ volatile("" ::: "memory");
    }
    return pmu_instructions() - start;
}

static uint32_t switch_round_trips(void)
{
    co_init(&ponger, pong, NULL);
    co_enter(&ponger);      /* warm up: the first entry starts the coroutine */
    uint32_t start = pmu_instructions();
    for (unsigned int i = 0; i < ROUNDS; i += 4) {
        co_enter(&ponger);
        co_enter(&ponger);
        co_enter(&ponger);
        co_enter(&ponger);
    }
    return pmu_instructions() - start;
}

static uint32_t setjmp_round_trips(void)
{
    co_init(&jumper, jump_pong, NULL);
    if (!setjmp(main_env)) {
        co_enter(&jumper);
    }
    uint32_t start = pmu_instructions();
    for (jump_round = 0; jump_round < ROUNDS; jump_round++) {
        if (!setjmp(main_env)) {
            longjmp(jumper_env, 1);
        }
    }
    return pmu_instructions() - start;
}

int main(void)
{
    pmu_start();
    /* In hundredths of an instruction, then rounded up to whole ones. */
    uint32_t switch_x100 = (switch_round_trips() - empty_loop_instructions()) * 100u / ROUNDS;
    uint32_t setjmp_x100 = (setjmp_round_trips() - empty_memory_loop_instructions()) * 100u / ROUNDS;
    uint32_t with_switch = (switch_x100 + 99u) / 100u;
    uint32_t with_setjmp = (setjmp_x100 + 99u) / 100u;
    uint32_t ratio_x100 = switch_x100 * 100u / setjmp_x100;

    printf("enter+yield round trip:     %4lu.%02lu instructions\n", (unsigned long)(switch_x100 / 100),
           (unsigned long)(switch_x100 % 100));
    printf("setjmp/longjmp round trip:  %4lu.%02lu instructions (newlib-nano)\n",
           (unsigned long)(setjmp_x100 / 100), (unsigned long)(setjmp_x100 % 100));
    printf("ratio:                      %4lu.%02lu\n", (unsigned long)(ratio_x100 / 100),
           (unsigned long)(ratio_x100 % 100));
    printf("BENCH switch_roundtrip_instructions %lu\n", (unsigned long)with_switch);
    printf("BENCH setjmp_roundtrip_instructions %lu\n", (unsigned long)with_setjmp);
    return 0;
}
