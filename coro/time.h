/* Time for coroutines: a monotonic clock, sleeps and deadlines. */
#ifndef CORO_TIME_H
#define CORO_TIME_H

#include <stdint.h>

/* Nanoseconds since boot; never goes back. */
uint64_t co_clock_ns(void);

/* Block the calling coroutine until co_clock_ns() >= deadline_ns (never
 * earlier); the main loop runs others meanwhile. Return 0. */
int co_sleep_until(uint64_t deadline_ns);
int co_sleep_ns(uint64_t ns);
int co_sleep_us(uint64_t us);
int co_sleep_ms(uint64_t ms);

/* A deadline ns from now, for the *_until calls. */
uint64_t co_deadline_in_ns(uint64_t ns);

#endif
