/* The owner is changed under the waiters' queue lock. */
#include "coro/mutex.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"
#include "boot/kernel.h"

void co_mutex_init(struct co_mutex *m)
{
    m->owner = NULL;
    co_queue_init(&m->waiters);
}

struct co *co_mutex_owner(const struct co_mutex *m)
{
    return m->owner;
}

bool co_mutex_trylock_at(struct co_mutex *m, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "co_mutex_trylock outside a coroutine");
    }
    irq_flags_t flags = co_queue_lock(&m->waiters);
    bool taken = m->owner == NULL;

    if (taken) {
        m->owner = self;
        self->locks_held++;
    }
    co_queue_unlock(&m->waiters, flags);
    return taken;
}

void co_mutex_lock_at(struct co_mutex *m, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "co_mutex_lock outside a coroutine");
    }
    if (m->owner == self) {
        co_misuse(self, site, "co_mutex_lock of a mutex this coroutine already holds");
    }
    irq_flags_t flags = co_queue_lock(&m->waiters);
    if (!m->owner) {
        m->owner = self;
        self->locks_held++;
        co_queue_unlock(&m->waiters, flags);
        return;
    }
    /* The unlocker makes us the owner before it wakes us. */
    co_ticket_t ticket = co_queue_wait_begin_locked(&m->waiters, CO_WAIT_COROUTINE, site);
    co_queue_unlock(&m->waiters, flags);
    co_queue_wait_end(&m->waiters, ticket, CO_NO_DEADLINE);
}

void co_mutex_unlock_at(struct co_mutex *m, const struct co_site *site)
{
    struct co *self = co_current();

    if (m->owner != self) {
        kernel_panic("co_mutex_unlock by a coroutine that does not own the mutex: coroutine '%s' at %s:%u "
                     "(owner: %s)",
                     co_name(self), site->file, site->line, m->owner ? co_name(m->owner) : "nobody");
    }
    self->locks_held--;
    irq_flags_t flags = co_queue_lock(&m->waiters);
    /* Handed over before the waiter is woken: once woken it may run on
     * another CPU. Nothing else wakes a mutex waiter, so it is the head. */
    struct co *next = m->waiters.head;
    m->owner = next;
    if (next) {
        next->locks_held++;
        co_queue_next_locked(&m->waiters);
    }
    co_queue_unlock(&m->waiters, flags);
}
