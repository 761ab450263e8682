/*
 * What an interrupt controller gives the kernel's interrupt layer
 * (irq/irq.c): a constant table of operations on its lines. The layer
 * keeps the handlers, dispatches, counts and sends the kernel's IPIs; a
 * controller only knows its registers. The board makes the controller's
 * table from its addresses and installs it (irq_init()) in board_init().
 */
#ifndef IRQ_CONTROLLER_H
#define IRQ_CONTROLLER_H

#include "drivers/irq.h"

#include <stdint.h>

/* An ipi_line[] entry for a kind of IPI the controller cannot send. */
#define IRQ_NO_LINE     0xffffffffu

struct irq_controller {
    const char *name;
    /* Interrupts 0 to count_lines() - 1, once the controller is set up. */
    unsigned int (*count_lines)(void);
    unsigned int per_cpu_lines;     /* 0 to per_cpu_lines - 1 are each CPU's own */
    unsigned int software_lines;    /* 0 to software_lines - 1 can be sent to a CPU */
    unsigned int ipi_line[IRQ_IPI_KINDS];
    /* Takes the interrupt that made the CPU enter the IRQ vector and
     * returns a token: its number in the bits line_mask selects, and in
     * the others whatever end() needs back (a GIC's source CPU). */
    uint32_t (*acknowledge)(void);
    uint32_t line_mask;
    /* The number in the token when nothing was pending any more. */
    unsigned int spurious_line;
    /* Ends what acknowledge() took; NULL where the hardware ends it by
     * itself on the return from the exception. */
    void (*end)(uint32_t token);
    void (*mask)(unsigned int irq);
    void (*unmask)(unsigned int irq);
    /* A shared interrupt to one CPU; NULL on a machine of one CPU. */
    int (*route)(unsigned int irq, unsigned int cpu);
    /* Makes irq pending on the calling CPU. */
    void (*raise)(unsigned int irq);
    /* Interrupts CPU cpu through line (below software_lines); NULL
     * without IPIs. */
    void (*send_ipi)(unsigned int cpu, unsigned int line);
    /* irq_make_urgent(); NULL where no handler can wait for another CPU. */
    void (*make_urgent)(unsigned int irq);
    /* The calling CPU's part of the controller as the CPU starts; NULL
     * where every CPU's is set up with the controller. */
    void (*init_cpu)(void);
};

/* Makes controller the one drivers/irq.h reaches, on the first CPU with
 * IRQs masked, before any irq_register(). Stops the kernel if it has more
 * lines than the build's table (IRQ_LINES in board.mk). */
void irq_init(const struct irq_controller *controller);

/* On every other CPU as it starts, IRQs masked: its part of the
 * controller, and every per-CPU line (SGIs, PPIs) as the others have it
 * (irq/per_cpu.c). */
void irq_init_cpu(void);

#endif
