/* The ARMv7-M Nested Vectored Interrupt Controller. */
#ifndef DRIVERS_NVIC_NVIC_H
#define DRIVERS_NVIC_NVIC_H

#include <stdint.h>

/* Every one of the irq_count external interrupts disabled, each, and
 * SysTick, at the lowest priority (all equal: handlers never nest, and a fault in a
 * handler still reaches its own handler, above them). Implements
 * drivers/irq.h, whose interrupt numbers are the NVIC's (exception number
 * minus 16). */
void nvic_init(uintptr_t base, unsigned int irq_count);

/* The number irq_register() takes for the core's SysTick exception, past
 * every external interrupt. SysTick is enabled in its own registers:
 * irq_enable() and irq_disable() leave it alone. */
#define NVIC_SYSTICK_IRQ    240u

#endif
