/*
 * CoQueue: coroutines waiting in FIFO order for another coroutine to let
 * them go, as in QEMU. The building block of CoMutex, CoRwLock and
 * CoSemaphore, which keep their own state under the queue's lock (as a
 * Linux completion does under its wait queue's).
 */
#ifndef CORO_QUEUE_H
#define CORO_QUEUE_H

#include "coro/coro.h"
#include "boot/spinlock.h"

struct co_queue {
    struct co *head;
    struct co *tail;
    struct spinlock lock;   /* the links, against other CPUs and handlers */
};

#define CO_QUEUE_INITIALIZER { NULL, NULL, SPINLOCK_INIT("CoQueue") }

void co_queue_init(struct co_queue *q);

/* Blocks the calling coroutine at the tail of q until co_queue_next() or
 * co_queue_restart_all() reaches it. */
#define co_queue_wait(q) co_queue_wait_until_at((q), CO_NO_DEADLINE, CO_SITE())

/* The same with a deadline (co_clock_ns() time): 0 if woken, -ETIMEDOUT if
 * the deadline came first (and the coroutine has left the queue). */
#define co_queue_wait_until(q, deadline_ns) co_queue_wait_until_at((q), (deadline_ns), CO_SITE())

/* Wakes the first waiter; returns it, or NULL if the queue was empty.
 * Thread context only: a CoQueue's waiters wait for coroutines, so co_run()
 * would call them deadlocked while a handler could still wake them. A
 * handler completes a wait (co_wait_complete()) or posts a semaphore
 * defined CO_WAIT_IRQ instead. */
#define co_queue_next(q) co_queue_next_at((q), CO_SITE())
struct co *co_queue_next_at(struct co_queue *q, const struct co_site *site);

/* Wakes every waiter; returns how many. Thread context only. */
#define co_queue_restart_all(q) co_queue_restart_all_at((q), CO_SITE())
unsigned int co_queue_restart_all_at(struct co_queue *q, const struct co_site *site);

/* Whether nobody waits: exact under a lock that every wait on q begins
 * under (see co_queue_wait_begin()), a snapshot otherwise. Inline: a
 * block request asks twice on its way. */
static inline bool co_queue_empty(const struct co_queue *q)
{
    return q->head == NULL;
}

/*
 * A wait in two halves, for code that decides to wait under a spinlock of
 * its own, shared with another CPU or a handler: begin queues the calling
 * coroutine, so that a co_queue_next() from then on is not lost; the
 * caller releases its lock; end blocks until woken (0) or until the
 * deadline (-ETIMEDOUT, off the queue again).
 *
 *     irq_flags_t flags = spin_lock_irqsave(&dev->lock);
 *     while (!dev->ready) {
 *         co_ticket_t ticket = co_queue_wait_begin(&dev->waiters);
 *         spin_unlock_irqrestore(&dev->lock, flags);
 *         co_queue_wait_end(&dev->waiters, ticket, CO_NO_DEADLINE);
 *         flags = spin_lock_irqsave(&dev->lock);
 *     }
 */
#define co_queue_wait_begin(q) co_queue_wait_begin_at((q), CO_SITE())
int co_queue_wait_end(struct co_queue *q, co_ticket_t ticket, uint64_t deadline_ns);

int co_queue_wait_until_at(struct co_queue *q, uint64_t deadline_ns, const struct co_site *site);
co_ticket_t co_queue_wait_begin_at(struct co_queue *q, const struct co_site *site);

#endif
