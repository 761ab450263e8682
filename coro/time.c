/*
 * Sleeps and wait deadlines: one list of waiting coroutines sorted by
 * deadline, and the hardware timer programmed for its head only.
 */
#include "coro/internal.h"
#include "coro/time.h"
#include "boot/cpu.h"
#include "drivers/timer/timer.h"

#include <errno.h>

static struct co *deadline_head;

static void co_timer_expired(void);

/* IRQs masked throughout: the list is shared with the timer interrupt. */
static void program_earliest(void)
{
    if (deadline_head) {
        timer_set_deadline(deadline_head->deadline_ns, co_timer_expired);
    } else {
        timer_cancel();
    }
}

void co_timer_add(struct co *co, uint64_t deadline_ns)
{
    struct co **link = &deadline_head;

    /* After every equal deadline: equal deadlines expire in arrival order. */
    while (*link && (*link)->deadline_ns <= deadline_ns) {
        link = &(*link)->timer_next;
    }
    co->deadline_ns = deadline_ns;
    co->timer_next = *link;
    co->timer_armed = 1;
    *link = co;
    if (deadline_head == co) {
        program_earliest();
    }
}

void co_timer_remove(struct co *co)
{
    struct co **link = &deadline_head;

    while (*link && *link != co) {
        link = &(*link)->timer_next;
    }
    if (*link) {
        int was_head = link == &deadline_head;
        *link = co->timer_next;
        if (was_head) {
            program_earliest();
        }
    }
    co->timer_armed = 0;
}

int co_timer_pending(void)
{
    return deadline_head != NULL;
}

/* Timer IRQ: every wait whose deadline has passed times out. */
static void co_timer_expired(void)
{
    uint64_t now = timer_now_ns();

    while (deadline_head && deadline_head->deadline_ns <= now) {
        struct co *co = deadline_head;
        deadline_head = co->timer_next;
        co->timer_armed = 0;
        co_wait_complete(co, co->wait_ticket, -ETIMEDOUT);
    }
    program_earliest();
}

uint64_t co_clock_ns(void)
{
    return timer_now_ns();
}

uint64_t co_deadline_in_ns(uint64_t ns)
{
    uint64_t now = co_clock_ns();

    return ns > CO_NO_DEADLINE - 1 - now ? CO_NO_DEADLINE - 1 : now + ns;
}

int co_sleep_until_at(uint64_t deadline_ns, const struct co_site *site)
{
    co_ticket_t ticket = co_wait_begin_at(CO_WAIT_IRQ, site);
    int result = co_wait_end(ticket, deadline_ns);

    return result == -ETIMEDOUT ? 0 : result;
}
