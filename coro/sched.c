/*
 * The scheduler: the ready queue, blocking waits and the main loop, on
 * every CPU the image runs on.
 *
 * Interrupt handlers complete waits (co_wait_complete), which puts the
 * waiter on the ready queue; they never switch stacks. The main loop enters
 * ready coroutines in thread context, on whichever CPU takes them first, so
 * a wait begun on one CPU may end on another. What more than one context
 * can change (the ready queue, every pending wait, the deadlines) is
 * changed under co_sched_lock; a completed wait is the waiter's alone.
 *
 * Between calls of co_run() only its caller's CPU runs coroutine code: the
 * other CPUs sleep until co_run() is called again, so code in the main
 * context that enters coroutines itself sees them run nowhere else.
 */
#include "coro/internal.h"
#include "coro/cpu.h"
#include "arch/cpu.h"
#include "boot/kernel.h"
#include "drivers/irq.h"

#include <errno.h>

struct spinlock co_sched_lock = SPINLOCK_INIT("scheduler");

/* Ready coroutines in the order they became ready. */
struct ready_list {
    struct co *head;
    struct co *tail;
};

/* One struct: the hot paths reach every field from one base address. */
static struct {
    struct ready_list any;          /* for whichever CPU takes one first */
    /* Coroutines in CO_STATE_WAITING, by what will end their waits. */
    unsigned int blocked_by[CO_WAIT_SOURCES];
#if CONFIG_CPUS > 1
    uint32_t online;                /* CPUs that run coroutines, a bit each */
    uint32_t idle;                  /* ... of which asleep in the main loop */
    bool running;                   /* co_run() is running */
    unsigned int runner;            /* the CPU that called it */
    struct ready_list pinned[CONFIG_CPUS];  /* for that CPU alone: pinned (co_set_cpu()) or placed there (co_set_placement()) */
#endif
} sched;

static void list_push(struct ready_list *list, struct co *co)
{
    co->ready_next = NULL;
    if (list->tail) {
        list->tail->ready_next = co;
    } else {
        list->head = co;
    }
    list->tail = co;
}

static struct co *list_pop(struct ready_list *list)
{
    struct co *co = list->head;

    if (co) {
        list->head = co->ready_next;
        if (!list->head) {
            list->tail = NULL;
        }
    }
    return co;
}

#if CONFIG_CPUS > 1
/* Lock held: wakes CPU cpu if it sleeps in the main loop and co_run()
 * runs. Its bit is cleared here, so a second push does not wake it again. */
static void wake_cpu(unsigned int cpu)
{
    if (sched.running && (sched.idle & (1u << cpu)) != 0) {
        sched.idle &= ~(1u << cpu);
        irq_send_ipi(cpu, IRQ_IPI_WAKE);
    }
}

/* Lock held: wakes one idle CPU other than this one. */
static void wake_idle_cpu(void)
{
    uint32_t others = sched.idle & ~(1u << co_this_cpu()->index);

    if (others != 0) {
        wake_cpu((unsigned int)__builtin_ctz(others));
    }
}

/* Whether this CPU has anything to take: exact with the lock held, a
 * hint without it (co_ready_pending()). */
static bool ready_here(void)
{
    return __atomic_load_n(&sched.any.head, __ATOMIC_RELAXED) != NULL ||
           __atomic_load_n(&sched.pinned[co_this_cpu()->index].head, __ATOMIC_RELAXED) != NULL;
}
#else
static bool ready_here(void)
{
    return __atomic_load_n(&sched.any.head, __ATOMIC_RELAXED) != NULL;
}
#endif

/* Lock held. */
static void ready_push(struct co *co)
{
    co->state = CO_STATE_READY;
#if CONFIG_CPUS > 1
    unsigned int cpu = CONFIG_CPUS;     /* none: the shared queue */

    if (co->pinned != 0) {
        cpu = co->pinned - 1u;
    } else if (co->placement == CO_RESUME_WAKER) {
        cpu = co_this_cpu()->index;
    } else if (co->placement == CO_RESUME_LAST) {
        cpu = co->cpu;
    }
    if (cpu < CONFIG_CPUS) {
        list_push(&sched.pinned[cpu], co);
        if (cpu != co_this_cpu()->index) {
            wake_cpu(cpu);
        }
        return;
    }
    list_push(&sched.any, co);
    /* An idle CPU here is one whose WFI an interrupt ended: its main loop
     * runs what the handler made ready next, with no IPI and no other CPU
     * woken for it. */
    if ((sched.idle & (1u << co_this_cpu()->index)) == 0) {
        wake_idle_cpu();
    }
#else
    list_push(&sched.any, co);
#endif
}

