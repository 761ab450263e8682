#include "drivers/system/cmsdk_timer/cmsdk_timer.h"
#include "drivers/timer.h"
#include "drivers/irq.h"
#include "drivers/system/ticks.h"
#include "arch/cpu.h"

#include <stdbool.h>
#include <stddef.h>

/* Register offsets, in 32-bit words. */
#define TIMER_CTRL      (0x00 / 4)
#define TIMER_VALUE     (0x04 / 4)  /* counts down; reaching 0 reloads and interrupts */
#define TIMER_RELOAD    (0x08 / 4)
#define TIMER_INT       (0x0c / 4)  /* reads the status, a write of 1 clears it */

#define TIMER_CTRL_EN       (1u << 0)
#define TIMER_CTRL_IRQ_EN   (1u << 3)
#define TIMER_MAX           0xffffffffu

static struct {
    volatile uint32_t *clock;       /* free-running: the time */
    volatile uint32_t *deadline;    /* armed only for the earliest deadline */
    struct ticks_rate rate;
    volatile uint32_t wraps;        /* of the clock: its count's upper 32 bits */
    uint64_t deadline_ticks;
    bool armed;
    timer_callback_fn callback;
} timer;

/* The clock's wrap, counted in its interrupt; a wrap not yet counted
 * shows in its status. */
static uint64_t now_ticks(void)
{
    irq_flags_t flags = irq_save();
    uint32_t wraps = timer.wraps;
    uint32_t value = timer.clock[TIMER_VALUE];

    if (timer.clock[TIMER_INT] & 1u) {
        wraps++;
        value = timer.clock[TIMER_VALUE];   /* read again: after the wrap */
    }
    irq_restore(flags);
    return ((uint64_t)wraps << 32) | (TIMER_MAX - value);
}

static void clock_irq(void *arg)
{
    (void)arg;
    timer.clock[TIMER_INT] = 1u;
    timer.wraps++;
}

static void deadline_stop(void)
{
    timer.deadline[TIMER_CTRL] = 0;
    timer.deadline[TIMER_INT] = 1u;
}

/* Counts down to the deadline, or as far towards it as 32 bits reach. */
static void deadline_arm(void)
{
    uint64_t now = now_ticks();
    uint64_t left = timer.deadline_ticks > now ? timer.deadline_ticks - now : 1u;

    deadline_stop();
    timer.deadline[TIMER_RELOAD] = TIMER_MAX;
    timer.deadline[TIMER_VALUE] = left > TIMER_MAX ? TIMER_MAX : (uint32_t)left;
    timer.deadline[TIMER_CTRL] = TIMER_CTRL_EN | TIMER_CTRL_IRQ_EN;
}

static void deadline_irq(void *arg)
{
    (void)arg;
    deadline_stop();
    if (!timer.armed) {
        return;     /* cancelled after it fired */
    }
    if (now_ticks() < timer.deadline_ticks) {
        deadline_arm();     /* a deadline beyond one count-down */
        return;
    }
    timer.armed = false;
    timer.callback();
}

void cmsdk_timer_init(uintptr_t clock_base, unsigned int clock_irq_number, uintptr_t deadline_base,
                      unsigned int deadline_irq_number, uint32_t clock_hz)
{
    timer.clock = (volatile uint32_t *)clock_base;
    timer.deadline = (volatile uint32_t *)deadline_base;
    timer.rate = ticks_rate(clock_hz);
    deadline_stop();
    timer.clock[TIMER_CTRL] = 0;
    timer.clock[TIMER_INT] = 1u;
    timer.clock[TIMER_RELOAD] = TIMER_MAX;
    timer.clock[TIMER_VALUE] = TIMER_MAX;
    timer.clock[TIMER_CTRL] = TIMER_CTRL_EN | TIMER_CTRL_IRQ_EN;
    irq_register(clock_irq_number, clock_irq, NULL);
    irq_register(deadline_irq_number, deadline_irq, NULL);
}

uint64_t timer_now_ns(void)
{
    return ticks_to_ns(timer.rate, now_ticks());
}

void timer_set_deadline(uint64_t deadline_ns, timer_callback_fn fn)
{
    irq_flags_t flags = irq_save();

    timer.callback = fn;
    timer.deadline_ticks = ns_to_ticks(timer.rate, deadline_ns);
    timer.armed = true;
    deadline_arm();
    irq_restore(flags);
}

void timer_cancel(void)
{
    irq_flags_t flags = irq_save();

    timer.armed = false;
    deadline_stop();
    irq_restore(flags);
}

uint32_t timer_frequency(void)
{
    return timer.rate.frequency;
}
