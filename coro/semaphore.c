#include "coro/semaphore.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"

#include <errno.h>
#include <limits.h>

/* The count is changed under the waiters' queue lock, which also masks
 * IRQs: a post may come from an interrupt handler. */

void co_semaphore_init(struct co_semaphore *s, unsigned int count, enum co_wait_source posted_by)
{
    s->count = count;
    s->posted_by = posted_by;
    co_queue_init(&s->waiters);
}

unsigned int co_semaphore_count(const struct co_semaphore *s)
{
    return s->count;
}

bool co_semaphore_trywait(struct co_semaphore *s)
{
    irq_flags_t flags = co_queue_lock(&s->waiters);
    bool taken = s->count > 0;

    s->count -= taken;
    co_queue_unlock(&s->waiters, flags);
    return taken;
}

int co_semaphore_wait_until_at(struct co_semaphore *s, uint64_t deadline_ns, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "co_semaphore_wait outside a coroutine");
    }
    irq_flags_t flags = co_queue_lock(&s->waiters);
    if (s->count > 0) {
        s->count--;
        co_queue_unlock(&s->waiters, flags);
        return 0;
    }
    co_ticket_t ticket = co_queue_wait_begin_locked(&s->waiters, s->posted_by, site);
    co_queue_unlock(&s->waiters, flags);

    /* 0 means a post took us off the queue and handed us its unit. */
    return co_queue_wait_end(&s->waiters, ticket, deadline_ns);
}

void co_semaphore_post_at(struct co_semaphore *s, const struct co_site *site)
{
    if (co_is_irq(co_current()) && s->posted_by != CO_WAIT_IRQ) {
        co_misuse(co_current(), site,
                  "co_semaphore_post in an interrupt handler of a semaphore defined as posted by coroutines "
                  "(CO_WAIT_COROUTINE)");
    }
    irq_flags_t flags = co_queue_lock(&s->waiters);
    /* co_queue_next_locked() skips a waiter whose deadline has passed. */
    if (!co_queue_next_locked(&s->waiters)) {
        if (s->count == UINT_MAX) {
            co_misuse(co_current(), site, "co_semaphore_post beyond UINT_MAX units");
        }
        s->count++;
    }
    co_queue_unlock(&s->waiters, flags);
}
