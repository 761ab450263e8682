/*
 * Stackful coroutines with QEMU's semantics, on static stacks, no heap.
 *
 * A coroutine runs until it yields or returns; co_yield() goes back to
 * whoever entered it. Code that must wait for something (a device, a timer,
 * another coroutine) blocks with co_wait_begin()/co_wait_end(), or with the
 * primitives built on them (CoQueue, CoMutex, CoRwLock, co_sleep_*), and is
 * resumed later by the main loop, co_run().
 *
 *     CO_DEFINE(blinker, 4096);
 *
 *     static void blink(void *opaque) { ... co_sleep_ms(500); ... }
 *
 *     int main(void)
 *     {
 *         co_enter(co_init(&blinker, blink, NULL));
 *         return co_run();
 *     }
 *
 * Misuse (entering a running coroutine, yielding outside one, ...) stops
 * the kernel with a message naming the coroutine, file and line.
 */
#ifndef CORO_CORO_H
#define CORO_CORO_H

#include "boot/guard.h"
#include "coro/co_types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Defines a coroutine object `name` with a stack of stack_size bytes (a
 * multiple of 8) at file scope; the stack lives in the linker script's
 * .stacks section, on pages of its own above an unmapped guard page
 * (boot/guard.h). Prepare it to run with co_init(&name, fn, opaque).
 */
