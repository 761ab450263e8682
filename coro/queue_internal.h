/* CoQueue operations for the locks built on it; not for applications. */
#ifndef CORO_QUEUE_INTERNAL_H
#define CORO_QUEUE_INTERNAL_H

#include "coro/queue.h"

/* The state of a lock built on q is changed under q->lock. */
static inline irq_flags_t co_queue_lock(struct co_queue *q)
{
    return spin_lock_irqsave(&q->lock);
}

static inline void co_queue_unlock(struct co_queue *q, irq_flags_t flags)
{
    spin_unlock_irqrestore(&q->lock, flags);
}

/* co_queue_wait_begin() with q->lock held, for a wait of the given source
 * (who will call co_queue_next()). */
co_ticket_t co_queue_wait_begin_locked(struct co_queue *q, enum co_wait_source source,
                                       const struct co_site *site);

/* co_queue_next() with q->lock held. */
struct co *co_queue_next_locked(struct co_queue *q);

#endif
