/*
 * CoSemaphore: a count of units (free buffers, received bytes, slots in a
 * FIFO) that coroutines take one at a time, waiting while there are none.
 * A post hands its unit straight to the longest waiter, so waiters are
 * served in order and nobody barges in.
 *
 * Unlike the locks, a semaphore can be posted from an interrupt handler:
 * the usual way for a driver's handler to say "data arrived" to the
 * coroutine reading it. Say so when defining it (CO_WAIT_IRQ), so that
 * co_run() knows an interrupt may still wake its waiters; one defined with
 * CO_WAIT_COROUTINE is posted by coroutines only, and co_run() reports its
 * waiters as a deadlock once no coroutine is left to post.
 */
#ifndef CORO_SEMAPHORE_H
#define CORO_SEMAPHORE_H

#include "coro/queue.h"

struct co_semaphore {
    unsigned int count;
    enum co_wait_source posted_by;
    struct co_queue waiters;
};

#define CO_SEMAPHORE_INITIALIZER(count, posted_by) { (count), (posted_by), CO_QUEUE_INITIALIZER }

void co_semaphore_init(struct co_semaphore *s, unsigned int count, enum co_wait_source posted_by);

/* Takes a unit, blocking the calling coroutine while there is none. */
#define co_semaphore_wait(s) co_semaphore_wait_until_at((s), CO_NO_DEADLINE, CO_SITE())

/* The same with a deadline (co_clock_ns() time): 0 with a unit taken, or
 * -ETIMEDOUT with none. */
#define co_semaphore_wait_until(s, deadline_ns) co_semaphore_wait_until_at((s), (deadline_ns), CO_SITE())

/* Takes a unit if there is one; never blocks. Any context. */
bool co_semaphore_trywait(struct co_semaphore *s);

/* Gives a unit back, to the first waiter if there is one. Any context, an
 * interrupt handler's too if the semaphore is CO_WAIT_IRQ. */
#define co_semaphore_post(s) co_semaphore_post_at((s), CO_SITE())

/* Units free now. */
unsigned int co_semaphore_count(const struct co_semaphore *s);

int co_semaphore_wait_until_at(struct co_semaphore *s, uint64_t deadline_ns, const struct co_site *site);
void co_semaphore_post_at(struct co_semaphore *s, const struct co_site *site);

#endif