/* What this CPU runs next: a coroutine pinned to it first, then any. It
 * leaves the lock running, its caller this CPU's main context, so that a
 * co_wake() never sees it neither ready nor running. */
static struct co *ready_pop(void)
{
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
#if CONFIG_CPUS > 1
    unsigned int me = co_this_cpu()->index;
    struct co *co = NULL;

    /* Between runs only the runner's CPU takes coroutines. */
    if (sched.running || me == sched.runner) {
        co = list_pop(&sched.pinned[me]);
        if (!co) {
            co = list_pop(&sched.any);
        }
    }
#else
    struct co *co = list_pop(&sched.any);
#endif
    if (co) {
        co->state = CO_STATE_SUSPENDED;
        co->caller = co_current();
    }
    spin_unlock_irqrestore(&co_sched_lock, flags);
    return co;
}

#if CONFIG_CPUS > 1
/* co_enter()'s test and claim (coro/arch/armv7a/switch.S), as one step
 * under the lock that co_wake() and ready_pop() take: of two CPUs
 * entering one coroutine at once, the second is refused by name. */
void co_enter_claim(struct co *co, const struct co_site *site);   /* for switch.S alone */
void co_enter_claim(struct co *co, const struct co_site *site)
{
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);

    if (co->state != CO_STATE_SUSPENDED || co->caller != NULL) {
        co_enter_refused(co, site);     /* the lock held: the report shows what refused it */
    }
    co->caller = co_current();
    co->switches++;
    spin_unlock_irqrestore(&co_sched_lock, flags);
}
#endif

#if CONFIG_CPUS > 1
/* Lock held: whether co runs, or is being entered, on another CPU: it has
 * a caller, but is not in this CPU's chain of callers. */
static bool running_elsewhere(const struct co *co)
{
    /* Read once: a yield on another CPU may clear it at any moment. */
    const struct co *caller = *(const struct co *const volatile *)&co->caller;

    if (caller == NULL) {
        return false;
    }
    for (const struct co *it = co_current(); it != NULL; it = it->caller) {
        if (it == co) {
            return false;
        }
    }
    return true;
}

/* After co came back to this main loop: a co_wake() while it ran on this
 * CPU (running_elsewhere() for the waker) schedules it again now. */
static void wake_again_if_asked(struct co *co)
{
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    if (co->wake_again) {
        co->wake_again = 0;
        if (co->state == CO_STATE_SUSPENDED && co->caller == NULL) {
            ready_push(co);
        }
    }
    spin_unlock_irqrestore(&co_sched_lock, flags);
}
#endif

/* Whether CPU cpu runs coroutines: the CPUs that started may not be the
 * first n, when one failed to. */
static bool cpu_online(unsigned int cpu)
{
#if CONFIG_CPUS > 1
    return cpu < CONFIG_CPUS && (sched.online & (1u << cpu)) != 0;
#else
    return cpu == 0;
#endif
}

int co_set_placement(struct co *co, enum co_placement placement)
{
    if ((unsigned int)placement > CO_RESUME_LAST) {
        return -EINVAL;
    }
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    co->placement = (uint8_t)placement;
    spin_unlock_irqrestore(&co_sched_lock, flags);
    return 0;
}

int co_set_cpu(struct co *co, int cpu)
{
    if (cpu != -1 && (cpu < 0 || !cpu_online((unsigned int)cpu))) {
        return -EINVAL;
    }
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    co->pinned = (uint8_t)(cpu + 1);
    spin_unlock_irqrestore(&co_sched_lock, flags);
    return 0;
}

unsigned int co_cpu_count(void)
{
#if CONFIG_CPUS > 1
    return (unsigned int)__builtin_popcount(sched.online);
#else
    return 1;
#endif
}

unsigned int co_cpu_id(void)
{
    return co_this_cpu()->index;
}

