#include "drivers/timer/timer.h"
#include "drivers/irq.h"

#define NS_PER_SEC 1000000000ull

#define CNTV_CTL_ENABLE  (1u << 0)
#define CNTV_CTL_IMASK   (1u << 1)   /* interrupt masked at the timer */

static uint32_t frequency;
static uint32_t ns_per_tick;        /* when the frequency divides 1 GHz evenly */
static timer_callback_fn callback;

static uint32_t read_cntfrq(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(v));
    return v;
}

static uint64_t read_cntvct(void)
{
    uint64_t v;
    __asm__ volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(v));
    return v;
}

static void write_cntv_cval(uint64_t v)
{
    __asm__ volatile("mcrr p15, 3, %Q0, %R0, c14" ::"r"(v));
}

static void write_cntv_ctl(uint32_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c14, c3, 1\n\tisb" ::"r"(v));
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
    if (ns_per_tick) {
        return ticks * ns_per_tick;
    }
    return ticks / frequency * NS_PER_SEC + ticks % frequency * NS_PER_SEC / frequency;
}

/* Rounded up, so a deadline never fires early, and without overflow: a
 * deadline past what the counter can reach becomes "never". */
static uint64_t ns_to_ticks(uint64_t ns)
{
    if (ns_per_tick) {
        return ns / ns_per_tick + (ns % ns_per_tick != 0);
    }
    if (ns / NS_PER_SEC > UINT64_MAX / frequency - 1) {
        return UINT64_MAX;
    }
    return ns / NS_PER_SEC * frequency + (ns % NS_PER_SEC * frequency + NS_PER_SEC - 1) / NS_PER_SEC;
}

static void timer_irq(void *arg)
{
    (void)arg;
    /* Level-triggered: switch it off before the callback sets the next one,
     * or it would fire again at once. */
    write_cntv_ctl(CNTV_CTL_IMASK);
    if (callback) {
        callback();
    }
}

void timer_init(unsigned int irq)
{
    frequency = read_cntfrq();
    ns_per_tick = NS_PER_SEC % frequency == 0 ? (uint32_t)(NS_PER_SEC / frequency) : 0;
    write_cntv_ctl(CNTV_CTL_IMASK);
    irq_register(irq, timer_irq, 0);
}

uint64_t timer_now_ns(void)
{
    return ticks_to_ns(read_cntvct());
}

void timer_set_deadline(uint64_t deadline_ns, timer_callback_fn fn)
{
    callback = fn;
    write_cntv_cval(ns_to_ticks(deadline_ns));
    write_cntv_ctl(CNTV_CTL_ENABLE);
}

void timer_cancel(void)
{
    write_cntv_ctl(CNTV_CTL_IMASK);
}

uint32_t timer_frequency(void)
{
    return frequency;
}
