/* ARM Generic Interrupt Controller v2: distributor and CPU interface. */
#ifndef DRIVERS_GIC_GIC_H
#define DRIVERS_GIC_GIC_H

#include "irq/controller.h"

#include <stdint.h>

/* Every interrupt disabled, SPIs routed to CPU 0, this CPU's interface
 * open to all priorities; returns the GIC's operations for irq_init().
 * The kernel's IPIs are SGIs 15 (wake), 14 (lock) and 13 (per-CPU lines changed). */
const struct irq_controller *gic_init(uintptr_t distributor_base, uintptr_t cpu_interface_base);

#endif
