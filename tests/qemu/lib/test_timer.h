/*
 * A second interrupt source for tests: the generic timer's physical timer
 * (CNTP), which the kernel leaves alone. Its interrupt is level-triggered:
 * the handler must call test_timer_stop() or program a new deadline.
 */
#ifndef TESTS_QEMU_LIB_TEST_TIMER_H
#define TESTS_QEMU_LIB_TEST_TIMER_H

#include <stdint.h>

static inline uint64_t test_timer_count(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrrc p15, 0, %Q0, %R0, c14" : "=r"(v));
    return v;
}

/* Fires once the count reaches `count`. */
static inline void test_timer_fire_at(uint64_t count)
{
    __asm__ volatile("mcrr p15, 2, %Q0, %R0, c14" ::"r"(count));
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 1\n\tisb" ::"r"(1u));     /* CNTP_CTL: enable */
}

static inline void test_timer_stop(void)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c2, 1\n\tisb" ::"r"(2u));     /* masked, off */
}

#endif