void co_wake_at(struct co *co, const struct co_site *site)
{
    /* A handler would race the main loop for co's state: it completes a
     * wait instead, which is made for that. */
    co_refuse_in_handler("co_wake in an interrupt handler (complete a wait with co_wait_complete())", site);
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
#if CONFIG_CPUS > 1
    if (co->state != CO_STATE_READY && running_elsewhere(co)) {
        co->wake_again = 1;
        spin_unlock_irqrestore(&co_sched_lock, flags);
        return;
    }
#endif
    if (co->state != CO_STATE_READY) {
        if (co->state != CO_STATE_SUSPENDED || co->caller != NULL) {
            spin_unlock_irqrestore(&co_sched_lock, flags);
            co_misuse(co, site, "co_wake of a coroutine that is not suspended");
        }
        ready_push(co);
    }
    spin_unlock_irqrestore(&co_sched_lock, flags);
}

co_ticket_t co_wait_begin_at(enum co_wait_source source, const struct co_site *site)
{
    struct co *self = co_current();

    if (!co_is_coroutine(self)) {
        co_misuse(self, site, "blocking outside a coroutine (the main context and interrupt handlers cannot wait)");
    }
    if (self->wait_state != CO_WAIT_NONE) {
        co_misuse(self, site, "co_wait_begin while this coroutine's last wait has not ended");
    }
    self->site = site;
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    co_ticket_t ticket = ++self->wait_ticket;
    self->wait_state = CO_WAIT_PENDING;
    self->wait_source = (uint8_t)source;
    spin_unlock_irqrestore(&co_sched_lock, flags);
    return ticket;
}

/* Lock held (flags from its irqsave): back to whoever entered self, with
 * the lock released. A main loop resumes self, on this CPU or another, but
 * not before the switch has saved its sp (on_cpu); returns it, current
 * again. */
static inline __attribute__((always_inline)) struct co *switch_to_enterer(struct co *self, irq_flags_t flags)
{
    struct co *caller = self->caller;

    self->caller = NULL;
    spin_unlock_irqrestore(&co_sched_lock, flags);
    co_arch_switch(self, caller);
    return co_current();
}

int co_wait_end(co_ticket_t ticket, uint64_t deadline_ns)
{
    struct co *self = co_current();

    if (ticket != self->wait_ticket || self->wait_state == CO_WAIT_NONE) {
        co_misuse(self, self->site, "co_wait_end without a matching co_wait_begin");
    }
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    if (irq_flags_masked(flags)) {
        /* Whatever ran while it was blocked would run masked too, inside
         * the section the caller masked them for; and it would resume
         * unmasked. */
        co_misuse(self, self->site, "blocking with IRQs masked (irq_save(), or a spinlock held across the call)");
    }
    if (self->wait_state == CO_WAIT_PENDING) {
        self->early_waits = 0;
        if (deadline_ns != CO_NO_DEADLINE) {
            co_timer_add(self, deadline_ns);
        }
        sched.blocked_by[self->wait_source]++;
        self->state = CO_STATE_WAITING;
        /* Resumed once the wait is completed; nothing else touches it. */
        self = switch_to_enterer(self, flags);
    } else if (ready_here() || ++self->early_waits == CO_EARLY_WAITS_MAX) {
        /* Completed before we blocked: a coroutine whose completions
         * always beat it (a device that answers inside the doorbell write)
         * must not keep the CPU from the rest. So we go behind every
         * coroutine ready here, and after CO_EARLY_WAITS_MAX in a row we
         * give our caller a turn too (main, entering the others). */
        self->early_waits = 0;
        ready_push(self);
        self = switch_to_enterer(self, flags);
    } else {
        spin_unlock_irqrestore(&co_sched_lock, flags);
    }
    self->wait_state = CO_WAIT_NONE;
    return self->wait_result;
}

bool co_wait_complete_locked(struct co *co, co_ticket_t ticket, int result)
{
    if (co->wait_ticket != ticket || co->wait_state != CO_WAIT_PENDING) {
        return false;
    }
    co->wait_state = CO_WAIT_COMPLETED;
    co->wait_result = result;
    if (co->timer_armed) {
        co_timer_remove(co);
    }
    if (co->state == CO_STATE_WAITING) {
        sched.blocked_by[co->wait_source]--;
        ready_push(co);
    }
    return true;
}

bool co_wait_complete(struct co *co, co_ticket_t ticket, int result)
{
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    bool completed = co_wait_complete_locked(co, ticket, result);

    spin_unlock_irqrestore(&co_sched_lock, flags);
    return completed;
}

