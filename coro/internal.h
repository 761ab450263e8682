/* Shared by the files of coro/; not for applications. */
#ifndef CORO_INTERNAL_H
#define CORO_INTERNAL_H

#include "coro/coro.h"
#include "coro_arch.h"
#include "boot/spinlock.h"

#define CO_STACK_PAINT  0xa5a5a5a5u   /* unused stack words, for the high-water mark */

/* Stops the kernel: "<what>: coroutine '<name>' at <file>:<line>". */
void co_misuse(const struct co *co, const struct co_site *site, const char *what)
    __attribute__((noreturn, cold));

/* co_init() without the pool check: co_create() uses it on its slots. */
struct co *co_prepare(struct co *co, co_fn fn, void *opaque, const struct co_site *site);

/* "running", "waiting", ... */
const char *co_state_name(const struct co *co);

/* Puts a coroutine back in its pool once it has terminated. */
void co_pool_release(struct co *co);

/* Names the running coroutine in a fault report (kernel_on_fault()). */
void co_describe_fault_context(void);

/* The registry behind co_dump(). */
void co_register(struct co *co);

/* co_enter() and co_yield() refused (called from coro/arch/<arch>/switch.S
 * and, with several CPUs, co_enter_claim()): the report names the
 * coroutine and the call site. */
void co_enter_refused(const struct co *co, const struct co_site *site) __attribute__((noreturn, cold));
void co_yield_refused(const struct co_site *site) __attribute__((noreturn, cold));

/* The lock of the ready queue, of every coroutine's pending wait and of
 * the deadlines (coro/sched.c). */
extern struct spinlock co_sched_lock;

/* co_wait_complete() with co_sched_lock held. */
bool co_wait_complete_locked(struct co *co, co_ticket_t ticket, int result);

/* Waits in a row that may complete before their coroutine blocks before
 * it yields to its caller anyway (co_wait_end()). */
#define CO_EARLY_WAITS_MAX 16u

/* Deadlines (coro/time.c); callers hold co_sched_lock. */
void co_timer_add(struct co *co, uint64_t deadline_ns);
void co_timer_remove(struct co *co);
/* Whether a deadline other than a watchdog's (CO_WAIT_WATCH) is set. */
int co_timer_pending(void);

/* The deadlines are timed by one CPU's timer; another CPU that changes the
 * earliest wakes that one (IRQ_IPI_WAKE), which then calls this. */
#define CO_TIMEKEEPER_CPU 0
void co_timer_retime(void);

/* Sets up the calling CPU (cpu_index()) and registers it with the
 * scheduler, IRQs masked: the first CPU before main(), the others as they
 * start, before the first CPU starts the next (kernel_on_cpu_start()). */
void co_cpu_start(void);

/* Another CPU's main loop, once co_cpu_start() has made it ready: runs
 * coroutines for good. */
void co_cpu_run(void) __attribute__((noreturn));

/* Stops the kernel if interrupt handlers overflowed this CPU's IRQ stack.
 * It is checked each time the main loop finds nothing ready (before it
 * sleeps or returns) and by co_dump(), not on every interrupt, to keep the
 * interrupt path short. */
void co_check_irq_stack(void);

/* A real coroutine: neither a main context nor an interrupt handler's
 * stand-in, which may not block, yield or be entered. */
static inline bool co_is_coroutine(const struct co *co)
{
    return co->state < CO_STATE_MAIN;
}

static inline bool co_is_irq(const struct co *co)
{
    return co->state == CO_STATE_IRQ;
}

static inline struct co *co_current(void)
{
    return co_arch_current();
}

/* Stops the kernel, naming `what` and the call site, if an interrupt
 * handler made the call. */
static inline void co_refuse_in_handler(const char *what, const struct co_site *site)
{
    if (co_is_irq(co_current())) {
        co_misuse(co_current(), site, what);
    }
}

/* Waits until co's last switch away from it, on whichever CPU, has saved
 * its sp (see on_cpu): before it is resumed or its stack is painted anew.
 * The window is a few instructions of the switch. */
static inline void co_wait_switched_off(const struct co *co)
{
#if CONFIG_CPUS > 1
    while (co->on_cpu) {
    }
    dmb_ish();
#else
    (void)co;
#endif
}

#endif
