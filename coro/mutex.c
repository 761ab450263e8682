#include "coro/mutex.h"
#include "coro/internal.h"
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
    if (m->owner) {
        return false;
    }
    m->owner = self;
    self->locks_held++;
    return true;
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
    if (!m->owner) {
        m->owner = self;
        self->locks_held++;
        return;
    }
    /* The unlocker makes us the owner before it wakes us. */
    co_queue_wait_until_at(&m->waiters, CO_NO_DEADLINE, site);
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
    m->owner = co_queue_next(&m->waiters);
    if (m->owner) {
        m->owner->locks_held++;
    }
}
