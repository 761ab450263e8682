/*
 * A second interrupt source for tests, which the kernel leaves alone: the
 * generic timer's physical timer (CNTP) on ARMv7-A boards, the CMSDK dual
 * timer where the board names one (BOARD_TEST_DUALTIMER_BASE), and the
 * STM32 timer driver's second deadline where the board names its counter
 * (BOARD_TEST_STM32_TIMER_BASE): it raises BOARD_TEST_TIMER_IRQ when due.
 * Counts are in ticks of the kernel's timer_frequency(). Its interrupt is
 * level-triggered, or raised once: the handler must call
 * test_timer_stop() or program a new deadline.
 *
 * TEST_TIMER_COUNTER is a word the count's low word is read from without
 * a call (once test_timer_count() has started it), and
 * TEST_TIMER_COUNT_R7 the Thumb-2 that reads it into r7 from the address
 * in r8.
 */
#ifndef TESTS_QEMU_LIB_TEST_TIMER_H
#define TESTS_QEMU_LIB_TEST_TIMER_H

#include "arch/sysreg.h"
#include "board/facts.h"

#include <stdint.h>

#if defined(BOARD_TEST_STM32_TIMER_BASE)
#include "drivers/system/stm32_timer/stm32_timer.h"

/* The counter's CNT: the count's low word. */
#define TEST_TIMER_COUNTER  ((const volatile uint32_t *)(BOARD_TEST_STM32_TIMER_BASE + 0x24))
#define TEST_TIMER_COUNT_R7 "ldr     r7, [r8]\n\t"

static inline uint64_t test_timer_count(void)
{
    return stm32_timer_count();
}

static inline void test_timer_stop(void)
{
    stm32_timer_alarm_stop();
}

/* Fires once the count reaches `count` (at once if it has). */
static inline void test_timer_fire_at(uint64_t count)
{
    stm32_timer_alarm_at(count, BOARD_TEST_TIMER_IRQ);
}
#elif defined(BOARD_TEST_DUALTIMER_BASE)
/* Its first timer fires once, its second runs free and is the count (32
 * bits: a test's deadlines are near). Registers in 32-bit words. */
#define DUALTIMER_REGS      ((volatile uint32_t *)BOARD_TEST_DUALTIMER_BASE)
#define DUALTIMER_LOAD(t)   ((t) * 8 + 0)
#define DUALTIMER_VALUE(t)  ((t) * 8 + 1)
#define DUALTIMER_CTRL(t)   ((t) * 8 + 2)
#define DUALTIMER_INTCLR(t) ((t) * 8 + 3)
#define DUALTIMER_ONESHOT   (1u << 0)
#define DUALTIMER_32BIT     (1u << 1)
#define DUALTIMER_INT_EN    (1u << 5)
#define DUALTIMER_ENABLE    (1u << 7)

/* The count is the complement of the free-running timer's value. */
#define TEST_TIMER_COUNTER  (&DUALTIMER_REGS[DUALTIMER_VALUE(1)])
#define TEST_TIMER_COUNT_R7 "ldr     r7, [r8]\n\tmvn     r7, r7\n\t"

static inline uint64_t test_timer_count(void)
{
    if (!(DUALTIMER_REGS[DUALTIMER_CTRL(1)] & DUALTIMER_ENABLE)) {
        DUALTIMER_REGS[DUALTIMER_LOAD(1)] = 0xffffffffu;
        DUALTIMER_REGS[DUALTIMER_CTRL(1)] = DUALTIMER_ENABLE | DUALTIMER_32BIT;
    }
    return ~*TEST_TIMER_COUNTER;
}

static inline void test_timer_stop(void)
{
    DUALTIMER_REGS[DUALTIMER_CTRL(0)] = 0;
    DUALTIMER_REGS[DUALTIMER_INTCLR(0)] = 1u;
}

/* Fires once the count reaches `count` (at once if it has). */
static inline void test_timer_fire_at(uint64_t count)
{
    uint32_t left = (uint32_t)count - (uint32_t)test_timer_count();

    test_timer_stop();
    DUALTIMER_REGS[DUALTIMER_LOAD(0)] = left == 0 || left > 0x80000000u ? 1u : left;
    DUALTIMER_REGS[DUALTIMER_CTRL(0)] = DUALTIMER_ENABLE | DUALTIMER_32BIT | DUALTIMER_ONESHOT | DUALTIMER_INT_EN;
}
#else
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

#endif
