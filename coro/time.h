/* Time for coroutines: a monotonic clock, sleeps and deadlines. */
#ifndef CORO_TIME_H
#define CORO_TIME_H

#include "coro/coro.h"

#include <stdint.h>

/* Nanoseconds since boot; never goes back. */
uint64_t co_clock_ns(void);

/* A deadline ns from now, for the *_until calls. */
uint64_t co_deadline_in_ns(uint64_t ns);

/* Block the calling coroutine until co_clock_ns() >= deadline_ns (never
 * earlier); the main loop runs others meanwhile. Return 0. */
#define co_sleep_until(deadline_ns) co_sleep_until_at((deadline_ns), CO_SITE())
#define co_sleep_ns(ns) co_sleep_until(co_deadline_in_ns(ns))
#define co_sleep_us(us) co_sleep_ns((uint64_t)(us) * 1000u)
#define co_sleep_ms(ms) co_sleep_ns((uint64_t)(ms) * 1000000u)

int co_sleep_until_at(uint64_t deadline_ns, const struct co_site *site);

#endif
