/*
 * The scheduler: the ready queue, blocking waits and the main loop.
 *
 * Interrupt handlers complete waits (co_wait_complete), which puts the
 * waiter on the ready queue; they never switch stacks. The main loop enters
 * ready coroutines in thread context. What an interrupt handler can change
 * (a pending wait, the ready queue, the deadlines) is changed in thread
 * context only with IRQs masked; a completed wait is the waiter's alone.
 */
#include "coro/internal.h"
#include "arch/cpu.h"
#include "boot/kernel.h"

#include <errno.h>

/* One struct: the hot paths reach every field from one base address. */
static struct {
    struct co *ready_head;
    struct co *ready_tail;
    unsigned int blocked;           /* coroutines in CO_STATE_WAITING */
    unsigned int blocked_on_irq;    /* ... of which an IRQ will complete */
} sched;

/* IRQs masked. */
static void ready_push(struct co *co)
{
    co->state = CO_STATE_READY;
    co->ready_next = NULL;
    if (sched.ready_tail) {
        sched.ready_tail->ready_next = co;
    } else {
        sched.ready_head = co;
    }
    sched.ready_tail = co;
}

static struct co *ready_pop(void)
{
    irq_flags_t flags = irq_save();
    struct co *co = sched.ready_head;

    if (co) {
        sched.ready_head = co->ready_next;
        if (!sched.ready_head) {
            sched.ready_tail = NULL;
        }
    }
    irq_restore(flags);
    return co;
}

void co_wake_at(struct co *co, const struct co_site *site)
{
    /* A handler would race the main loop for co's state: it completes a
     * wait instead, which is made for that. */
    if (co_current() == &co_irq) {
        co_misuse(co_current(), site, "co_wake in an interrupt handler (complete a wait with co_wait_complete())");
    }
    if (co->state == CO_STATE_READY) {
        return;
    }
    if (co->state != CO_STATE_SUSPENDED || co->caller != NULL) {
        co_misuse(co, site, "co_wake of a coroutine that is not suspended");
    }
    irq_flags_t flags = irq_save();
    ready_push(co);
    irq_restore(flags);
}

co_ticket_t co_wait_begin_at(enum co_wait_source source, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "blocking outside a coroutine (the main context and interrupt handlers cannot wait)");
    }
    if (self->wait_state != CO_WAIT_NONE) {
        co_misuse(self, site, "co_wait_begin while this coroutine's last wait has not ended");
    }
    self->site = site;
    irq_flags_t flags = irq_save();
    co_ticket_t ticket = ++self->wait_ticket;
    self->wait_state = CO_WAIT_PENDING;
    self->wait_source = (uint8_t)source;
    irq_restore(flags);
    return ticket;
}

int co_wait_end(co_ticket_t ticket, uint64_t deadline_ns)
{
    struct co *self = co_current();

    if (ticket != self->wait_ticket || self->wait_state == CO_WAIT_NONE) {
        co_misuse(self, self->site, "co_wait_end without a matching co_wait_begin");
    }
    irq_flags_t flags = irq_save();
    if (self->wait_state == CO_WAIT_PENDING) {
        if (deadline_ns != CO_NO_DEADLINE) {
            co_timer_add(self, deadline_ns);
        }
        sched.blocked++;
        sched.blocked_on_irq += self->wait_source == CO_WAIT_IRQ;
        self->state = CO_STATE_WAITING;
        struct co *caller = self->caller;
        self->caller = NULL;
        irq_restore(flags);
        /* Back to whoever entered us; the main loop resumes us once the
         * wait is completed. */
        co_arch_switch(self, caller);
        /* Resumed: the wait is completed, and nothing else touches it. */
        self = co_current();
    } else {
        irq_restore(flags);
    }
    self->wait_state = CO_WAIT_NONE;
    return self->wait_result;
}

bool co_wait_complete(struct co *co, co_ticket_t ticket, int result)
{
    irq_flags_t flags = irq_save();

    if (co->wait_ticket != ticket || co->wait_state != CO_WAIT_PENDING) {
        irq_restore(flags);
        return false;
    }
    co->wait_state = CO_WAIT_COMPLETED;
    co->wait_result = result;
    if (co->timer_armed) {
        co_timer_remove(co);
    }
    if (co->state == CO_STATE_WAITING) {
        sched.blocked--;
        sched.blocked_on_irq -= co->wait_source == CO_WAIT_IRQ;
        ready_push(co);
    }
    irq_restore(flags);
    return true;
}

unsigned int co_run_ready(void)
{
    unsigned int entered = 0;
    struct co *co;

    while ((co = ready_pop()) != NULL) {
        co_resume_ready(co);
        entered++;
    }
    return entered;
}

int co_run(void)
{
    if (co_current() != &co_main) {
        co_misuse(co_current(), co_current()->site, "co_run outside the main context");
    }
    for (;;) {
        co_run_ready();
        /* Check and sleep with IRQs masked: a completion that lands after
         * the check still ends the WFI, so no wakeup is lost. */
        irq_save();
        if (sched.ready_head == NULL) {
            co_check_irq_stack();
            if (sched.blocked == 0) {
                irq_unmask();
                return 0;
            }
            if (sched.blocked_on_irq == 0 && !co_timer_pending()) {
                irq_unmask();
                kprintf("co_run: %u coroutine(s) blocked with nothing left to wake them\n", sched.blocked);
                return -EDEADLK;
            }
            cpu_wait_for_interrupt();
        }
        /* Unmasked whatever the caller had: the main loop lives on
         * interrupts. A pending one is taken here. */
        irq_unmask();
    }
}
