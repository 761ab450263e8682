#include "drivers/system/timer/generic_timer.h"
#include "drivers/timer.h"
#include "drivers/irq.h"
#include "drivers/system/ticks.h"
#include "arch/sysreg.h"

static struct ticks_rate rate;
static timer_callback_fn callback;

/* The control register, and the change seen before the next instruction. */
static void cntv_ctl_set(uint32_t v)
{
    write_cntv_ctl(v);
    isb();
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
    rate = ticks_rate(read_cntfrq());
    cntv_ctl_set(CNT_CTL_IMASK);
    irq_register(irq, timer_irq, 0);
}

uint64_t timer_now_ns(void)
{
    /* isb: the count is read here, not early in the pipeline. */
    isb();
    return ticks_to_ns(rate, read_cntvct());
}

void timer_set_deadline(uint64_t deadline_ns, timer_callback_fn fn)
{
    callback = fn;
    write_cntv_cval(ns_to_ticks(rate, deadline_ns));
    cntv_ctl_set(CNT_CTL_ENABLE);
}

void timer_cancel(void)
{
    cntv_ctl_set(CNT_CTL_IMASK);
}

uint32_t timer_frequency(void)
{
    return rate.frequency;
}
