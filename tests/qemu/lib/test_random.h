/*
 * Repeatable pseudo-random numbers for tests and benchmarks: the same seed
 * gives the same run, which matters most under -icount, where a run is
 * replayed exactly. Two generators, because tests were tuned on each.
 */
#ifndef TESTS_QEMU_LIB_TEST_RANDOM_H
#define TESTS_QEMU_LIB_TEST_RANDOM_H

#include <stdint.h>

/* The C standard's example generator; 24 bits out. */
static inline uint32_t test_random_lcg(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* Marsaglia's xorshift32: all 32 bits, never 0 from a seed that is not 0. */
static inline uint32_t test_random_xorshift(uint32_t *state)
{
    uint32_t x = *state;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

#endif
