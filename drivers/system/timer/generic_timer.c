#include "drivers/timer.h"
#include "drivers/irq.h"
#include "arch/sysreg.h"

#define NS_PER_SEC 1000000000ull

static uint32_t frequency;
static uint32_t ns_per_tick;        /* when the frequency divides 1 GHz evenly */
static timer_callback_fn callback;

/* The control register, and the change seen before the next instruction. */
static void cntv_ctl_set(uint32_t v)
{
    write_cntv_ctl(v);
    isb();
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
    cntv_ctl_set(CNT_CTL_IMASK);
    if (callback) {
        callback();
    }
}

void timer_init(unsigned int irq)
{
    frequency = read_cntfrq();
    ns_per_tick = NS_PER_SEC % frequency == 0 ? (uint32_t)(NS_PER_SEC / frequency) : 0;
    cntv_ctl_set(CNT_CTL_IMASK);
    irq_register(irq, timer_irq, 0);
}

uint64_t timer_now_ns(void)
{
    /* isb: the count is read here, not early in the pipeline. */
    isb();
    return ticks_to_ns(read_cntvct());
}

void timer_set_deadline(uint64_t deadline_ns, timer_callback_fn fn)
{
    callback = fn;
    write_cntv_cval(ns_to_ticks(deadline_ns));
    cntv_ctl_set(CNT_CTL_ENABLE);
}

void timer_cancel(void)
{
    cntv_ctl_set(CNT_CTL_IMASK);
}

uint32_t timer_frequency(void)
{
    return frequency;
}
