/*
 * The coroutine lifecycle: init, enter, yield, terminate. The scheduler
 * (ready queue, blocking waits, main loop) is in sched.c.
 */
#include "coro/internal.h"
#include "coro/cpu.h"
#include "arch/cpu.h"
#include "boot/kernel.h"

#include <stddef.h>

/* CPU 0's mode stacks; CPU n's are n strides higher (linker/sections.ld.h). */
extern uint32_t __svc_stack_limit[];
extern uint32_t __svc_stack_top[];
extern uint32_t __irq_stack_limit[];
extern uint32_t __irq_stack_top[];
extern char __mode_stacks_cpu_stride[];

_Static_assert(offsetof(struct co, saved_sp) == CO_OFFSET_SAVED_SP, "switch.S offsets");
_Static_assert(offsetof(struct co, stack_guard) == CO_OFFSET_STACK_GUARD, "switch.S offsets");
_Static_assert(offsetof(struct co, caller) == CO_OFFSET_CALLER, "switch.S offsets");
_Static_assert(offsetof(struct co, switches) == CO_OFFSET_SWITCHES, "switch.S offsets");
_Static_assert(offsetof(struct co, state) == CO_OFFSET_STATE, "switch.S offsets");
_Static_assert(offsetof(struct co, on_cpu) == CO_OFFSET_ON_CPU, "switch.S offsets");
_Static_assert(offsetof(struct co, cpu) == CO_OFFSET_CPU, "switch.S offsets");
_Static_assert(offsetof(struct co_cpu, index) == CO_CPU_OFFSET_INDEX, "switch.S offsets");

/*
 * Each CPU's main context and interrupt stand-in. A main context's state
 * refuses co_enter(), and having no caller refuses co_yield(). The stand-in
 * is current while an interrupt handler runs (boot/<arch>/vectors.S) and
 * owns the CPU's IRQ stack. Its state refuses co_enter() of it, its missing
 * caller co_yield(), and its guard word, which never holds the value a
 * switch expects (see irq_guard_value()), any switch away from it: the
 * coroutine API stops the kernel instead of running a coroutine on the
 * IRQ stack.
 */
struct co_cpu co_cpus[CONFIG_CPUS];

static const char *const main_names[] = {
    "main", "main of CPU 1", "main of CPU 2", "main of CPU 3",
    "main of CPU 4", "main of CPU 5", "main of CPU 6", "main of CPU 7",
};
static const char *const irq_names[] = {
    "interrupt handler", "interrupt handler of CPU 1", "interrupt handler of CPU 2",
    "interrupt handler of CPU 3", "interrupt handler of CPU 4", "interrupt handler of CPU 5",
    "interrupt handler of CPU 6", "interrupt handler of CPU 7",
};
_Static_assert(CONFIG_CPUS <= sizeof(main_names) / sizeof(main_names[0]), "a name for every CPU");

/* The guard word's value: no pointer or small integer looks like it. */
static uint32_t guard_value(const struct co *co)
{
    return -(uint32_t)(uintptr_t)co;
}

/* An IRQ stack's: anything but guard_value(irq). */
static uint32_t irq_guard_value(const struct co *irq)
{
    return ~(uint32_t)(uintptr_t)irq;
}

/* Writes a stack's guard word and paints the words above it up to end, so
 * that co_stack_high_water() can tell used from unused. */
static void paint_stack(struct co *co, uint32_t guard, uintptr_t end)
{
    co->stack_guard = co->stack;
    *co->stack_guard = guard;
    for (uint32_t *word = co->stack_guard + 1; (uintptr_t)word < end; word++) {
        *word = CO_STACK_PAINT;
    }
}

/* One of this CPU's mode stacks, from CPU 0's limit and top. */
static void adopt_mode_stack(struct co *co, unsigned int cpu, uint32_t *limit, const uint32_t *top)
{
    uintptr_t offset = cpu * (uintptr_t)__mode_stacks_cpu_stride;

    co->stack = (uint8_t *)limit + offset;
    co->stack_size = (uint32_t)((uintptr_t)top - (uintptr_t)limit);
}

/* IRQs masked, on the CPU being set up: its main context becomes the
 * current coroutine, and both it and the stand-in get its mode stacks.
 * The CPU's slot, and the number co_cpu_id() gives, are cpu_index()'s,
 * by which start.S chose those stacks. */
