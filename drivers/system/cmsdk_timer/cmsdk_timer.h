/*
 * The kernel's tick-less clock (drivers/timer.h) from two ARM CMSDK APB
 * timers, 32-bit down-counters: one runs free and counts the time (its
 * wrap, every 2^32 ticks, is the only interrupt it ever makes: 172 s at
 * 25 MHz), the other is armed only for the earliest deadline.
 */
#ifndef DRIVERS_CMSDK_TIMER_CMSDK_TIMER_H
#define DRIVERS_CMSDK_TIMER_CMSDK_TIMER_H

#include <stdint.h>

/* The clock counts from now; the deadline timer stays off until a
 * deadline is set. Takes both interrupts. */
void cmsdk_timer_init(uintptr_t clock_base, unsigned int clock_irq_number, uintptr_t deadline_base,
                      unsigned int deadline_irq_number, uint32_t clock_hz);

#endif
