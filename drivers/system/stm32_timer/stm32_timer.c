#include "drivers/system/stm32_timer/stm32_timer.h"
#include "drivers/timer.h"
#include "drivers/irq.h"
#include "drivers/system/ticks.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"

#include <stdbool.h>
#include <stddef.h>

/* The general-purpose timer's registers, in 32-bit words. */
#define TIM_CR1         (0x00 / 4)
#define TIM_DIER        (0x0c / 4)
#define TIM_SR          (0x10 / 4)
#define TIM_EGR         (0x14 / 4)
#define TIM_CNT         (0x24 / 4)
#define TIM_PSC         (0x28 / 4)  /* counts every PSC + 1 input clocks */
#define TIM_ARR         (0x2c / 4)  /* wraps after counting to this */

#define TIM_CR1_CEN     (1u << 0)
#define TIM_CR1_URS     (1u << 2)   /* only a wrap interrupts, not the UG below */
#define TIM_DIER_UIE    (1u << 0)
#define TIM_SR_UIF      (1u << 0)
#define TIM_EGR_UG      (1u << 0)   /* loads PSC now, not at the next wrap, and clears CNT */

/* SysTick's registers, in 32-bit words. */
#define SYST_CSR        (0x0 / 4)
#define SYST_RVR        (0x4 / 4)   /* the exception comes RVR + 1 ticks after a restart */
#define SYST_CVR        (0x8 / 4)   /* any write clears it: a restart */

#define SYST_CSR_ENABLE     (1u << 0)
#define SYST_CSR_TICKINT    (1u << 1)
#define SYST_CSR_CLKSOURCE  (1u << 2)   /* the processor clock */
#define SYST_MAX            0x00ffffffu
#define RELOAD_POLLS        1000u       /* reads of CVR that wait for SysTick's first reload */

static struct {
    volatile uint32_t *tim;
    volatile uint32_t *systick;
    struct ticks_rate rate;
    uint32_t cycles_per_tick;       /* SysTick's ticks in one of the clock's */
    uint32_t high;                  /* the clock's upper 32 bits */
    uint32_t last;                  /* CNT as last read: a smaller one has wrapped */
    uint64_t deadline;
    bool armed;
    timer_callback_fn callback;
    uint64_t alarm;
    bool alarm_armed;
    unsigned int alarm_irq;
} timer;

/* With IRQs masked. The counter's wrap is seen here, by whichever read
 * comes first after it: the wrap interrupt makes sure one does. */
static uint64_t now_ticks(void)
{
    uint32_t count = timer.tim[TIM_CNT];

    if (count < timer.last) {
        timer.high++;
    }
    timer.last = count;
    return (uint64_t)timer.high << 32 | count;
}

static void counter_irq(void *arg)
{
    (void)arg;
    timer.tim[TIM_SR] = ~TIM_SR_UIF;    /* its bits clear on a write of 0 */
    (void)now_ticks();
}

/* SysTick counts down to the earliest deadline, or as far towards it as
 * 24 bits reach, and is off without one. With IRQs masked. */
