#include "coro/semaphore.h"
#include "coro/internal.h"
#include "coro/queue_internal.h"
#include "arch/cpu.h"

#include <errno.h>
#include <limits.h>

/* The count and the queue are changed with IRQs masked: a post may come
 * from an interrupt handler. */

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
    irq_flags_t flags = irq_save();
    bool taken = s->count > 0;

    s->count -= taken;
    irq_restore(flags);
    return taken;
}

int co_semaphore_wait_until_at(struct co_semaphore *s, uint64_t deadline_ns, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "co_semaphore_wait outside a coroutine");
    }
    irq_flags_t flags = irq_save();
    if (s->count > 0) {
        s->count--;
        irq_restore(flags);
        return 0;
    }
    co_ticket_t ticket = co_wait_begin_at(s->posted_by, site);
    co_queue_push(&s->waiters, self);
    irq_restore(flags);

    /* 0 means a post took us off the queue and handed us its unit; any
     * other end (a deadline) leaves us queued. */
    int result = co_wait_end(ticket, deadline_ns);
    if (result != 0) {
        flags = irq_save();
        co_queue_remove(&s->waiters, co_current());
        irq_restore(flags);
    }
    return result;
}

void co_semaphore_post_at(struct co_semaphore *s, const struct co_site *site)
{
    if (co_is_irq(co_current()) && s->posted_by != CO_WAIT_IRQ) {
        co_misuse(co_current(), site,
                  "co_semaphore_post in an interrupt handler of a semaphore defined as posted by coroutines "
                  "(CO_WAIT_COROUTINE)");
    }
    irq_flags_t flags = irq_save();
    /* co_queue_next() skips a waiter whose deadline has passed. */
    if (!co_queue_next(&s->waiters)) {
        if (s->count == UINT_MAX) {
            co_misuse(co_current(), site, "co_semaphore_post beyond UINT_MAX units");
        }
        s->count++;
    }
    irq_restore(flags);
}
