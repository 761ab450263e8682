/* ARM Generic Interrupt Controller v2: distributor and CPU interface. */
#ifndef DRIVERS_GIC_GIC_H
#define DRIVERS_GIC_GIC_H

#include <stdint.h>

/* Every interrupt disabled, SPIs routed to CPU 0, this CPU's interface
 * open to all priorities. Implements drivers/irq.h. */
void gic_init(uintptr_t distributor_base, uintptr_t cpu_interface_base);

/* On every other CPU as it starts: its banked priorities and its CPU
 * interface. */
void gic_init_cpu(void);

/* Raises software-generated interrupt sgi (0-15) on this CPU. With IRQs
 * unmasked, QEMU has run its handler when this returns; hardware may take
 * a few cycles more. */
void gic_send_sgi_to_self(unsigned int sgi);

#endif
