#include "coro/queue.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"

#include <errno.h>

void co_queue_init(struct co_queue *q)
{
    *q = (struct co_queue)CO_QUEUE_INITIALIZER;
}

/* Lock held. */
static struct co *queue_pop(struct co_queue *q)
{
    struct co *co = q->head;

    if (co) {
        q->head = co->queue_next;
        if (!q->head) {
            q->tail = NULL;
        }
    }
    return co;
}

/* Lock held. */
static void queue_push(struct co_queue *q, struct co *co)
{
    co->queue_next = NULL;
    if (q->tail) {
        q->tail->queue_next = co;
    } else {
        q->head = co;
    }
    q->tail = co;
}

/* Lock held: takes co off q if it is there (its deadline passed). */
static void queue_remove(struct co_queue *q, struct co *co)
{
    struct co *prev = NULL;

    for (struct co *it = q->head; it; prev = it, it = it->queue_next) {
        if (it == co) {
            if (prev) {
                prev->queue_next = co->queue_next;
            } else {
                q->head = co->queue_next;
            }
            if (q->tail == co) {
                q->tail = prev;
            }
            return;
        }
    }
}

co_ticket_t co_queue_wait_begin_locked(struct co_queue *q, enum co_wait_source source,
                                       const struct co_site *site)
{
    co_ticket_t ticket = co_wait_begin_at(source, site);

    queue_push(q, co_current());
    return ticket;
}

co_ticket_t co_queue_wait_begin_at(struct co_queue *q, const struct co_site *site)
{
    if (!co_is_coroutine(co_current())) {
        co_misuse(co_current(), site, "co_queue_wait outside a coroutine");
    }
    irq_flags_t flags = co_queue_lock(q);
    co_ticket_t ticket = co_queue_wait_begin_locked(q, CO_WAIT_COROUTINE, site);

    co_queue_unlock(q, flags);
    return ticket;
}

int co_queue_wait_end(struct co_queue *q, co_ticket_t ticket, uint64_t deadline_ns)
{
    /* co_queue_next() takes a waiter off before it wakes it with 0; any
     * other end (a deadline) leaves it queued. */
    int result = co_wait_end(ticket, deadline_ns);

    if (result != 0) {
        irq_flags_t flags = co_queue_lock(q);
        queue_remove(q, co_current());
        co_queue_unlock(q, flags);
    }
    return result;
}

int co_queue_wait_until_at(struct co_queue *q, uint64_t deadline_ns, const struct co_site *site)
{
    return co_queue_wait_end(q, co_queue_wait_begin_at(q, site), deadline_ns);
}

struct co *co_queue_next_locked(struct co_queue *q)
{
    struct co *co;

    /* A waiter whose deadline has just passed is still queued but already
     * woken: skip it, or this wakeup would be lost. It cannot have begun
     * another wait: leaving the queue takes the lock held here. */
    while ((co = queue_pop(q)) != NULL) {
        if (co_wait_complete(co, co->wait_ticket, 0)) {
            return co;
        }
    }
    return NULL;
}

struct co *co_queue_next_at(struct co_queue *q, const struct co_site *site)
{
    co_refuse_in_handler("co_queue_next in an interrupt handler (complete a wait with co_wait_complete(), or "
                      "post a semaphore defined CO_WAIT_IRQ)",
                      site);
    irq_flags_t flags = co_queue_lock(q);
    struct co *co = co_queue_next_locked(q);

    co_queue_unlock(q, flags);
    return co;
}

unsigned int co_queue_restart_all_at(struct co_queue *q, const struct co_site *site)
{
    co_refuse_in_handler("co_queue_restart_all in an interrupt handler (complete each wait with "
                      "co_wait_complete())",
                      site);
    unsigned int woken = 0;
    irq_flags_t flags = co_queue_lock(q);

    while (co_queue_next_locked(q)) {
        woken++;
    }
    co_queue_unlock(q, flags);
    return woken;
}
