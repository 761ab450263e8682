/*
 * Interrupt handlers, for any interrupt controller: the kernel's interrupt
 * layer (irq/irq.c) keeps the handler table, dispatches and counts, and
 * reaches the board's controller through its ops (irq/controller.h).
 *
 * A handler runs in IRQ mode on the IRQ stack with IRQs masked. It must
 * not switch stacks or run coroutine code: it hands work to thread context
 * (co_wait_complete()). Interrupt numbers are the controller's own: a
 * GIC's IDs (SGIs 0-15, PPIs 16-31, SPIs from 32), an NVIC's external
 * interrupts (exception number minus 16); board/<name>/platform.h names
 * the board's.
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
 * arrives without a handler is reported once and disabled. An interrupt
 * each CPU has its own copy of (software and per-CPU ones, IDs below 32 on
 * a GIC) changes on every CPU: called with IRQs unmasked, it has on each
 * running CPU when this returns (and irq_register() too); with IRQs
 * masked, on each as soon as that CPU takes the kernel's IPI. CPUs that
 * start later take every change as they start. */
void irq_enable(unsigned int irq);
void irq_disable(unsigned int irq);

/* Routes a shared interrupt to CPU cpu (all go to CPU 0 until then);
 * -EINVAL for one that is not shared or a CPU out of range. */
int irq_set_cpu(unsigned int irq, unsigned int cpu);

/* Signals interrupt irq to its CPU even while a handler runs there, so
 * that it ends a WFI in that handler; it is still taken only once IRQs
 * are unmasked, so handlers never nest. Per-CPU IDs change on every CPU,
 * as irq_enable()'s do. (The kernel's lock IPI is made so by itself.) */
void irq_make_urgent(unsigned int irq);

/* Makes irq pending on the calling CPU, as if its source had signalled
 * it: with IRQs unmasked its handler has run when this returns (in QEMU;
 * hardware may take a few cycles more). For interrupts that no device
 * raises (board/facts.h's BOARD_TEST_SOFT_IRQ). */
void irq_raise(unsigned int irq);

/* The kernel's interrupts between CPUs, by what they are for; each
 * controller says which of its interrupts carries each kind. */
enum irq_ipi {
    IRQ_IPI_WAKE,   /* ends an idle CPU's WFI: work is ready, or a deadline moved */
    IRQ_IPI_LOCK,   /* ends a spinlock waiter's WFI, even inside a handler */
    IRQ_IPI_SYNC,   /* the interrupt layer's own: a per-CPU line changed (irq_enable()) */
    IRQ_IPI_KINDS
};

/* Installs fn for IPIs of this kind and enables them on every CPU (as
 * irq_enable() does); an IRQ_IPI_LOCK is urgent (irq_make_urgent()). -EINVAL for a kind out of range or
 * a controller without IPIs, -EBUSY if the kind has a handler. */
int irq_register_ipi(enum irq_ipi kind, irq_handler_fn fn, void *arg);

/* Interrupts CPU cpu with an IPI of this kind. What the caller wrote
 * before is visible to cpu's handler. Only images for several CPUs send. */
void irq_send_ipi(unsigned int cpu, enum irq_ipi kind);

/* Raises software interrupt sgi on CPU cpu, for an application's own
 * signals between CPUs: a GIC's SGIs 0-12 (13 to 15 carry the kernel's
 * IPIs, which this refuses, as it does any other number); nothing on a
 * controller without them. What the caller wrote before is visible to
 * cpu's handler. */
void irq_send_sgi(unsigned int cpu, unsigned int sgi);

/* Interrupts acknowledged as spurious (a GIC's ID 1023): counted and
 * ignored. */
uint32_t irq_spurious_count(void);

/* Interrupts dispatched to a handler since boot: all of them, those of
 * one interrupt (0 for an id out of range), and those taken on one CPU
 * (0 for a CPU the image has not). */
uint32_t irq_handled_count(void);
uint32_t irq_line_count(unsigned int irq);
uint32_t irq_cpu_count(unsigned int cpu);

/* Interrupts that came with no handler: each was reported and masked. */
uint32_t irq_unhandled_count(void);

/* Called by the IRQ vector (boot/<arch>/vectors.S). */
void irq_dispatch(void);

#endif
