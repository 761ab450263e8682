/*
 * Sleeps and wait deadlines: the waiting coroutines in a heap ordered by
 * deadline, and the hardware timer programmed for the earliest only. The
 * heap is under co_sched_lock; the timer is the timekeeping CPU's
 * (CO_TIMEKEEPER_CPU), so with several CPUs one interrupt ends every wait.
 */
#include "coro/internal.h"
#include "coro/cpu.h"
#include "coro/time.h"
#include "coro/deadline_heap.h"
#include "arch/cpu.h"
#include "drivers/irq.h"
#include "drivers/timer.h"

#include <errno.h>

static struct deadline_heap deadlines;
static unsigned int deadlines_set;      /* on the heap, watchdogs' not counted */

static void co_timer_expired(void);

/* co_sched_lock held. */
static void program_earliest(void)
{
#if CONFIG_CPUS > 1
    if (co_this_cpu()->index != CO_TIMEKEEPER_CPU) {
        irq_send_ipi(CO_TIMEKEEPER_CPU, IRQ_IPI_WAKE);  /* it calls co_timer_retime() */
        return;
    }
#endif
    struct co *first = deadline_heap_first(&deadlines);

    if (first) {
        timer_set_deadline(first->deadline_ns, co_timer_expired);
    } else {
        timer_cancel();
    }
}

void co_timer_add(struct co *co, uint64_t deadline_ns)
{
    co->deadline_ns = deadline_ns;
    co->timer_armed = 1;
    deadlines_set += co->wait_source != CO_WAIT_WATCH;
    deadline_heap_insert(&deadlines, co);
    if (deadline_heap_first(&deadlines) == co) {
        program_earliest();
    }
}

void co_timer_remove(struct co *co)
{
    int was_first = deadline_heap_first(&deadlines) == co;

    deadline_heap_remove(&deadlines, co);
    co->timer_armed = 0;
    deadlines_set -= co->wait_source != CO_WAIT_WATCH;
    if (was_first) {
        program_earliest();
    }
}

int co_timer_pending(void)
{
    return deadlines_set != 0;
}

void co_timer_retime(void)
{
    if (co_this_cpu()->index == CO_TIMEKEEPER_CPU) {
        irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
        program_earliest();
        spin_unlock_irqrestore(&co_sched_lock, flags);
    }
}

/* Timer IRQ: every wait whose deadline has passed times out, earliest
 * first. */
static void co_timer_expired(void)
{
    uint64_t now = timer_now_ns();
    struct co *co;
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);

    while ((co = deadline_heap_first(&deadlines)) != NULL && co->deadline_ns <= now) {
        deadline_heap_remove(&deadlines, co);
        co->timer_armed = 0;
        deadlines_set -= co->wait_source != CO_WAIT_WATCH;
        co_wait_complete_locked(co, co->wait_ticket, -ETIMEDOUT);
    }
    program_earliest();
    spin_unlock_irqrestore(&co_sched_lock, flags);
}

uint64_t co_clock_ns(void)
{
    return timer_now_ns();
}

uint64_t co_deadline_in_ns(uint64_t ns)
{
    uint64_t now = co_clock_ns();

    return ns > CO_NO_DEADLINE - 1 - now ? CO_NO_DEADLINE - 1 : now + ns;
}

int co_sleep_until_at(uint64_t deadline_ns, const struct co_site *site)
{
    /* Nobody completes a sleep: its deadline ends it, and a sleep without
     * one (CO_NO_DEADLINE) is a coroutine nothing will ever wake. */
    co_ticket_t ticket = co_wait_begin_at(CO_WAIT_COROUTINE, site);
    int result = co_wait_end(ticket, deadline_ns);

    return result == -ETIMEDOUT ? 0 : result;
}
