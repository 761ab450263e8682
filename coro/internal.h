/* Shared by the files of coro/; not for applications. */
#ifndef CORO_INTERNAL_H
#define CORO_INTERNAL_H

#include "coro/coro.h"
#include "coro_arch.h"

#define CO_STACK_PAINT  0xa5a5a5a5u   /* unused stack words, for the high-water mark */

/* Stops the kernel: "<what>: coroutine '<name>' at <file>:<line>". */
void co_misuse(const struct co *co, const struct co_site *site, const char *what)
    __attribute__((noreturn, cold));

/* co_init() without the pool check: co_create() uses it on its slots. */
struct co *co_prepare(struct co *co, co_fn fn, void *opaque, const struct co_site *site);

/* "running", "waiting", ... */
const char *co_state_name(const struct co *co);

/* Runs co from the main loop: co must be READY. */
void co_resume_ready(struct co *co);

/* Puts a coroutine back in its pool once it has terminated. */
void co_pool_release(struct co *co);

/* Names the running coroutine in a fault report (kernel_on_fault()). */
void co_describe_fault_context(void);

/* The registry behind co_dump(). */
void co_register(struct co *co);

/* Deadlines (coro/time.c); callers hold IRQs masked. */
void co_timer_add(struct co *co, uint64_t deadline_ns);
void co_timer_remove(struct co *co);
int co_timer_pending(void);

/* The main context: the stack reset set up, seen as a coroutine. */
extern struct co co_main;

/* Current while an interrupt handler runs. */
extern struct co co_irq;

/* Stops the kernel if interrupt handlers overflowed the IRQ stack. It is
 * checked each time the main loop finds nothing ready (before it sleeps or
 * returns) and by co_dump(), not on every interrupt, to keep the
 * interrupt path short. */
void co_check_irq_stack(void);

/* A real coroutine: neither the main context nor an interrupt handler,
 * which may not block, yield or be entered. */
static inline bool co_is_coroutine(const struct co *co)
{
    return co != &co_main && co != &co_irq;
}

static inline struct co *co_current(void)
{
    return co_arch_current();
}

#endif
