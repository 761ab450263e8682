/* The ARMv7-M Nested Vectored Interrupt Controller. */
#ifndef DRIVERS_NVIC_NVIC_H
#define DRIVERS_NVIC_NVIC_H

#include "irq/controller.h"

#include <stdint.h>

/* Every one of the irq_count external interrupts disabled, each, and
 * SysTick, at the lowest priority (all equal: handlers never nest, and a
 * fault in a handler still reaches its own handler, above them); returns
 * the NVIC's operations for irq_init(). Its interrupt numbers are the
 * external interrupts' (exception number minus 16), then SysTick's. */
const struct irq_controller *nvic_init(uintptr_t base, unsigned int irq_count);

/* The number irq_register() takes for the core's SysTick exception: the
 * one after the last external interrupt, irq_count. SysTick is enabled in
 * its own registers: irq_enable() and irq_disable() leave it alone. */
#define NVIC_SYSTICK_IRQ(irq_count) (irq_count)

#endif
