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

/* In the coroutine: begins a wait and publishes it. With several CPUs the
 * flag is stored last with release order: a handler on another CPU that
 * sees it set must see this wait's coroutine and ticket too, not an older
 * ticket it would complete nothing with (ARM keeps plain stores in no
 * order for other CPUs). */
static inline co_ticket_t irq_waiter_arm(struct irq_waiter *w)
{
    co_ticket_t ticket = co_wait_begin(CO_WAIT_IRQ);

    w->co = co_self();
    w->ticket = ticket;
#if CONFIG_CPUS > 1
    __atomic_store_n(&w->armed, true, __ATOMIC_RELEASE);
#else
    w->armed = true;
#endif
    return ticket;
}

/* Takes the armed flag: on one CPU a handler runs to its end before the
 * code it interrupted goes on, so a read and a write are enough (and the
 * IRQ benchmark measures the kernel, not an atomic of its own); with
 * several CPUs the two sides may race, so the take is atomic. */
static inline bool irq_waiter_disarm(struct irq_waiter *w)
{
#if CONFIG_CPUS > 1
    return __atomic_exchange_n(&w->armed, false, __ATOMIC_ACQ_REL);
#else
    bool armed = w->armed;
    w->armed = false;
    return armed;
#endif
}

/* In the handler: completes the published wait, once. False if nothing was
 * armed, or if the wait had already ended (a timeout won the race). The
 * waiter may call it too, to end its own wait: only one of the two takes
 * the armed flag, so only one completes it. */
static inline bool irq_waiter_complete(struct irq_waiter *w, int result)
{
    if (!irq_waiter_disarm(w)) {
        return false;
    }
    return co_wait_complete(w->co, w->ticket, result);
}

#endif
