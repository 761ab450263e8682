/* Introspection: every coroutine the kernel knows, and fault context. */
#include "coro/internal.h"
#include "boot/kernel.h"

/* Coroutines join the list and never leave it: a walk takes the head
 * under the lock and may then follow the links without it. */
static struct co *all_head;
static struct spinlock registry_lock = SPINLOCK_INIT("registry");

void co_register(struct co *co)
{
    irq_flags_t flags = spin_lock_irqsave(&registry_lock);
    if (!co->registered) {
        co->registered = 1;
        co->all_next = all_head;
        all_head = co;
    }
    spin_unlock_irqrestore(&registry_lock, flags);
}

static struct co *registry_first(void)
{
    irq_flags_t flags = spin_lock_irqsave(&registry_lock);
    struct co *first = all_head;
    spin_unlock_irqrestore(&registry_lock, flags);
    return first;
}

unsigned int co_live_count(void)
{
    unsigned int live = 0;

    for (struct co *it = registry_first(); it; it = it->all_next) {
        live += co_is_coroutine(it) && it->state != CO_STATE_TERMINATED && it->state != CO_STATE_NEW;
    }
    return live;
}

static void dump_one(const struct co *co)
{
    kprintf("  %c %-16s %-12s %7lu %7lu %10lu", co == co_current() ? '*' : ' ', co_name(co),
            co_state_name(co), (unsigned long)co_stack_size(co), (unsigned long)co_stack_high_water(co),
            (unsigned long)co->switches);
    if (co->numbered) {
        kprintf(" #%u", co->index);
    }
    if (co->site) {
        kprintf("  %s:%u", co->site->file, co->site->line);
    }
    kprintf("\n");
}

void co_dump(void)
{
    kprintf("    %-16s %-12s %7s %7s %10s  last site\n", "coroutine", "state", "stack", "used", "switches");
    for (const struct co *it = registry_first(); it; it = it->all_next) {
        if (it->state != CO_STATE_TERMINATED || it == co_current()) {
            dump_one(it);
        }
    }
    co_check_irq_stack();    /* after the table, which may be what explains it */
}

/* The fault report's last line, registered with the kernel at start-up:
 * which coroutine was running when it faulted. */
void co_describe_fault_context(void)
{
    const struct co *co = co_current();

    if (co && co_is_irq(co)) {
        kprintf("    in an interrupt handler\n");
    } else if (co) {
        kprintf("    in coroutine '%s'", co_name(co));
        if (co->numbered) {
            kprintf(" #%u", co->index);
        }
        if (co->site) {
            kprintf(" (last initialised or blocked at %s:%u)", co->site->file, co->site->line);
        }
        kprintf("\n");
    }
}
