/*
 * Counting guest instructions with the PMU's instructions-retired event
 * (0x08). QEMU counts it only under -icount, where it is exact and
 * repeatable: `make bench` boots with -icount shift=0.
 */
#ifndef TESTS_BENCH_LIB_PMU_H
#define TESTS_BENCH_LIB_PMU_H

#include <stdint.h>

#define PMU_EVENT_INST_RETIRED 0x08u

/* Counter 0 counts retired instructions from now on. */
static inline void pmu_start(void)
{
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 0" ::"r"(0x7u));   /* PMCR: enable, reset counters */
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 5" ::"r"(0u));     /* PMSELR: counter 0 */
    __asm__ volatile("mcr p15, 0, %0, c9, c13, 1" ::"r"(PMU_EVENT_INST_RETIRED));
    __asm__ volatile("mcr p15, 0, %0, c9, c12, 1" ::"r"(1u));     /* PMCNTENSET: counter 0 */
    __asm__ volatile("isb" ::: "memory");
}

static inline uint32_t pmu_instructions(void)
{
    uint32_t count;

    __asm__ volatile("isb\n\tmrc p15, 0, %0, c9, c13, 2" : "=r"(count)::"memory");
    return count;
}

#endif
