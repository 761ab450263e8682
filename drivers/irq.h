/*
 * Interrupt handlers, for any interrupt controller. A handler runs in IRQ
 * mode on the IRQ stack with IRQs masked. It must not switch stacks or run
 * coroutine code: it hands work to thread context (co_wait_complete()).
 */
#ifndef DRIVERS_IRQ_H
#define DRIVERS_IRQ_H

#include <stdint.h>

typedef void (*irq_handler_fn)(void *arg);

/* Installs fn for irq and enables it; -EINVAL for an id out of range,
 * -EBUSY if it already has a handler. */
int irq_register(unsigned int irq, irq_handler_fn fn, void *arg);

/* Disables irq and removes its handler. */
void irq_unregister(unsigned int irq);

/* Masks or unmasks one interrupt at the controller. An interrupt that
 * arrives without a handler is reported once and disabled. */
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);

/* Interrupts acknowledged as spurious (ID 1023): counted and ignored. */
uint32_t irq_spurious_count(void);

/* Interrupts dispatched to a handler since boot. */
uint32_t irq_handled_count(void);

/* Interrupts that came with no handler: each was reported and masked. */
uint32_t irq_unhandled_count(void);

/* Called by the IRQ vector (boot/<arch>/vectors.S). */
void irq_dispatch(void);

#endif