static void deadline_arm(void)
{
    if (!timer.armed && !timer.alarm_armed) {
        timer.systick[SYST_CSR] = SYST_CSR_CLKSOURCE;
        write_icsr(ICSR_PENDSTCLR);     /* an expiry not yet taken is replaced */
        return;
    }
    uint64_t end = timer.armed ? timer.deadline : timer.alarm;
    if (timer.alarm_armed && timer.alarm < end) {
        end = timer.alarm;
    }
    uint64_t now = now_ticks();
    uint64_t left = end > now ? end - now : 0;
    uint64_t cycles = left * timer.cycles_per_tick;

    /* Never early: SysTick fires a cycle past the clock's tick. */
    timer.systick[SYST_RVR] = cycles >= SYST_MAX ? SYST_MAX : cycles > 0 ? (uint32_t)cycles : 1u;
    timer.systick[SYST_CVR] = 0;
    write_icsr(ICSR_PENDSTCLR);
    timer.systick[SYST_CSR] = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
    /* Every later period is one of the clock's ticks. QEMU 7.2's SysTick,
     * with the CPU asleep in WFI, lets the end of a restarted period pass
     * without waking it and wakes it at the next end: the deadline came a
     * whole period late. A tick later, now. On a chip the first end is
     * taken, and the handler re-arms or stops SysTick before the next.
     * The reload from RVR has come once CVR is no longer 0. In QEMU the
     * reload comes from its timer thread, which a loaded host can keep
     * waiting for as long as this polls (a run hung here): after
     * RELOAD_POLLS reads the periods stay as they are, and a deadline
     * may come a period late, as without this. */
    for (unsigned int polls = 0; polls < RELOAD_POLLS; polls++) {
        if (timer.systick[SYST_CVR] != 0) {
            timer.systick[SYST_RVR] = timer.cycles_per_tick;
            return;
        }
    }
}

static void deadline_irq(void *arg)
{
    (void)arg;
    uint64_t now = now_ticks();

    if (timer.alarm_armed && now >= timer.alarm) {
        timer.alarm_armed = false;
        irq_raise(timer.alarm_irq);     /* taken once this handler returns */
    }
    if (timer.armed && now >= timer.deadline) {
        timer.armed = false;
        timer.callback();
    }
    deadline_arm();     /* what is left, or a deadline beyond one count-down */
}

void stm32_timer_init(uintptr_t tim_base, unsigned int tim_irq, uint32_t tim_hz,
                      uintptr_t systick_base, unsigned int systick_irq, uint32_t cpu_hz)
{
    timer.tim = (volatile uint32_t *)tim_base;
    timer.systick = (volatile uint32_t *)systick_base;
    timer.rate = ticks_rate(STM32_TIMER_HZ);
    timer.cycles_per_tick = cpu_hz / STM32_TIMER_HZ;
    timer.systick[SYST_CSR] = SYST_CSR_CLKSOURCE;

    timer.tim[TIM_CR1] = 0;
    timer.tim[TIM_PSC] = tim_hz / STM32_TIMER_HZ - 1u;
    timer.tim[TIM_ARR] = 0xffffffffu;
    timer.tim[TIM_EGR] = TIM_EGR_UG;
    timer.tim[TIM_SR] = 0;
    timer.tim[TIM_DIER] = TIM_DIER_UIE;
    timer.tim[TIM_CR1] = TIM_CR1_URS | TIM_CR1_CEN;
    irq_register(tim_irq, counter_irq, NULL);
    irq_register(systick_irq, deadline_irq, NULL);
}

uint64_t stm32_timer_count(void)
{
    irq_flags_t flags = irq_save();
    uint64_t now = now_ticks();

    irq_restore(flags);
    return now;
}

void stm32_timer_alarm_at(uint64_t count, unsigned int irq)
{
    irq_flags_t flags = irq_save();

    timer.alarm = count;
    timer.alarm_irq = irq;
    timer.alarm_armed = true;
    deadline_arm();
    irq_restore(flags);
}

void stm32_timer_alarm_stop(void)
{
    irq_flags_t flags = irq_save();

    timer.alarm_armed = false;
    deadline_arm();
    irq_restore(flags);
}

uint64_t timer_now_ns(void)
{
    return ticks_to_ns(timer.rate, stm32_timer_count());
}

void timer_set_deadline(uint64_t deadline_ns, timer_callback_fn fn)
{
    irq_flags_t flags = irq_save();

    timer.callback = fn;
    timer.deadline = ns_to_ticks(timer.rate, deadline_ns);
    timer.armed = true;
    deadline_arm();
    irq_restore(flags);
}

void timer_cancel(void)
{
    irq_flags_t flags = irq_save();

    timer.armed = false;
    deadline_arm();
    irq_restore(flags);
}

uint32_t timer_frequency(void)
{
    return timer.rate.frequency;
}
