/* CoQueue operations for the locks built on it; not for applications. */
#ifndef CORO_QUEUE_INTERNAL_H
#define CORO_QUEUE_INTERNAL_H

#include "coro/queue.h"

/* Waits at the head of q instead of its tail (an upgrading reader). */
void co_queue_wait_first_at(struct co_queue *q, const struct co_site *site);

#endif