unsigned int co_run_ready(void)
{
    unsigned int entered = 0;
    struct co *co;

    while ((co = ready_pop()) != NULL) {
        /* Ours now (ready_pop()), but it may have waited on another CPU
         * whose switch off its stack has not saved sp yet. */
        co_wait_switched_off(co);
        co->switches++;
        co_arch_switch(co->caller, co);
#if CONFIG_CPUS > 1
        wake_again_if_asked(co);
#endif
        entered++;
    }
    return entered;
}

/* Lock held: the blocked coroutines a run goes on for, all but the
 * watchdogs (which watch the others). */
static unsigned int blocked(void)
{
    return sched.blocked_by[CO_WAIT_COROUTINE] + sched.blocked_by[CO_WAIT_IRQ];
}

/* Lock held, nothing ready: 1 when the run is over (every CPU idle and no
 * wait left), -EDEADLK when waits are left that nothing can complete, 0
 * while something may still happen. */
static int run_over(void)
{
#if CONFIG_CPUS > 1
    if ((sched.idle | (1u << co_this_cpu()->index)) != sched.online) {
        return 0;   /* another CPU still runs a coroutine */
    }
    /* Or is about to: a handler on an idle CPU left work there. */
    for (unsigned int cpu = 0; cpu < CONFIG_CPUS; cpu++) {
        if (sched.pinned[cpu].head != NULL) {
            return 0;
        }
    }
    if (sched.any.head != NULL) {
        return 0;
    }
#endif
    if (blocked() == 0) {
        return 1;
    }
    if (sched.blocked_by[CO_WAIT_IRQ] == 0 && !co_timer_pending()) {
        return -EDEADLK;
    }
    return 0;
}

#if CONFIG_CPUS > 1
/* Whether an idle CPU has reason to look again: a waker cleared its bit
 * (before its IPI, so it shows once the IPI has been taken), or a handler
 * on this CPU left it work. Read without the lock: a wakeup for another
 * CPU, a lock's kick or a re-timing IPI that ends the WFI costs no lock. */
static bool idle_over(unsigned int me)
{
    if ((__atomic_load_n(&sched.idle, __ATOMIC_ACQUIRE) & (1u << me)) == 0) {
        return true;
    }
    return __atomic_load_n(&sched.running, __ATOMIC_RELAXED) &&
           (__atomic_load_n(&sched.any.head, __ATOMIC_RELAXED) != NULL ||
            __atomic_load_n(&sched.pinned[me].head, __ATOMIC_RELAXED) != NULL);
}
#endif

/*
 * Sleeps until there may be work, lock held and IRQs masked: a completion
 * that lands after the check still ends the WFI, so no wakeup is lost.
 * Returns with the lock released and IRQs unmasked, whatever the caller
 * had: the main loop lives on interrupts, and the pending ones are taken
 * here, while this CPU still counts as idle (ready_push()).
 */
static void idle(void)
{
#if CONFIG_CPUS > 1
    unsigned int me = co_this_cpu()->index;

    sched.idle |= 1u << me;
    spin_unlock(&co_sched_lock);
    do {
        cpu_wait_for_interrupt();
        irq_unmask();
        irq_mask();
    } while (!idle_over(me));
    spin_lock(&co_sched_lock);
    sched.idle &= ~(1u << me);
    spin_unlock(&co_sched_lock);
#else
    spin_unlock(&co_sched_lock);
    cpu_wait_for_interrupt();
#endif
    irq_unmask();
}

/* Added once and never removed: walked without a lock. How many are
 * enabled: read without it, written under it. */
static struct co_poller *pollers;
static unsigned int pollers_enabled;

void co_add_poller(struct co_poller *poller)
{
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    poller->enabled = false;
    poller->next = pollers;
    __atomic_store_n(&pollers, poller, __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&co_sched_lock, flags);
}

void co_poller_enable(struct co_poller *poller, bool on)
{
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    if (poller->enabled != on) {
        __atomic_store_n(&poller->enabled, on, __ATOMIC_RELAXED);
        __atomic_store_n(&pollers_enabled, on ? pollers_enabled + 1 : pollers_enabled - 1,
                         __ATOMIC_RELAXED);
    }
    spin_unlock_irqrestore(&co_sched_lock, flags);
}

bool co_ready_pending(void)
{
    return ready_here();
}

/* Nothing ready: whether a poller found completions, so that this CPU
 * runs their waiters instead of sleeping. */
