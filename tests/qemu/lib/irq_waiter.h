/*
 * A coroutine's wait published for an interrupt handler to complete: what
 * every interrupt-driven driver does, for tests that play the device.
 *
 *     coroutine                               interrupt handler
 *     t = irq_waiter_arm(&w);
 *     (start the "device")
 *     r = co_wait_end(t, deadline);           irq_waiter_complete(&w, result);
 */
#ifndef TESTS_QEMU_LIB_IRQ_WAITER_H
#define TESTS_QEMU_LIB_IRQ_WAITER_H

#include "coro/coro.h"

/* volatile: written by one side, read by the other in IRQ context. */
struct irq_waiter {
    struct co *volatile co;
    volatile co_ticket_t ticket;
    volatile bool armed;
};

/* In the coroutine: begins a wait and publishes it. */
static inline co_ticket_t irq_waiter_arm(struct irq_waiter *w)
{
    co_ticket_t ticket = co_wait_begin(CO_WAIT_IRQ);

    w->co = co_self();
    w->ticket = ticket;
    w->armed = true;
    return ticket;
}

/* In the handler: completes the published wait, once. False if nothing was
 * armed, or if the wait had already ended (a timeout won the race). */
static inline bool irq_waiter_complete(struct irq_waiter *w, int result)
{
    if (!w->armed) {
        return false;
    }
    w->armed = false;
    return co_wait_complete(w->co, w->ticket, result);
}

#endif
