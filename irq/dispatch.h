/*
 * The interrupt layer's one dispatch, written once here and compiled into
 * the controller's own file against its constant operations table
 * (IRQ_DEFINE_DISPATCH), where the compiler calls acknowledge() and end()
 * directly or inlines them. Through the table's pointers the two calls
 * cost some twenty instructions an interrupt, an eighth of the path from
 * the vector to the woken coroutine (tests/bench/irq_bench.c); an image
 * has one root controller, so nothing is lost by binding it at build time.
 */
#ifndef IRQ_DISPATCH_H
#define IRQ_DISPATCH_H

#include "irq/controller.h"
#include "arch/cpu.h"

#include <stdbool.h>
#include <stddef.h>

#ifndef CONFIG_IRQ_LINES
#error "CONFIG_IRQ_LINES: the board's board.mk sets IRQ_LINES"
#endif

struct irq_slot {
    irq_handler_fn fn;
    void *arg;
};

/* One struct: the dispatch reaches everything from one base address. */
struct irq_table {
    const struct irq_controller *controller;
    unsigned int lines;
    /* Counted in IRQ context, read in thread context; each CPU counts in
     * its own row, so that the hot path needs no lock. */
    volatile uint32_t dispatched[CONFIG_CPUS][CONFIG_IRQ_LINES];
    volatile uint32_t spurious;
    volatile uint32_t unhandled;
    uint32_t reported[(CONFIG_IRQ_LINES + 31) / 32];  /* unhandled lines already reported */
    struct irq_slot slots[CONFIG_IRQ_LINES];
};

extern struct irq_table irq_table;

/* Spurious, or no handler: counted, reported once, masked. Returns whether
 * the interrupt is owed an end. */
bool irq_unexpected(unsigned int irq);

/* The one hook point of the IRQ path, for a tracer: in an image built with
 * make IRQ_HOOK=1, irq_dispatch_hook(irq) runs on the CPU that took the
 * interrupt, IRQs masked, before irq's handler; whoever traces defines it.
 * Without, it is not in the image at all: a call would cost a few of the
 * 150 instructions make bench allows from the vector to the coroutine. */
#ifdef CONFIG_IRQ_HOOK
void irq_dispatch_hook(unsigned int irq);
#else
static inline void irq_dispatch_hook(unsigned int irq)
{
    (void)irq;
}
#endif

static inline __attribute__((always_inline)) void irq_dispatch_through(const struct irq_controller *controller)
{
    uint32_t token = controller->acknowledge();
    unsigned int n = token & controller->line_mask;

    /* The build's bound, not the controller's: a line beyond the
     * controller's never gets a handler (irq_register()). */
    if (n < CONFIG_IRQ_LINES && irq_table.slots[n].fn != NULL) {
        irq_table.dispatched[cpu_index()][n]++;
        irq_dispatch_hook(n);
        irq_table.slots[n].fn(irq_table.slots[n].arg);
    } else if (!irq_unexpected(n)) {
        return;
    }
    if (controller->end != NULL) {
        controller->end(token);
    }
}

/* In the controller's file, after its table: the image's irq_dispatch(),
 * which the IRQ vector calls. */
#define IRQ_DEFINE_DISPATCH(controller)         \
    void irq_dispatch(void)                     \
    {                                           \
        irq_dispatch_through(&(controller));    \
    }

#endif
