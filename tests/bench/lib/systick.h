/*
 * Counting guest instructions on ARMv7-M, which has no PMU: SysTick, the
 * core's 24-bit down-counter, clocked by the processor clock (CLKSOURCE,
 * the board's BOARD_SYSCLK_HZ), counts virtual time. Under -icount
 * shift=0 QEMU advances virtual time by exactly 1 ns an instruction, so
 * at mps2-an386's 25 MHz one tick is 40 instructions (the MPU's guard
 * move, 6 instructions a switch, shows as 12.00 more a round trip): a count is exact to a tick, and benchmarks that average
 * over many rounds resolve a fraction of an instruction. The counter wraps
 * every 2^24 ticks (0.67 s of virtual time): a span to measure must be
 * shorter.
 *
 * SysTick raises no interrupt here (TICKINT clear): the kernel's clock is
 * a board timer.
 */
#ifndef TESTS_BENCH_LIB_SYSTICK_H
#define TESTS_BENCH_LIB_SYSTICK_H

#include "arch/sysreg.h"
#include "board/facts.h"

#include <stdint.h>

#define SYST_CSR_ENABLE     (1u << 0)
#define SYST_CSR_CLKSOURCE  (1u << 2)   /* the processor clock */
#define SYST_MASK           0xffffffu

/* Instructions (virtual nanoseconds) a tick: the processor clock's period. */
#define SYSTICK_INSTRUCTIONS_PER_TICK (1000000000u / BOARD_SYSCLK_HZ)

static inline void bench_count_start(void)
{
    write_syst_csr(0);
    write_syst_rvr(SYST_MASK);
    write_syst_cvr(0);          /* any write reloads it */
    write_syst_csr(SYST_CSR_ENABLE | SYST_CSR_CLKSOURCE);
}

/* Ticks so far, counting up, in the top 24 bits: the difference of two
 * readings is right across a wrap of the counter. */
static inline uint32_t bench_count(void)
{
    return (SYST_MASK - read_syst_cvr()) << 8;
}

static inline uint32_t bench_instructions_between(uint32_t start, uint32_t end)
{
    return ((end - start) >> 8) * SYSTICK_INSTRUCTIONS_PER_TICK;
}

#endif