static bool poll_before_idle(void)
{
    if (__atomic_load_n(&pollers_enabled, __ATOMIC_RELAXED) == 0) {
        return false;
    }
    for (struct co_poller *p = __atomic_load_n(&pollers, __ATOMIC_ACQUIRE); p != NULL; p = p->next) {
        if (__atomic_load_n(&p->enabled, __ATOMIC_RELAXED) && p->poll(p->arg)) {
            return true;
        }
    }
    return false;
}

int co_run_at(const struct co_site *site)
{
    if (co_current()->state != CO_STATE_MAIN) {
        co_misuse(co_current(), site, "co_run outside the main context");
    }
#if CONFIG_CPUS > 1
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    sched.running = true;
    sched.runner = co_this_cpu()->index;
    /* What became ready between runs: each call wakes one, and clears its
     * bit. */
    for (unsigned int cpu = 0; cpu < CONFIG_CPUS; cpu++) {
        if (sched.pinned[cpu].head != NULL) {
            wake_cpu(cpu);
        }
    }
    while (sched.any.head != NULL && (sched.idle & ~(1u << sched.runner)) != 0) {
        wake_idle_cpu();
    }
    spin_unlock_irqrestore(&co_sched_lock, flags);
#endif
    for (;;) {
        co_run_ready();
        if (poll_before_idle()) {
            continue;
        }
        irq_save();
        spin_lock(&co_sched_lock);
        if (!ready_here()) {
            co_check_irq_stack();
            int over = run_over();
            if (over != 0) {
                unsigned int waiting = blocked();
#if CONFIG_CPUS > 1
                sched.running = false;
#endif
                spin_unlock(&co_sched_lock);
                irq_unmask();
                if (over < 0) {
                    kprintf("co_run: %u coroutine(s) blocked with nothing left to wake them\n", waiting);
                    return -EDEADLK;
                }
                return 0;
            }
            idle();
            continue;
        }
        spin_unlock(&co_sched_lock);
        irq_unmask();
    }
}

#if CONFIG_CPUS > 1
/* A CPU other than the runner, from its start to the end of the image: it
 * runs what is ready while co_run() runs, and sleeps otherwise. */
static void secondary_loop(void)
{
    for (;;) {
        co_run_ready();
        if (__atomic_load_n(&sched.running, __ATOMIC_RELAXED) && poll_before_idle()) {
            continue;
        }
        irq_save();
        spin_lock(&co_sched_lock);
        if (!ready_here() || !sched.running) {
            co_check_irq_stack();
            /* The last CPU to go idle tells the runner the run is over. */
            if (sched.running && run_over() != 0 && (sched.idle & (1u << sched.runner))) {
                sched.idle &= ~(1u << sched.runner);
                irq_send_ipi(sched.runner, IRQ_IPI_WAKE);
            }
            idle();
            continue;
        }
        spin_unlock(&co_sched_lock);
        irq_unmask();
    }
}

/* The wake-up IPI has done its work by ending a WFI; on the timekeeping
 * CPU it also sets the timer for a deadline another CPU added. */
static void wake_ipi(void *arg)
{
    (void)arg;
    co_timer_retime();
}

/* A spinlock waiter's IPI has done all its work by ending the WFI. */
static void lock_ipi(void *arg)
{
    (void)arg;
}

static void kick_lock_waiter(unsigned int cpu)
{
    irq_send_ipi(cpu, IRQ_IPI_LOCK);
}

#endif

void co_cpu_start(void)
{
    co_cpu_setup();
#if CONFIG_CPUS > 1
    unsigned int index = co_this_cpu()->index;
    irq_flags_t flags = spin_lock_irqsave(&co_sched_lock);
    sched.online |= 1u << index;
    spin_unlock_irqrestore(&co_sched_lock, flags);
    /* Registered before the other CPUs start, which enable them as they
     * do (irq_init_cpu()). */
    if (index == 0) {
        irq_register_ipi(IRQ_IPI_WAKE, wake_ipi, NULL);
        irq_register_ipi(IRQ_IPI_LOCK, lock_ipi, NULL);
    }
    spinlock_may_sleep(kick_lock_waiter);
#endif
}

/* A wake sent while the CPU was between co_cpu_start() and here is a
 * pending IPI, taken once IRQs are unmasked. */
void co_cpu_run(void)
{
#if CONFIG_CPUS > 1
    irq_unmask();
    secondary_loop();
#endif
    kernel_panic("co_cpu_run on an image for one CPU");
}
