#include "coro/queue.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"

#include <errno.h>

void co_queue_init(struct co_queue *q)
{
    q->head = NULL;
    q->tail = NULL;
}

bool co_queue_empty(const struct co_queue *q)
{
    return q->head == NULL;
}

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

void co_queue_push(struct co_queue *q, struct co *co)
{
    co->queue_next = NULL;
    if (q->tail) {
        q->tail->queue_next = co;
    } else {
        q->head = co;
    }
    q->tail = co;
}

void co_queue_remove(struct co_queue *q, struct co *co)
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

int co_queue_wait_until_at(struct co_queue *q, uint64_t deadline_ns, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "co_queue_wait outside a coroutine");
    }
    co_ticket_t ticket = co_wait_begin_at(CO_WAIT_COROUTINE, site);
    co_queue_push(q, self);

    /* co_queue_next() takes a waiter off before it wakes it with 0; any
     * other end (a deadline) leaves it queued. */
    int result = co_wait_end(ticket, deadline_ns);
    if (result != 0) {
        co_queue_remove(q, co_current());
    }
    return result;
}

struct co *co_queue_next(struct co_queue *q)
{
    struct co *co;

    /* A waiter whose deadline has just passed is still queued but already
     * woken: skip it, or this wakeup would be lost. */
    while ((co = queue_pop(q)) != NULL) {
        if (co_wait_complete(co, co->wait_ticket, 0)) {
            return co;
        }
    }
    return NULL;
}

unsigned int co_queue_restart_all(struct co_queue *q)
{
    unsigned int woken = 0;

    while (co_queue_next(q)) {
        woken++;
    }
    return woken;
}
