#include "drivers/system/gic/gic.h"
#include "drivers/irq.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"
#include "boot/kernel.h"
#include "boot/spinlock.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

/* Distributor registers, in 32-bit words. */
#define GICD_CTLR           (0x000 / 4)
#define GICD_TYPER          (0x004 / 4)
#define GICD_ISENABLER(n)   (0x100 / 4 + (n))   /* set-enable, 32 IDs a word */
#define GICD_ICENABLER(n)   (0x180 / 4 + (n))   /* clear-enable */
#define GICD_ISPENDR(n)     (0x200 / 4 + (n))   /* set-pending */
#define GICD_IPRIORITYR     0x400               /* byte offset: one byte an ID */
#define GICD_ITARGETSR      0x800               /* byte offset: one byte an ID */
#define GICD_SGIR           (0xf00 / 4)         /* software-generated interrupts */
/* CPU interface registers, in 32-bit words. */
#define GICC_CTLR           (0x000 / 4)
#define GICC_PMR            (0x004 / 4)         /* priority mask */
#define GICC_IAR            (0x00c / 4)         /* acknowledge: reading takes the IRQ */
#define GICC_EOIR           (0x010 / 4)         /* end of interrupt */

#define GICD_CTLR_ENABLE    1u
#define GICC_CTLR_ENABLE    1u
#define GICC_PMR_ALL        0xffu               /* let every priority through */
#define GIC_PRIORITY        0xa0u               /* one priority for all: no nesting */
#define GIC_PRIORITY_URGENT 0x80u               /* above a running handler's */
#define GIC_FIRST_SPI       32u
#define GIC_SPURIOUS_ID     1023u
#define GIC_IAR_ID_MASK     0x3ffu
#define GIC_MAX_IRQS        512u                /* QEMU virt implements 288 */
_Static_assert(GIC_MAX_IRQS <= GIC_SPURIOUS_ID, "the spurious ID must fall outside the handler table");
#define GIC_SGI_COUNT       16u
#define GICD_SGIR_TO_SELF   (2u << 24)          /* target filter: the requesting CPU */
#define GICD_SGIR_TARGET(cpu) ((1u << (cpu)) << 16) /* target filter 0: the CPU list */
#define GIC_TARGET_CPUS     8u                  /* GICv2 routes to CPUs 0-7 */

struct irq_slot {
    irq_handler_fn fn;
    void *arg;
};

/* One struct: the dispatch path reaches everything from one base address. */
static struct {
    volatile uint32_t *gicd;
    volatile uint32_t *gicc;
    unsigned int irq_count;
    /* Counted in IRQ context, read in thread context; handled per CPU,
     * so that the hot path needs no lock. */
    volatile uint32_t spurious;
    volatile uint32_t handled[CONFIG_CPUS];
    volatile uint32_t unhandled;
    uint32_t reported[GIC_MAX_IRQS / 32];   /* unhandled IDs already reported */
    struct irq_slot slots[GIC_MAX_IRQS];
} gic;

/* Registration and the once-only reports: any CPU may make them. */
static struct spinlock gic_lock = SPINLOCK_INIT("GIC");

/* This CPU's interface, and the priorities of the IDs each CPU has its own
 * of (SGIs and PPIs, 0-31). */
void gic_init_cpu(void)
{
    volatile uint8_t *priority = (volatile uint8_t *)gic.gicd + GICD_IPRIORITYR;

    for (unsigned int id = 0; id < GIC_FIRST_SPI; id++) {
        priority[id] = GIC_PRIORITY;
    }
    gic.gicc[GICC_PMR] = GICC_PMR_ALL;
    gic.gicc[GICC_CTLR] = GICC_CTLR_ENABLE;
}

void gic_init(uintptr_t distributor_base, uintptr_t cpu_interface_base)
{
    gic.gicd = (volatile uint32_t *)distributor_base;
    gic.gicc = (volatile uint32_t *)cpu_interface_base;

    gic.gicd[GICD_CTLR] = 0;
    gic.irq_count = 32u * ((gic.gicd[GICD_TYPER] & 0x1fu) + 1u);
    if (gic.irq_count > GIC_MAX_IRQS) {
        gic.irq_count = GIC_MAX_IRQS;
    }
    volatile uint8_t *priority = (volatile uint8_t *)distributor_base + GICD_IPRIORITYR;
    volatile uint8_t *target = (volatile uint8_t *)distributor_base + GICD_ITARGETSR;
    for (unsigned int id = 0; id < gic.irq_count; id += 32) {
        gic.gicd[GICD_ICENABLER(id / 32)] = 0xffffffffu;
    }
    for (unsigned int id = 0; id < gic.irq_count; id++) {
        priority[id] = GIC_PRIORITY;
        if (id >= GIC_FIRST_SPI) {
            target[id] = 1u;    /* CPU 0 */
        }
    }
    gic.gicd[GICD_CTLR] = GICD_CTLR_ENABLE;
    gic_init_cpu();
}