void co_cpu_setup(void)
{
    unsigned int index = cpu_index();
    struct co_cpu *cpu = &co_cpus[index];

    cpu->index = index;
    cpu->main = (struct co){ .state = CO_STATE_MAIN, .name = main_names[index] };
    cpu->irq = (struct co){ .state = CO_STATE_IRQ, .name = irq_names[index] };
    adopt_mode_stack(&cpu->main, index, __svc_stack_limit, __svc_stack_top);
    /* Up to a little below this frame: the rest is in use. */
    paint_stack(&cpu->main, guard_value(&cpu->main), (uintptr_t)__builtin_frame_address(0) - 256);
    adopt_mode_stack(&cpu->irq, index, __irq_stack_limit, __irq_stack_top);
    paint_stack(&cpu->irq, irq_guard_value(&cpu->irq), (uintptr_t)cpu->irq.stack + cpu->irq.stack_size);
    co_register(&cpu->main);
    co_register(&cpu->irq);
    co_arch_set_cpu(cpu);
    co_arch_set_current(&cpu->main);
}

/* Before main(), IRQs still masked: the first CPU's part, the fault
 * report's line, and what the other CPUs run once they start. */
__attribute__((constructor(102))) static void co_main_setup(void)
{
    co_cpu_start();
    kernel_on_fault(co_describe_fault_context);
    kernel_on_cpu_start(co_cpu_start, co_cpu_run);
}

void co_check_irq_stack(void)
{
    const struct co *irq = &co_this_cpu()->irq;

    if (*irq->stack_guard != irq_guard_value(irq)) {
        kernel_panic("interrupt stack overflow: handlers wrote past the limit of the %lu-byte IRQ stack at %p "
                     "(guard word now 0x%08lx) of CPU %u; make IRQ_STACK_SIZE in the linker script larger",
                     (unsigned long)irq->stack_size, irq->stack, (unsigned long)*irq->stack_guard,
                     co_this_cpu()->index);
    }
}

size_t co_irq_stack_high_water(void)
{
    return co_stack_high_water(&co_this_cpu()->irq);
}

static const char *const state_names[] = {
    [CO_STATE_SUSPENDED] = "suspended",
    [CO_STATE_NEW] = "new",
    [CO_STATE_WAITING] = "waiting",
    [CO_STATE_READY] = "ready",
    [CO_STATE_TERMINATED] = "terminated",
    [CO_STATE_MAIN] = "main",
    [CO_STATE_IRQ] = "interrupt",
};

const char *co_state_name(const struct co *co)
{
    if (co->caller != NULL || co == co_current()) {
        return "running";
    }
    return co->state < sizeof(state_names) / sizeof(state_names[0]) ? state_names[co->state] : "?";
}

void co_misuse(const struct co *co, const struct co_site *site, const char *what)
{
    kernel_panic("%s: coroutine '%s' (%s) at %s:%u", what, co ? co_name(co) : "?",
                 co ? co_state_name(co) : "?", site ? site->file : "?", site ? site->line : 0);
}

/* Called by the switch when the outgoing stack's guard word has changed,
 * with the switch's return address. */
void co_stack_overflow(const struct co *co, uintptr_t called_from) __attribute__((noreturn, cold));
void co_stack_overflow(const struct co *co, uintptr_t called_from)
{
    if (co_is_irq(co)) {
        kernel_panic("a coroutine switch in an interrupt handler (called from %#lx): handlers "
                     "complete waits with co_wait_complete(), they never run coroutines",
                     (unsigned long)called_from);
    }
    kernel_panic("stack overflow: coroutine '%s' wrote past the limit of its %lu-byte stack at %p "
                 "(guard word now 0x%08lx)",
                 co_name(co), (unsigned long)co->stack_size, co->stack, (unsigned long)*co->stack_guard);
}

void co_array_setup(struct co *array, unsigned int count, const char *name, void *first_stack, size_t stride,
                    size_t stack_size)
{
    for (unsigned int i = 0; i < count; i++) {
        array[i] = (struct co){
            .state = CO_STATE_NEW,
            .name = name,
            .stack = (uint8_t *)first_stack + i * stride,
            .stack_size = (uint32_t)stack_size,
            .index = (uint16_t)i,
            .numbered = 1,
        };
    }
}

struct co *co_init_at(struct co *co, co_fn fn, void *opaque, const struct co_site *site)
{
    if (co->in_pool) {
        co_misuse(co, site, "co_init of a pool coroutine (co_create takes a fresh one)");
    }
    return co_prepare(co, fn, opaque, site);
}

