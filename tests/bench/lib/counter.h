/*
 * Guest instructions, for benchmarks that run on every board, under
 * -icount shift=0 (make bench): the PMU's instruction counter where the
 * core has one (pmu.h), else virtual time from SysTick (systick.h).
 *
 *   bench_count_start()                    once, before counting
 *   bench_count()                          a reading
 *   bench_instructions_between(a, b)       instructions from reading a to b
 */
#ifndef TESTS_BENCH_LIB_COUNTER_H
#define TESTS_BENCH_LIB_COUNTER_H

#if __ARM_ARCH_PROFILE == 'M'
#include "tests/bench/lib/systick.h"
#else
#include "tests/bench/lib/pmu.h"
#endif

#endif
