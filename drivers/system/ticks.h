/*
 * Counter ticks to nanoseconds and back, for the timer drivers that
 * implement drivers/timer.h: exact in both directions when the frequency
 * divides 1 GHz evenly (one multiplication), otherwise in two parts that
 * cannot overflow.
 */
#ifndef DRIVERS_SYSTEM_TICKS_H
#define DRIVERS_SYSTEM_TICKS_H

#include <stdint.h>

#define TICKS_NS_PER_SEC 1000000000ull

struct ticks_rate {
    uint32_t frequency;     /* Hz */
    uint32_t ns_per_tick;   /* when the frequency divides 1 GHz evenly, else 0 */
};

static inline struct ticks_rate ticks_rate(uint32_t frequency)
{
    return (struct ticks_rate){
        .frequency = frequency,
        .ns_per_tick = TICKS_NS_PER_SEC % frequency == 0 ? (uint32_t)(TICKS_NS_PER_SEC / frequency) : 0,
    };
}

static inline uint64_t ticks_to_ns(struct ticks_rate r, uint64_t ticks)
{
    if (r.ns_per_tick) {
        return ticks * r.ns_per_tick;
    }
    return ticks / r.frequency * TICKS_NS_PER_SEC + ticks % r.frequency * TICKS_NS_PER_SEC / r.frequency;
}

/* Rounded up, so a deadline never fires early, and without overflow: a
 * deadline past what the counter can reach becomes "never". */
static inline uint64_t ns_to_ticks(struct ticks_rate r, uint64_t ns)
{
    if (r.ns_per_tick) {
        return ns / r.ns_per_tick + (ns % r.ns_per_tick != 0);
    }
    if (ns / TICKS_NS_PER_SEC > UINT64_MAX / r.frequency - 1) {
        return UINT64_MAX;
    }
    return ns / TICKS_NS_PER_SEC * r.frequency +
           (ns % TICKS_NS_PER_SEC * r.frequency + TICKS_NS_PER_SEC - 1) / TICKS_NS_PER_SEC;
}

#endif
