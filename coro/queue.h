/*
 * CoQueue: coroutines waiting in FIFO order for another coroutine to let
 * them go, as in QEMU. The building block of CoMutex and CoRwLock.
 */
#ifndef CORO_QUEUE_H
#define CORO_QUEUE_H

#include "coro/coro.h"

struct co_queue {
    struct co *head;
    struct co *tail;
};

#define CO_QUEUE_INITIALIZER { NULL, NULL }

void co_queue_init(struct co_queue *q);

/* Blocks the calling coroutine at the tail of q until co_queue_next() or
 * co_queue_restart_all() reaches it. */
#define co_queue_wait(q) co_queue_wait_until_at((q), CO_NO_DEADLINE, CO_SITE())

/* The same with a deadline (co_clock_ns() time): 0 if woken, -ETIMEDOUT if
 * the deadline came first (and the coroutine has left the queue). */
#define co_queue_wait_until(q, deadline_ns) co_queue_wait_until_at((q), (deadline_ns), CO_SITE())

/* Wakes the first waiter; returns it, or NULL if the queue was empty. */
struct co *co_queue_next(struct co_queue *q);

/* Wakes every waiter; returns how many. */
unsigned int co_queue_restart_all(struct co_queue *q);

bool co_queue_empty(const struct co_queue *q);

int co_queue_wait_until_at(struct co_queue *q, uint64_t deadline_ns, const struct co_site *site);

#endif