struct co *co_prepare(struct co *co, co_fn fn, void *opaque, const struct co_site *site)
{
    if (co->state != CO_STATE_NEW && co->state != CO_STATE_TERMINATED) {
        co_misuse(co, site, "co_init of a coroutine that has not terminated");
    }
    if (co->stack == NULL || co->stack_size < CO_STACK_MIN) {
        co_misuse(co, site, "co_init of a coroutine without a stack");
    }
    /* Terminated on another CPU, it may still be switching off its stack. */
    co_wait_switched_off(co);
    co->fn = fn;
    co->opaque = opaque;
    co->site = site;
    co->caller = NULL;
    co->switches = 0;
    co->wait_state = CO_WAIT_NONE;
    co->locks_held = 0;
    co->read_locks_held = 0;
    co->pinned = 0;     /* a fresh coroutine runs anywhere until co_set_cpu() */
    co->placement = CO_RESUME_ANY;
    co->wake_again = 0;
    co->early_waits = 0;
    paint_stack(co, guard_value(co), (uintptr_t)co->stack + co->stack_size);
    co_arch_prepare_stack(co);
    co_register(co);
    co->state = CO_STATE_SUSPENDED;
    return co;
}

/* The body of every coroutine, called by the arch trampoline on its own
 * stack. It runs fn, then switches to the caller for good. */
void co_entry(struct co *co) __attribute__((noreturn));
void co_entry(struct co *co)
{
    co->fn(co->opaque);

    co = co_current();
    if (co->locks_held) {
        kernel_panic("coroutine '%s' returned holding %u lock(s): nobody can release them now",
                     co_name(co), co->locks_held);
    }
    struct co *caller = co->caller;
    co->state = CO_STATE_TERMINATED;
    co->caller = NULL;
    /* Whoever takes the slot waits for the switch below to leave this
     * stack (co_prepare()). */
    if (co->in_pool) {
        co_pool_release(co);
    }
    co_arch_switch(co, caller);
    kernel_panic("terminated coroutine '%s' was resumed", co_name(co));
}

/* The refusals of coro/arch/<arch>/switch.S, which does the work. */
void co_enter_refused(const struct co *co, const struct co_site *site)
{
    static const char *const why[] = {
        [CO_STATE_SUSPENDED] = "co_enter of a running coroutine (already entered)",
        [CO_STATE_NEW] = "co_enter of a coroutine that was never initialised",
        [CO_STATE_WAITING] = "co_enter of a coroutine blocked in a wait",
        [CO_STATE_READY] = "co_enter of a coroutine scheduled to run from the main loop",
        [CO_STATE_TERMINATED] = "co_enter of a terminated coroutine",
        [CO_STATE_MAIN] = "co_enter of the main context",
        [CO_STATE_IRQ] = "co_enter of the interrupt context",
    };
    co_misuse(co, site, co->state < sizeof(why) / sizeof(why[0]) ? why[co->state] : "co_enter");
}

void co_yield_refused(const struct co_site *site)
{
    co_misuse(co_current(), site,
              co_is_irq(co_current()) ? "co_yield in an interrupt handler" : "co_yield outside a coroutine");
}

struct co *co_self(void)
{
    return co_current();
}

bool co_in_coroutine(void)
{
    return co_is_coroutine(co_current());
}

bool co_entered(const struct co *co)
{
    return co->caller != NULL;
}

bool co_terminated(const struct co *co)
{
    return co->state == CO_STATE_TERMINATED;
}

const char *co_name(const struct co *co)
{
    return co->name ? co->name : "(unnamed)";
}

void co_set_name(struct co *co, const char *name)
{
    co->name = name;
}

size_t co_stack_size(const struct co *co)
{
    return co->stack_size;
}

size_t co_stack_high_water(const struct co *co)
{
    if (co->stack_guard == NULL) {
        return 0;   /* never initialised: never ran */
    }
    const uint32_t *word = co->stack_guard + 1;
    uintptr_t end = (uintptr_t)co->stack + co->stack_size;

    while ((uintptr_t)word < end && *word == CO_STACK_PAINT) {
        word++;
    }
    return (size_t)(end - (uintptr_t)word);
}

uint32_t co_switch_count(const struct co *co)
{
    return co->switches;
}