#define CO_DEFINE(name, stack_size)                                                            \
    _Static_assert((stack_size) % 8 == 0 && (stack_size) >= CO_STACK_MIN,                      \
                   "coroutine stack size must be a multiple of 8 and at least CO_STACK_MIN");  \
    GUARDED_STACKS(name##_stack_, #name, 1, (stack_size));                                     \
    struct co name = CO_STATIC_INITIALIZER(#name, GUARDED_STACK(name##_stack_, 0), (stack_size))

/*
 * Defines an array of count coroutines, each with its own stack of
 * stack_size bytes above a guard page of its own. Prepare element i with
 * co_init_element(array, i, fn, opaque); co_dump() shows it as array #i.
 *
 * The array is zeroed (.bss); a constructor of priority 101, which runs
 * before main() and before every constructor of default priority, gives
 * each element its name and stack and marks it "never initialised".
 * An initialiser would put every element in .data, bytes to load or copy
 * from flash. (The array is declared twice: the second declaration takes
 * the semicolon after the macro.)
 */
#define CO_DEFINE_ARRAY(array, count, stack_size)                                              \
    _Static_assert((stack_size) % 8 == 0 && (stack_size) >= CO_STACK_MIN,                      \
                   "coroutine stack size must be a multiple of 8 and at least CO_STACK_MIN");  \
    GUARDED_STACKS(array##_stacks_, #array, count, (stack_size));                              \
    struct co array[count];                                                                    \
    __attribute__((constructor(101))) static void array##_setup_(void)                        \
    {                                                                                          \
        co_array_setup(array, count, #array, GUARDED_STACK(array##_stacks_, 0),                \
                       GUARDED_STACK_STRIDE(stack_size), (stack_size));                        \
    }                                                                                          \
    struct co array[count]

#define co_init_element(array, i, fn, opaque) co_init_at(&(array)[i], (fn), (opaque), CO_SITE())

/* Makes co ready to be entered: fn(opaque) runs on its stack at the first
 * co_enter(). co must be new or terminated. Returns co. */
#define co_init(co, fn, opaque) co_init_at((co), (fn), (opaque), CO_SITE())

/* A coroutine from the fixed pool (CO_POOL_SIZE stacks of CO_POOL_STACK_SIZE
 * bytes, set at build time), or NULL when all are in use. Its slot returns
 * to the pool when it terminates. */
#define co_create(fn, opaque) co_create_at((fn), (opaque), CO_SITE())

/* Runs co until it yields or returns; the caller becomes its caller. */
#define co_enter(co) co_enter_at((co), CO_SITE())

/* Goes back to the caller that entered this coroutine. */
#define co_yield() co_yield_at(CO_SITE())

/* The running coroutine; in the main context, the main pseudo-coroutine. */
struct co *co_self(void);
bool co_in_coroutine(void);

/* Whether co is in the caller chain: entered and not yet yielded. */
bool co_entered(const struct co *co);
bool co_terminated(const struct co *co);

const char *co_name(const struct co *co);
void co_set_name(struct co *co, const char *name);

/* Schedules a suspended (yielded or never entered) coroutine to be entered
 * from the main loop, like QEMU's aio_co_wake(); a no-op if it is already
 * scheduled. A coroutine running on another CPU is scheduled again once it
 * yields back to its main loop, so the wake is not lost. Thread context
 * only. */
#define co_wake(co) co_wake_at((co), CO_SITE())

/* From the next time it becomes ready, co runs only on CPU cpu when a
 * main loop resumes it, or on any CPU (cpu -1): for per-CPU data, or to
 * stay beside a device's interrupt. 0, or -EINVAL for a CPU that does not
 * run coroutines. A coroutine that co_enter()s it runs it where the
 * caller is. co_init() and co_create() start it unpinned. */
int co_set_cpu(struct co *co, int cpu);

/*
 * Which CPU's main loop resumes a coroutine that is not pinned when it
 * becomes ready (a wait ended, co_wake()). With the default, ANY, every
 * CPU takes from one shared queue and the first to look runs it: a CPU
 * kept busy empties the queue before an idle one wakes, so a coroutine
 * tends to stay where the work is. WAKER sends it to the CPU that ended
 * its wait (the CPU an interrupt of its device comes to); LAST to the CPU
 * it last ran on (whose caches hold its stack). Takes effect from the next
 * time it becomes ready; co_init() and co_create() start it at ANY. 0, or
 * -EINVAL for no such placement. One CPU: all three are the same.
 */
enum co_placement {
    CO_RESUME_ANY,
    CO_RESUME_WAKER,
    CO_RESUME_LAST,
};
int co_set_placement(struct co *co, enum co_placement placement);

/* CPUs running coroutines (the machine's, up to make SMP=n), and the one
 * the caller runs on: the answer can change after any switch. */
unsigned int co_cpu_count(void);
unsigned int co_cpu_id(void);

/*
 * The main loop: enters ready coroutines until none is ready or blocked,
 * sleeping in WFI while everything waits for an interrupt, and returns 0.
 * If coroutines are still blocked but nothing running can wake them (no
 * interrupt or timer is awaited, no coroutine is ready), it says so and
 * returns -EDEADLK rather than hang: the caller may enter a suspended
 * coroutine that wakes them and call co_run() again, or co_dump() them.
 * Called anywhere but the main context, it stops the kernel naming the
 * call site.
 */
#define co_run() co_run_at(CO_SITE())
int co_run_at(const struct co_site *site);

/* Runs what is ready now, without waiting; returns how many were entered. */
unsigned int co_run_ready(void);

/*
 * Polling, for a driver whose device publishes completions in memory (a
 * virtio ring): before a CPU with nothing ready sleeps, co_run() calls
 * the poll(arg) of each enabled poller, with IRQs unmasked and no lock
 * held. poll looks for completions for a bounded time and completes their
 * waits (co_wait_complete()); it returns true if it did, and then the CPU
 * runs them instead of sleeping. It stops early once co_ready_pending().
 * It returns false at once when its device holds no request, and leaves
 * the device's interrupt on for when it gives up: interrupts stay the
 * path that ends every wait polling did not. Added once, from main() or a
 * probe, and never removed; co_poller_enable() turns it on and off (off
 * when added), so that with none on the idle path costs one load.
 */
struct co_poller {
    bool (*poll)(void *arg);
    void *arg;
    bool enabled;               /* the scheduler's */
    struct co_poller *next;     /* the scheduler's */
};
void co_add_poller(struct co_poller *poller);
void co_poller_enable(struct co_poller *poller, bool on);
/* Whether a coroutine is ready for this CPU (read without the lock). */
bool co_ready_pending(void);

/*
 * Blocking: the primitive every wait is built on.
 *
 *     co_ticket_t t = co_wait_begin(CO_WAIT_IRQ);
 *     request->waiter = co_self(); request->ticket = t;   (publish)
 *     start_the_device(request);
 *     int result = co_wait_end(t, CO_NO_DEADLINE);
 *
 * and in the interrupt handler: co_wait_complete(request->waiter,
 * request->ticket, status). The first completion of a wait wins; a late or
 * repeated one (after a timeout, say) returns false and changes nothing.
 * A completion that arrives before co_wait_end() is kept, not lost.
 *
 * A CO_WAIT_WATCH wait watches the others (a driver's timeout of the
 * requests its device holds): co_run() returns when only such waits are
 * left, and their deadlines do not count as something that may end the
 * others' waits, so a deadlock is still reported as one.
 */
enum co_wait_source {
    CO_WAIT_COROUTINE,  /* another coroutine, or only its deadline, will end it */
    CO_WAIT_IRQ,        /* an interrupt handler will complete it */
    CO_WAIT_WATCH,      /* a watchdog's: it keeps nothing going (below) */
    CO_WAIT_SOURCES
};
#define CO_NO_DEADLINE UINT64_MAX

#define co_wait_begin(source) co_wait_begin_at((source), CO_SITE())
/* Blocks until the wait is completed, or until deadline (co_clock_ns() time)
 * passes: then -ETIMEDOUT. Returns the completion's result. A wait already
 * completed returns at once when nothing else is ready on this CPU, and
 * otherwise after every coroutine ready there has run; the 16th such wait
 * in a row yields to the caller first, like a wait that blocks. So a
 * coroutine whose completions always beat it cannot keep the CPU from the
 * others, nor from the code that entered it. */
int co_wait_end(co_ticket_t ticket, uint64_t deadline_ns);
/* Any context, IRQ handlers included. */
bool co_wait_complete(struct co *co, co_ticket_t ticket, int result);

/* Stack use: the deepest the stack has been, in bytes (it is painted at
 * co_init()). */
size_t co_stack_size(const struct co *co);
size_t co_stack_high_water(const struct co *co);
uint32_t co_switch_count(const struct co *co);
/* The same for the IRQ stack, which every interrupt handler shares (its
 * size is IRQ_STACK_SIZE in the linker script). */
size_t co_irq_stack_high_water(void);

/* Prints every coroutine: name, state, stack size, high-water mark and
 * switch count; then stops the kernel if the IRQ stack has overflowed. */
void co_dump(void);

/* Coroutines that exist (defined or from the pool) and have not terminated. */
unsigned int co_live_count(void);
/* Pool slots free. */
unsigned int co_pool_free(void);

/* Implementation entry points behind the macros above. */
struct co *co_init_at(struct co *co, co_fn fn, void *opaque, const struct co_site *site);
struct co *co_create_at(co_fn fn, void *opaque, const struct co_site *site);
void co_array_setup(struct co *array, unsigned int count, const char *name, void *first_stack, size_t stride,
                    size_t stack_size);
co_ticket_t co_wait_begin_at(enum co_wait_source source, const struct co_site *site);
void co_enter_at(struct co *co, const struct co_site *site);
void co_yield_at(const struct co_site *site);
void co_wake_at(struct co *co, const struct co_site *site);

#endif
