/*
 * The cost of one enter + yield round trip, in guest instructions, against
 * the same round trip built on newlib's setjmp/longjmp in this image
 * (tests/bench/lib/setjmp_co.h), and against a bare setjmp/longjmp pair,
 * which saves neither d8-d15 nor any state: newlib's jump alone.
 */
#include "arch/sysreg.h"
#include "coro/coro.h"
#include "tests/bench/lib/counter.h"
#include "tests/bench/lib/setjmp_co.h"

#include <setjmp.h>
#include <stdio.h>

#define ROUNDS 1000u

CO_DEFINE(ponger, 2048);
CO_DEFINE(setjmp_host, 2048);   /* the stack setjmp_pong_co runs on */
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

static struct setjmp_co setjmp_main_co;
static struct setjmp_co setjmp_pong_co;
/* Stand-ins for the words at the two stacks' limits. */
static uint32_t setjmp_main_guard;
static uint32_t setjmp_pong_guard;

/* Entered once by the kernel, to record where setjmp_co_enter() first
 * resumes it; from then on only setjmp_co switches reach it. */
static void setjmp_pong(void *opaque)
{
    (void)opaque;
    if (setjmp(setjmp_pong_co.env) == 0) {
        co_yield();
    }
    for (;;) {
        setjmp_co_yield();
        setjmp_co_yield();
        setjmp_co_yield();
        setjmp_co_yield();
    }
}

static jmp_buf main_env;
static jmp_buf jumper_env;

/* The bare pair. Started once with co_enter(); from then on only
 * setjmp/longjmp move between it and main. */
static void jump_pong(void *opaque)
{
    (void)opaque;
    for (;;) {
        if (!setjmp(jumper_env)) {
            longjmp(main_env, 1);
        }
    }
}

/* The loops themselves, to subtract. The bare pair's loop keeps its
 * counter in memory, since longjmp may clobber registers. */
static uint32_t empty_loop_instructions(void)
{
    uint32_t start = bench_count();
    for (unsigned int i = 0; i < ROUNDS; i += 4) {
        compiler_barrier();
    }
    return bench_instructions_between(start, bench_count());
}

static volatile unsigned int jump_round;

static uint32_t empty_memory_loop_instructions(void)
{
    uint32_t start = bench_count();
    for (jump_round = 0; jump_round < ROUNDS; jump_round++) {
        compiler_barrier();
    }
    return bench_instructions_between(start, bench_count());
}

static uint32_t switch_round_trips(void)
{
    co_init(&ponger, pong, NULL);
    co_enter(&ponger);      /* warm up: the first entry starts the coroutine */
    uint32_t start = bench_count();
    for (unsigned int i = 0; i < ROUNDS; i += 4) {
        co_enter(&ponger);
        co_enter(&ponger);
        co_enter(&ponger);
        co_enter(&ponger);
    }
    return bench_instructions_between(start, bench_count());
}

static uint32_t setjmp_co_round_trips(void)
{
    setjmp_main_guard = -(uint32_t)(uintptr_t)&setjmp_main_co;
    setjmp_main_co.stack_guard = &setjmp_main_guard;
    setjmp_pong_guard = -(uint32_t)(uintptr_t)&setjmp_pong_co;
    setjmp_pong_co.stack_guard = &setjmp_pong_guard;
    setjmp_co_set_current(&setjmp_main_co);
    co_enter(co_init(&setjmp_host, setjmp_pong, NULL));
    setjmp_co_enter(&setjmp_pong_co);   /* warm up, as for the kernel's */
    uint32_t start = bench_count();
    for (unsigned int i = 0; i < ROUNDS; i += 4) {
        setjmp_co_enter(&setjmp_pong_co);
        setjmp_co_enter(&setjmp_pong_co);
        setjmp_co_enter(&setjmp_pong_co);
        setjmp_co_enter(&setjmp_pong_co);
    }
    return bench_instructions_between(start, bench_count());
}

static uint32_t setjmp_pair_round_trips(void)
{
    co_init(&jumper, jump_pong, NULL);
    if (!setjmp(main_env)) {
        co_enter(&jumper);
    }
    uint32_t start = bench_count();
    for (jump_round = 0; jump_round < ROUNDS; jump_round++) {
        if (!setjmp(main_env)) {
            longjmp(jumper_env, 1);
        }
    }
    return bench_instructions_between(start, bench_count());
}

/* In hundredths of an instruction per round trip. */
static uint32_t per_round_trip_x100(uint32_t instructions, uint32_t loop_instructions)
{
    return (instructions - loop_instructions) * 100u / ROUNDS;
}

static void print_x100(const char *what, uint32_t x100)
{
    printf("%-36s %4lu.%02lu\n", what, (unsigned long)(x100 / 100), (unsigned long)(x100 % 100));
}

static uint32_t rounded_up(uint32_t x100)
{
    return (x100 + 99u) / 100u;
}

int main(void)
{
    bench_count_start();
    uint32_t switch_x100 = per_round_trip_x100(switch_round_trips(), empty_loop_instructions());
    uint32_t setjmp_co_x100 = per_round_trip_x100(setjmp_co_round_trips(), empty_loop_instructions());
    uint32_t pair_x100 = per_round_trip_x100(setjmp_pair_round_trips(), empty_memory_loop_instructions());

    if (setjmp_pong_co.switches != ROUNDS + 1) {
        printf("setjmp_co baseline: %lu entries counted, %u made\n", (unsigned long)setjmp_pong_co.switches,
               ROUNDS + 1);
        return 1;
    }
    print_x100("enter+yield round trip:", switch_x100);
    print_x100("the same on setjmp/longjmp:", setjmp_co_x100);
    uint32_t ratio_x100 = switch_x100 * 100u / setjmp_co_x100;
    print_x100("ratio:", ratio_x100);
    print_x100("bare setjmp/longjmp pair:", pair_x100);
    print_x100("ratio to the bare pair:", switch_x100 * 100u / pair_x100);
    printf("BENCH switch_roundtrip_instructions %lu\n", (unsigned long)rounded_up(switch_x100));
    printf("BENCH setjmp_roundtrip_instructions %lu\n", (unsigned long)rounded_up(setjmp_co_x100));
    printf("BENCH setjmp_pair_instructions %lu\n", (unsigned long)rounded_up(pair_x100));
    printf("BENCH switch_to_setjmp_ratio_x100 %lu\n", (unsigned long)ratio_x100);
    return 0;
}
