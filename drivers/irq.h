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
 * arrives without a handler is reported once and disabled. Interrupts
 * private to a CPU (software and per-CPU ones, IDs below 32 on a GIC) are
 * enabled and disabled on the calling CPU only. */
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);

/* Routes a shared interrupt to CPU cpu (all go to CPU 0 until then);
 * -EINVAL for one that is not shared or a CPU out of range. */
int irq_set_cpu(unsigned int irq, unsigned int cpu);

/* Signals interrupt irq to its CPU even while a handler runs there, so
 * that it ends a WFI in that handler; it is still taken only once IRQs
 * are unmasked, so handlers never nest. For the kernel's spinlock wake-up;
 * per-CPU IDs change on the calling CPU only. */
void irq_make_urgent(unsigned int irq);

/* Makes irq pending on the calling CPU, as if its source had signalled
 * it: with IRQs unmasked its handler has run when this returns (in QEMU;
 * hardware may take a few cycles more). For interrupts that no device
 * raises (board/facts.h's BOARD_TEST_SOFT_IRQ). */
void irq_raise(unsigned int irq);

/* Raises software interrupt sgi (0-15) on CPU cpu: a GIC's, for the
 * kernel's cross-CPU wake-ups (only images for several CPUs call it). */
void irq_send_sgi(unsigned int cpu, unsigned int sgi);

/* Interrupts acknowledged as spurious (ID 1023): counted and ignored. */
uint32_t irq_spurious_count(void);

/* Interrupts dispatched to a handler since boot. */
uint32_t irq_handled_count(void);

/* Interrupts that came with no handler: each was reported and masked. */
uint32_t irq_unhandled_count(void);

/* Called by the IRQ vector (boot/<arch>/vectors.S). */
void irq_dispatch(void);

#endif