void irq_make_urgent(unsigned int irq)
{
    if (irq < gic.irq_count) {
        volatile uint8_t *priority = (volatile uint8_t *)gic.gicd + GICD_IPRIORITYR;
        priority[irq] = GIC_PRIORITY_URGENT;
    }
}

void irq_send_sgi(unsigned int cpu, unsigned int sgi)
{
    if (sgi < GIC_SGI_COUNT && cpu < GIC_TARGET_CPUS) {
        dsb_ish();  /* what the target is woken for is visible first */
        gic.gicd[GICD_SGIR] = GICD_SGIR_TARGET(cpu) | sgi;
    }
}

int irq_set_cpu(unsigned int irq, unsigned int cpu)
{
    if (irq < GIC_FIRST_SPI || irq >= gic.irq_count || cpu >= GIC_TARGET_CPUS) {
        return -EINVAL;
    }
    volatile uint8_t *target = (volatile uint8_t *)gic.gicd + GICD_ITARGETSR;
    target[irq] = (uint8_t)(1u << cpu);
    return 0;
}

void gic_send_sgi_to_self(unsigned int sgi)
{
    if (sgi < GIC_SGI_COUNT) {
        gic.gicd[GICD_SGIR] = GICD_SGIR_TO_SELF | sgi;
        /* Let it arrive before we return (when IRQs are unmasked): a second
         * send while the first is still pending would merge with it. */
        dsb();
        isb();
    }
}

void irq_raise(unsigned int irq)
{
    if (irq < GIC_SGI_COUNT) {
        gic_send_sgi_to_self(irq);
    } else if (irq < gic.irq_count) {
        gic.gicd[GICD_ISPENDR(irq / 32)] = 1u << (irq % 32);
        dsb();
        isb();
    }
}

int irq_register(unsigned int irq, irq_handler_fn fn, void *arg)
{
    if (irq >= gic.irq_count || fn == NULL) {
        return -EINVAL;
    }
    /* The slot is whole before its interrupt can find it. */
    irq_flags_t flags = spin_lock_irqsave(&gic_lock);
    if (gic.slots[irq].fn != NULL) {
        spin_unlock_irqrestore(&gic_lock, flags);
        return -EBUSY;
    }
    gic.slots[irq].arg = arg;
    dmb_ish();
    gic.slots[irq].fn = fn;
    irq_enable(irq);
    spin_unlock_irqrestore(&gic_lock, flags);
    return 0;
}

void irq_unregister(unsigned int irq)
{
    if (irq < gic.irq_count) {
        irq_disable(irq);
        gic.slots[irq].fn = NULL;
    }
}

void irq_enable(unsigned int irq)
{
    if (irq < gic.irq_count) {
        gic.gicd[GICD_ISENABLER(irq / 32)] = 1u << (irq % 32);
    }
}

void irq_disable(unsigned int irq)
{
    if (irq < gic.irq_count) {
        gic.gicd[GICD_ICENABLER(irq / 32)] = 1u << (irq % 32);
    }
}

uint32_t irq_spurious_count(void)
{
    return gic.spurious;
}

uint32_t irq_handled_count(void)
{
    uint32_t handled = 0;

    for (unsigned int cpu = 0; cpu < CONFIG_CPUS; cpu++) {
        handled += gic.handled[cpu];
    }
    return handled;
}

uint32_t irq_unhandled_count(void)
{
    return gic.unhandled;
}

/* Spurious, or no handler: off the hot path. Returns whether the interrupt
 * is owed an end-of-interrupt. */
static __attribute__((noinline, cold)) bool irq_unexpected(unsigned int id)
{
    spin_lock(&gic_lock);   /* IRQs are masked in a handler */
    if (id == GIC_SPURIOUS_ID) {
        gic.spurious++;     /* withdrawn before we read IAR: no EOI owed */
        spin_unlock(&gic_lock);
        return false;
    }
    /* Nobody will ever clear its cause: mask it, or it would storm. SGIs
     * cannot be masked on every GIC, so report each ID once. */
    gic.unhandled++;
    bool first = !(gic.reported[id / 32] & (1u << (id % 32)));
    gic.reported[id / 32] |= 1u << (id % 32);
    spin_unlock(&gic_lock);
    if (first) {
        kprintf("irq: no handler for IRQ %u: masked\n", id);
    }
    irq_disable(id);
    return true;
}

void irq_dispatch(void)
{
    uint32_t iar = gic.gicc[GICC_IAR];
    unsigned int id = iar & GIC_IAR_ID_MASK;

    /* irq_count never exceeds GIC_MAX_IRQS, which is below the spurious ID. */
    if (id < gic.irq_count && gic.slots[id].fn != NULL) {
        gic.handled[cpu_index()]++;
        gic.slots[id].fn(gic.slots[id].arg);
    } else if (!irq_unexpected(id)) {
        return;
    }
    gic.gicc[GICC_EOIR] = iar;
}
