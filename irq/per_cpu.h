/*
 * Interrupts each CPU has its own copy of (a GIC's SGIs and PPIs, below
 * the controller's per_cpu_lines): enabled, masked and made urgent in
 * every CPU's registers, not only the caller's (irq/per_cpu.c). For
 * irq/irq.c.
 */
#ifndef IRQ_PER_CPU_H
#define IRQ_PER_CPU_H

#include "irq/controller.h"

#include <stdbool.h>

enum irq_per_cpu_change {
    IRQ_PER_CPU_UNMASK,
    IRQ_PER_CPU_MASK,
    IRQ_PER_CPU_URGENT,
};

/* At irq_init(): the layer's own IPI (IRQ_IPI_SYNC), on a machine of
 * several CPUs whose controller sends IPIs. */
void irq_per_cpu_init(const struct irq_controller *controller);

/* Line n, below per_cpu_lines, so changed on every CPU: at once on the
 * caller's, and on each other running CPU before this returns (with IRQs
 * unmasked; masked, as soon as that CPU takes its IPI). */
void irq_per_cpu_change(unsigned int n, enum irq_per_cpu_change change);

/* On a CPU as it starts (irq_init_cpu()): every change made so far. */
void irq_per_cpu_start(void);

#endif
