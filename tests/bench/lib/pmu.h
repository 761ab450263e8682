/*
 * Counting guest instructions with the PMU's instructions-retired event
 * (0x08). QEMU counts it only under -icount, where it is exact and
 * repeatable: `make bench` boots with -icount shift=0.
 */
#ifndef TESTS_BENCH_LIB_PMU_H
#define TESTS_BENCH_LIB_PMU_H

#include "arch/sysreg.h"

#include <stdint.h>

#define PMU_EVENT_INST_RETIRED 0x08u

/* Counter 0 counts retired instructions from now on. */
static inline void pmu_start(void)
{
    write_pmcr(0x7u);           /* enable, reset the counters */
    write_pmselr(0u);           /* counter 0 */
    write_pmxevtyper(PMU_EVENT_INST_RETIRED);
    write_pmcntenset(1u);       /* counter 0 */
    isb();
}

static inline uint32_t pmu_instructions(void)
{
    isb();
    return read_pmxevcntr();
}

/* The names benchmarks that run on every board use (tests/bench/lib/
 * counter.h). */
static inline void bench_count_start(void)
{
    pmu_start();
}

static inline uint32_t bench_count(void)
{
    return pmu_instructions();
}

static inline uint32_t bench_instructions_between(uint32_t start, uint32_t end)
{
    return end - start;
}

#endif
