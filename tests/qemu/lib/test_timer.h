/*
 * A second interrupt source for tests: the generic timer's physical timer
 * (CNTP), which the kernel leaves alone. Its interrupt is level-triggered:
 * the handler must call test_timer_stop() or program a new deadline.
 */
#ifndef TESTS_QEMU_LIB_TEST_TIMER_H
#define TESTS_QEMU_LIB_TEST_TIMER_H

#include "arch/sysreg.h"

#include <stdint.h>

static inline uint64_t test_timer_count(void)
{
    isb();
    return read_cntpct();
}

/* Fires once the count reaches `count`. */
static inline void test_timer_fire_at(uint64_t count)
{
    write_cntp_cval(count);
    write_cntp_ctl(CNT_CTL_ENABLE);
    isb();
}

static inline void test_timer_stop(void)
{
    write_cntp_ctl(CNT_CTL_IMASK);      /* masked, and off */
    isb();
}

#endif
