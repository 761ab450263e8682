/*
 * A tick-less clock and one-shot deadline, programmed only for the
 * earliest deadline anyone waits for. Implemented by one timer driver of
 * drivers/system/ (the generic timer on ARMv7-A, CMSDK timers on the MPS2
 * boards), which the board starts through the driver's own init.
 */
#ifndef DRIVERS_TIMER_TIMER_H
#define DRIVERS_TIMER_TIMER_H

#include <stdint.h>

typedef void (*timer_callback_fn)(void);

/* Monotonic time since the counter started, in nanoseconds. */
uint64_t timer_now_ns(void);

/* Calls fn from the timer's IRQ handler once timer_now_ns() >= deadline_ns
 * (at once if it already is). Replaces any earlier deadline. */
void timer_set_deadline(uint64_t deadline_ns, timer_callback_fn fn);
void timer_cancel(void);

/* Counter frequency in Hz. */
uint32_t timer_frequency(void);

#endif
