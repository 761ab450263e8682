/*
 * CoMutex: a lock held across blocking calls. Unlock hands the lock straight
 * to the first waiter (FIFO), so no waiter starves and nobody barges in.
 */
#ifndef CORO_MUTEX_H
#define CORO_MUTEX_H

#include "coro/queue.h"

struct co_mutex {
    struct co *owner;
    struct co_queue waiters;
};

#define CO_MUTEX_INITIALIZER { NULL, CO_QUEUE_INITIALIZER }

void co_mutex_init(struct co_mutex *m);

/* Only in a coroutine; locking a mutex you hold stops the kernel. */
#define co_mutex_lock(m) co_mutex_lock_at((m), CO_SITE())
/* Unlocking a mutex you do not hold stops the kernel with both names. */
#define co_mutex_unlock(m) co_mutex_unlock_at((m), CO_SITE())

/* Takes the mutex if it is free; never blocks. Only in a coroutine, like
 * co_mutex_lock(): an interrupt handler or the main context cannot own it. */
#define co_mutex_trylock(m) co_mutex_trylock_at((m), CO_SITE())

struct co *co_mutex_owner(const struct co_mutex *m);

bool co_mutex_trylock_at(struct co_mutex *m, const struct co_site *site);
void co_mutex_lock_at(struct co_mutex *m, const struct co_site *site);
void co_mutex_unlock_at(struct co_mutex *m, const struct co_site *site);

#endif
