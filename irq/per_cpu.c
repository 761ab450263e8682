/*
 * What a per-CPU line should be on every CPU, kept here and applied in
 * each CPU's own copy of the controller's registers: at once on the CPU
 * that asks, by an IPI of the layer's own (IRQ_IPI_SYNC) on the others
 * that run, and by each CPU as it starts. Without it an SGI registered on
 * CPU 0 is enabled on CPU 0 alone, which QEMU's GIC hides (it delivers
 * SGIs whether enabled or not) and hardware does not.
 */
#include "irq/per_cpu.h"
#include "arch/cpu.h"
#include "boot/kernel.h"
#include "boot/spinlock.h"

#include <stdint.h>

static struct {
    const struct irq_controller *controller;
    uint32_t unmasked;              /* one bit a per-CPU line */
    uint32_t urgent;
    uint32_t generation;            /* of the two masks: changes under the lock */
    uint32_t online;                /* CPUs that take the changes, one bit each */
    volatile uint32_t applied[CONFIG_CPUS];  /* the generation each CPU has */
} per_cpu;

static struct spinlock per_cpu_lock = SPINLOCK_INIT("irq per-CPU lines");

/* Lock held: this CPU's registers as the masks say. */
static void apply(void)
{
    const struct irq_controller *controller = per_cpu.controller;

    for (unsigned int n = 0; n < controller->per_cpu_lines; n++) {
        if (per_cpu.unmasked & (1u << n)) {
            controller->unmask(n);
        } else {
            controller->mask(n);
        }
        if ((per_cpu.urgent & (1u << n)) && controller->make_urgent != NULL) {
            controller->make_urgent(n);
        }
    }
    per_cpu.applied[cpu_index()] = per_cpu.generation;
}

#if CONFIG_CPUS > 1
static void sync_ipi(void *arg)
{
    (void)arg;
    spin_lock(&per_cpu_lock);
    apply();
    spin_unlock(&per_cpu_lock);
}
#endif

void irq_per_cpu_init(const struct irq_controller *controller)
{
    if (controller->per_cpu_lines > 32) {
        kernel_panic("irq: %s has %u per-CPU lines, more than the 32 the layer keeps", controller->name,
                     controller->per_cpu_lines);
    }
    per_cpu.controller = controller;
    per_cpu.online = 1u << cpu_index();
#if CONFIG_CPUS > 1
    if (irq_register_ipi(IRQ_IPI_SYNC, sync_ipi, NULL) != 0) {
        kernel_panic("irq: %s has no line for the per-CPU lines' IPI", controller->name);
    }
#endif
}

void irq_per_cpu_change(unsigned int n, enum irq_per_cpu_change change)
{
    uint32_t bit = 1u << n;
    irq_flags_t flags = spin_lock_irqsave(&per_cpu_lock);

    switch (change) {
    case IRQ_PER_CPU_UNMASK:
        per_cpu.unmasked |= bit;
        break;
    case IRQ_PER_CPU_MASK:
        per_cpu.unmasked &= ~bit;
        break;
    case IRQ_PER_CPU_URGENT:
        per_cpu.urgent |= bit;
        break;
    }
    uint32_t generation = ++per_cpu.generation;
    uint32_t others = per_cpu.online & ~(1u << cpu_index());
    apply();
    spin_unlock_irqrestore(&per_cpu_lock, flags);

#if CONFIG_CPUS > 1
    for (unsigned int cpu = 0; cpu < CONFIG_CPUS; cpu++) {
        if (others & (1u << cpu)) {
            irq_send_ipi(cpu, IRQ_IPI_SYNC);
        }
    }
    /* Each takes it as soon as its IRQs are unmasked: with ours masked,
     * one of them might be waiting for us in the same way. In WFE, not a
     * bare loop: the release of the lock after applying it sends SEV, and
     * a CPU that only spins would keep QEMU's one thread under -icount
     * from ever running the CPU it waits for. */
    for (unsigned int cpu = 0; cpu < CONFIG_CPUS && !irq_flags_masked(flags); cpu++) {
        while ((others & (1u << cpu)) && (int32_t)(per_cpu.applied[cpu] - generation) < 0) {
            arch_spin_relax();
        }
    }
#else
    (void)others;       /* one CPU: nobody else to tell */
    (void)generation;
#endif
}

void irq_per_cpu_start(void)
{
    irq_flags_t flags = spin_lock_irqsave(&per_cpu_lock);

    apply();
    per_cpu.online |= 1u << cpu_index();
    spin_unlock_irqrestore(&per_cpu_lock, flags);
}
