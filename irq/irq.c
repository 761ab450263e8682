/*
 * The kernel's interrupt layer: the handler table, the counts and the
 * kernel's IPIs, for whichever controller the board installed
 * (irq/controller.h); its dispatch is irq/dispatch.h's. Implements
 * drivers/irq.h.
 */
#include "irq/dispatch.h"
#include "irq/per_cpu.h"
#include "drivers/irq.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"
#include "boot/kernel.h"
#include "boot/spinlock.h"

#include <errno.h>

struct irq_table irq_table;

/* Registration and the once-only reports: any CPU may make them. */
static struct spinlock irq_lock = SPINLOCK_INIT("irq");

void irq_init(const struct irq_controller *controller)
{
    unsigned int lines = controller->count_lines();

    if (lines > CONFIG_IRQ_LINES) {
        kernel_panic("irq: %s has %u interrupts, the build's table %u: raise IRQ_LINES in board.mk",
                     controller->name, lines, (unsigned int)CONFIG_IRQ_LINES);
    }
    if (CONFIG_CPUS > 1 && (controller->route == NULL || controller->send_ipi == NULL)) {
        kernel_panic("irq: %s neither routes interrupts nor sends IPIs: build for one CPU (SMP=1)",
                     controller->name);
    }
    if (controller->spurious_line < lines) {
        kernel_panic("irq: %s's spurious number %u is one of its lines",
                     controller->name, controller->spurious_line);
    }
    irq_table.controller = controller;
    irq_table.lines = lines;
    irq_per_cpu_init(controller);
}

static bool irq_valid(unsigned int n)
{
    return n < irq_table.lines;
}

void irq_init_cpu(void)
{
    const struct irq_controller *controller = irq_table.controller;

    if (controller->init_cpu != NULL) {
        controller->init_cpu();
    }
    irq_per_cpu_start();
}

static bool per_cpu_line(unsigned int n)
{
    return n < irq_table.controller->per_cpu_lines;
}

int irq_register(unsigned int n, irq_handler_fn fn, void *arg)
{
    if (!irq_valid(n) || fn == NULL) {
        return -EINVAL;
    }
    /* The slot is whole before its interrupt can find it. */
    irq_flags_t flags = spin_lock_irqsave(&irq_lock);
    if (irq_table.slots[n].fn != NULL) {
        spin_unlock_irqrestore(&irq_lock, flags);
        return -EBUSY;
    }
    irq_table.slots[n].arg = arg;
    dmb_ish();
    irq_table.slots[n].fn = fn;
    spin_unlock_irqrestore(&irq_lock, flags);
    irq_enable(n);
    return 0;
}

void irq_unregister(unsigned int n)
{
    if (irq_valid(n)) {
        irq_disable(n);
        irq_table.slots[n].fn = NULL;
    }
}

void irq_enable(unsigned int n)
{
    if (!irq_valid(n)) {
        return;
    }
    if (per_cpu_line(n)) {
        irq_per_cpu_change(n, IRQ_PER_CPU_UNMASK);
    } else {
        irq_table.controller->unmask(n);
    }
}

void irq_disable(unsigned int n)
{
    if (!irq_valid(n)) {
        return;
    }
    if (per_cpu_line(n)) {
        irq_per_cpu_change(n, IRQ_PER_CPU_MASK);
    } else {
        irq_table.controller->mask(n);
    }
}

int irq_set_cpu(unsigned int n, unsigned int cpu)
{
    const struct irq_controller *controller = irq_table.controller;

    if (!irq_valid(n) || n < controller->per_cpu_lines || cpu >= CONFIG_CPUS) {
        return -EINVAL;
    }
    /* Without routes, every interrupt goes to the one CPU there is. */
    return controller->route != NULL ? controller->route(n, cpu) : 0;
}

void irq_make_urgent(unsigned int n)
{
    if (!irq_valid(n) || irq_table.controller->make_urgent == NULL) {
        return;
    }
    if (per_cpu_line(n)) {
        irq_per_cpu_change(n, IRQ_PER_CPU_URGENT);
    } else {
        irq_table.controller->make_urgent(n);
    }
}

void irq_raise(unsigned int n)
{
    if (irq_valid(n)) {
        irq_table.controller->raise(n);
    }
}

int irq_register_ipi(enum irq_ipi kind, irq_handler_fn fn, void *arg)
{
    if ((unsigned int)kind >= IRQ_IPI_KINDS || irq_table.controller->ipi_line[kind] == IRQ_NO_LINE) {
        return -EINVAL;
    }
    unsigned int line = irq_table.controller->ipi_line[kind];
    int err = irq_register(line, fn, arg);
    if (err == 0 && kind == IRQ_IPI_LOCK) {
        irq_make_urgent(line);     /* its waiter may be in a handler */
    }
    return err;
}

void irq_send_ipi(unsigned int cpu, enum irq_ipi kind)
{
    if (cpu < CONFIG_CPUS && (unsigned int)kind < IRQ_IPI_KINDS && irq_table.controller->send_ipi != NULL) {
        irq_table.controller->send_ipi(cpu, irq_table.controller->ipi_line[kind]);
    }
}

void irq_send_sgi(unsigned int cpu, unsigned int sgi)
{
    const struct irq_controller *controller = irq_table.controller;

    for (unsigned int kind = 0; kind < IRQ_IPI_KINDS; kind++) {
        if (sgi == controller->ipi_line[kind]) {
            return;     /* the kernel's */
        }
    }
    if (cpu < CONFIG_CPUS && sgi < controller->software_lines && controller->send_ipi != NULL) {
        controller->send_ipi(cpu, sgi);
    }
}

uint32_t irq_spurious_count(void)
{
    return irq_table.spurious;
}

uint32_t irq_line_count(unsigned int n)
{
    uint32_t count = 0;

    for (unsigned int cpu = 0; n < irq_table.lines && cpu < CONFIG_CPUS; cpu++) {
        count += irq_table.dispatched[cpu][n];
    }
    return count;
}

uint32_t irq_cpu_count(unsigned int cpu)
{
    uint32_t count = 0;

    for (unsigned int n = 0; cpu < CONFIG_CPUS && n < irq_table.lines; n++) {
        count += irq_table.dispatched[cpu][n];
    }
    return count;
}

uint32_t irq_handled_count(void)
{
    uint32_t count = 0;

    for (unsigned int cpu = 0; cpu < CONFIG_CPUS; cpu++) {
        count += irq_cpu_count(cpu);
    }
    return count;
}

uint32_t irq_unhandled_count(void)
{
    return irq_table.unhandled;
}

/* Off the hot path. */
__attribute__((cold)) bool irq_unexpected(unsigned int n)
{
    spin_lock(&irq_lock);   /* IRQs are masked in a handler */
    if (n == irq_table.controller->spurious_line) {
        irq_table.spurious++;     /* withdrawn before it was acknowledged: nothing to end */
        spin_unlock(&irq_lock);
        return false;
    }
    /* Nobody will ever clear its cause: mask it, or it would storm. Some
     * cannot be masked (a GIC's SGIs on some GICs): report each once. */
    irq_table.unhandled++;
    bool first = true;
    if (irq_valid(n)) {
        first = !(irq_table.reported[n / 32] & (1u << (n % 32)));
        irq_table.reported[n / 32] |= 1u << (n % 32);
    }
    spin_unlock(&irq_lock);
    if (first) {
        kprintf("irq: no handler for IRQ %u: masked\n", n);
    }
    irq_disable(n);
    return true;
}
