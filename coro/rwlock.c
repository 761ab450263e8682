/*
 * The lock is handed over, not grabbed: whoever releases it decides which
 * waiters now hold it and sets `holders` for them before waking them.
 */
#include "coro/rwlock.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"

#define WRITER (-1)

void co_rwlock_init(struct co_rwlock *l)
{
    l->holders = 0;
    co_queue_init(&l->waiters);
}

/* Grants the lock to the waiters at the head of the queue that can have it
 * now: one writer, or every reader up to the first writer. */
static void grant_waiters(struct co_rwlock *l)
{
    while (l->waiters.head && l->holders != WRITER) {
        struct co *next = l->waiters.head;
        if (next->want_write) {
            if (l->holders != 0) {
                return;
            }
            l->holders = WRITER;
        } else {
            l->holders++;
        }
        co_queue_next(&l->waiters);
    }
}

static void wait_for_grant(struct co_rwlock *l, bool write, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "co_rwlock lock outside a coroutine");
    }
    self->want_write = write;
    co_queue_wait_until_at(&l->waiters, CO_NO_DEADLINE, site);
}

void co_rwlock_lock_at(struct co_rwlock *l, bool write, const struct co_site *site)
{
    if (co_queue_empty(&l->waiters)) {
        if (write && l->holders == 0) {
            l->holders = WRITER;
            return;
        }
        if (!write && l->holders >= 0) {
            l->holders++;
            return;
        }
    }
    wait_for_grant(l, write, site);
}

void co_rwlock_unlock_at(struct co_rwlock *l, const struct co_site *site)
{
    if (l->holders == 0) {
        co_misuse(co_current(), site, "co_rwlock_unlock of a lock nobody holds");
    }
    if (l->holders == WRITER) {
        l->holders = 0;
    } else {
        l->holders--;
    }
    grant_waiters(l);
}

void co_rwlock_upgrade_at(struct co_rwlock *l, const struct co_site *site)
{
    if (l->holders <= 0) {
        co_misuse(co_current(), site, "co_rwlock_upgrade without a read lock");
    }
    if (l->holders == 1) {
        l->holders = WRITER;
        return;
    }
    /* Give up our read lock and wait, first in line, for the others to go. */
    l->holders--;
    co_current()->want_write = true;
    co_queue_wait_first_at(&l->waiters, site);
}

void co_rwlock_downgrade_at(struct co_rwlock *l, const struct co_site *site)
{
    if (l->holders != WRITER) {
        co_misuse(co_current(), site, "co_rwlock_downgrade without the write lock");
    }
    l->holders = 1;
    grant_waiters(l);
}
