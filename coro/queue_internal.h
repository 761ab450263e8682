/* CoQueue operations for the locks built on it; not for applications. */
#ifndef CORO_QUEUE_INTERNAL_H
#define CORO_QUEUE_INTERNAL_H

#include "coro/queue.h"

/* The links alone, for waits that must queue with IRQs masked (a
 * semaphore posted by interrupt handlers): co must be in a wait. */
void co_queue_push(struct co_queue *q, struct co *co);
/* Takes co off q if it is there (it timed out). */
void co_queue_remove(struct co_queue *q, struct co *co);

#endif
