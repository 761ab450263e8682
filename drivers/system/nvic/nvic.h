/* The ARMv7-M Nested Vectored Interrupt Controller. */
#ifndef DRIVERS_NVIC_NVIC_H
#define DRIVERS_NVIC_NVIC_H

#include <stdint.h>

/* Every one of the irq_count external interrupts disabled, each at the
 * lowest priority (all equal: handlers never nest, and a fault in a
 * handler still reaches its own handler, above them). Implements
 * drivers/irq.h, whose interrupt numbers are the NVIC's (exception number
 * minus 16). */
void nvic_init(uintptr_t base, unsigned int irq_count);

#endif
