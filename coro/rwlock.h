/*
 * CoRwLock: many readers or one writer, granted in FIFO order: a waiting
 * writer holds back readers that come after it, so writers do not starve.
 * A reader may upgrade to writer and a writer downgrade to reader.
 */
#ifndef CORO_RWLOCK_H
#define CORO_RWLOCK_H

#include "coro/queue.h"

struct co_rwlock {
    int holders;            /* > 0: that many readers; -1: one writer */
    struct co *writer;      /* the writer, while there is one */
    struct co_queue waiters;
};

#define CO_RWLOCK_INITIALIZER { 0, NULL, CO_QUEUE_INITIALIZER }

void co_rwlock_init(struct co_rwlock *l);
#define co_rwlock_rdlock(l) co_rwlock_lock_at((l), false, CO_SITE())
#define co_rwlock_wrlock(l) co_rwlock_lock_at((l), true, CO_SITE())
/* Releases the caller's write lock, or one of its read locks. Unlocking
 * another coroutine's write lock, or a read lock without holding one,
 * stops the kernel. */
#define co_rwlock_unlock(l) co_rwlock_unlock_at((l), CO_SITE())
/* Read lock to write lock, as QEMU's qemu_co_rwlock_upgrade(): at once if
 * the caller is the only reader and nobody waits; otherwise it gives up its
 * read lock and queues for the write lock behind whoever waits already. */
#define co_rwlock_upgrade(l) co_rwlock_upgrade_at((l), CO_SITE())
/* Write lock to read lock, letting the readers queued behind it in too. */
#define co_rwlock_downgrade(l) co_rwlock_downgrade_at((l), CO_SITE())

void co_rwlock_lock_at(struct co_rwlock *l, bool write, const struct co_site *site);
void co_rwlock_unlock_at(struct co_rwlock *l, const struct co_site *site);
void co_rwlock_upgrade_at(struct co_rwlock *l, const struct co_site *site);
void co_rwlock_downgrade_at(struct co_rwlock *l, const struct co_site *site);

#endif
