/*
 * The lock is handed over, not grabbed: whoever releases it decides which
 * waiters now hold it and sets `holders` for them before waking them. The
 * state is changed under the waiters' queue lock.
 */
#include "coro/rwlock.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"

#define WRITER (-1)

void co_rwlock_init(struct co_rwlock *l)
{
    l->holders = 0;
    l->writer = NULL;
    co_queue_init(&l->waiters);
}

/* Where co records its read lock on l, or -1. */
static int read_lock_slot(const struct co *co, const struct co_rwlock *l)
{
    for (int i = 0; i < co->read_locks_held; i++) {
        if (co->read_locks[i] == l) {
            return i;
        }
    }
    return -1;
}

/* Makes co a holder: the writer, or one more reader. Callers have checked
 * that a reader has a free slot (check_read_slot()). */
static void grant(struct co_rwlock *l, struct co *co, bool write)
{
    if (write) {
        l->holders = WRITER;
        l->writer = co;
    } else {
        l->holders++;
        co->read_locks[co->read_locks_held++] = l;
    }
    co->locks_held++;
}

static void release(struct co_rwlock *l, struct co *co)
{
    if (l->holders == WRITER) {
        l->holders = 0;
        l->writer = NULL;
    } else {
        l->holders--;
        co->read_locks[read_lock_slot(co, l)] = co->read_locks[--co->read_locks_held];
    }
    co->locks_held--;
}

static void check_read_slot(const char *what, const struct co_site *site)
{
    if (co_current()->read_locks_held == CO_READ_LOCKS_MAX) {
        co_misuse(co_current(), site, what);
    }
}

/* Grants the lock to the waiters at the head of the queue that can have it
 * now: one writer, or every reader up to the first writer. */
static void grant_waiters(struct co_rwlock *l)
{
    while (l->waiters.head && l->holders != WRITER) {
        struct co *next = l->waiters.head;
        if (next->want_write && l->holders != 0) {
            return;
        }
        grant(l, next, next->want_write);
        co_queue_next_locked(&l->waiters);
    }
}

/* Stops the kernel unless the caller holds the lock: the write lock, or a
 * read lock on it. */
static void check_holder(const struct co_rwlock *l, bool write, const char *what, const struct co_site *site)
{
    struct co *self = co_current();
    bool holds = write ? l->holders == WRITER && l->writer == self
                       : l->holders > 0 && read_lock_slot(self, l) >= 0;

    if (!holds) {
        co_misuse(self, site, what);
    }
}

/* Lock held, which this releases: queues the caller until it is granted
 * the lock. */
static void wait_for_grant(struct co_rwlock *l, bool write, irq_flags_t flags, const struct co_site *site)
{
    co_current()->want_write = write;
    co_ticket_t ticket = co_queue_wait_begin_locked(&l->waiters, CO_WAIT_COROUTINE, site);
    co_queue_unlock(&l->waiters, flags);
    co_queue_wait_end(&l->waiters, ticket, CO_NO_DEADLINE);
}

void co_rwlock_lock_at(struct co_rwlock *l, bool write, const struct co_site *site)
{
    if (!co_is_coroutine(co_current())) {
        co_misuse(co_current(), site, "co_rwlock lock outside a coroutine");
    }
    if (!write) {
        check_read_slot("co_rwlock_rdlock beyond CO_READ_LOCKS_MAX read locks held at once", site);
    }
    irq_flags_t flags = co_queue_lock(&l->waiters);
    if (co_queue_empty(&l->waiters) && (write ? l->holders == 0 : l->holders >= 0)) {
        grant(l, co_current(), write);
        co_queue_unlock(&l->waiters, flags);
        return;
    }
    /* Queued: whoever releases the lock grants it (grant_waiters()). */
    wait_for_grant(l, write, flags, site);
}

void co_rwlock_unlock_at(struct co_rwlock *l, const struct co_site *site)
{
    irq_flags_t flags = co_queue_lock(&l->waiters);
    if (l->holders == 0) {
        co_misuse(co_current(), site, "co_rwlock_unlock of a lock nobody holds");
    }
    check_holder(l, l->holders == WRITER, l->holders == WRITER
                     ? "co_rwlock_unlock of a write lock another coroutine holds"
                     : "co_rwlock_unlock of a read lock this coroutine does not hold",
                 site);
    release(l, co_current());
    grant_waiters(l);
    co_queue_unlock(&l->waiters, flags);
}

void co_rwlock_upgrade_at(struct co_rwlock *l, const struct co_site *site)
{
    irq_flags_t flags = co_queue_lock(&l->waiters);
    check_holder(l, false, "co_rwlock_upgrade without a read lock", site);
    struct co *self = co_current();
    release(l, self);
    /* QEMU's rule (qemu_co_rwlock_upgrade): at once only for the sole
     * reader with nobody waiting; otherwise, for fairness, behind whoever
     * queued first. Our read lock is gone: if it was the last, the head of
     * the queue may go now. */
    if (l->holders == 0 && co_queue_empty(&l->waiters)) {
        grant(l, self, true);
        co_queue_unlock(&l->waiters, flags);
        return;
    }
    grant_waiters(l);
    wait_for_grant(l, true, flags, site);
}

void co_rwlock_downgrade_at(struct co_rwlock *l, const struct co_site *site)
{
    irq_flags_t flags = co_queue_lock(&l->waiters);
    check_holder(l, true, "co_rwlock_downgrade without the write lock", site);
    check_read_slot("co_rwlock_downgrade beyond CO_READ_LOCKS_MAX read locks held at once", site);
    struct co *self = co_current();
    release(l, self);
    grant(l, self, false);
    grant_waiters(l);
    co_queue_unlock(&l->waiters, flags);
}
