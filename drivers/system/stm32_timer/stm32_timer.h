/*
 * The kernel's tick-less clock (drivers/timer.h) on an STM32F4: a 32-bit
 * general-purpose timer (TIM2 or TIM5) counts the time at
 * STM32_TIMER_HZ, and the core's SysTick, counting the processor clock,
 * fires the earliest deadline. SysTick runs only while a deadline is
 * pending; the counter interrupts once a wrap (every 2^32 ticks: 18
 * minutes).
 *
 * A second deadline on the same clock raises an interrupt of the caller's
 * choosing: QEMU's model of the STM32 timers counts exactly but raises
 * their update interrupt late by the whole uptime, so SysTick is the one
 * timer there whose interrupt comes when it should, and tests take their
 * own deadlines from it through this (tests/qemu/lib/test_timer.h).
 */
#ifndef DRIVERS_STM32_TIMER_STM32_TIMER_H
#define DRIVERS_STM32_TIMER_STM32_TIMER_H

#include <stdint.h>

/* The clock's rate: 250 ns a tick. Both clocks must be whole multiples
 * of it. */
#define STM32_TIMER_HZ  4000000u

/* The clock counts from now; tim_hz is the counter's input clock, cpu_hz
 * SysTick's. The irq numbers are the interrupt controller's for the
 * counter and for SysTick. */
void stm32_timer_init(uintptr_t tim_base, unsigned int tim_irq, uint32_t tim_hz,
                      uintptr_t systick_base, unsigned int systick_irq, uint32_t cpu_hz);

/* The clock, in ticks of timer_frequency(); its low word is the counter's
 * CNT register (offset 0x24), for code that reads it without a call. */
uint64_t stm32_timer_count(void);

/* Raises irq (irq_raise() of drivers/irq.h) once stm32_timer_count()
 * reaches count, at once if it has; replaces an earlier alarm. */
void stm32_timer_alarm_at(uint64_t count, unsigned int irq);
void stm32_timer_alarm_stop(void);

#endif
