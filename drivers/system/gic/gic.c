/* The GICv2's operations for the kernel's interrupt layer (irq/irq.c). */
#include "drivers/system/gic/gic.h"
#include "irq/dispatch.h"
#include "arch/sysreg.h"

#include <errno.h>
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
#define GIC_MAX_IRQS        1020u               /* IDs from 1020 are special: never a line */
#define GIC_SGI_COUNT       16u
#define GIC_WAKE_SGI        15u
#define GIC_LOCK_SGI        14u
#define GIC_SYNC_SGI        13u
#define GICD_SGIR_TO_SELF   (2u << 24)          /* target filter: the requesting CPU */
#define GICD_SGIR_TARGET(cpu) ((1u << (cpu)) << 16) /* target filter 0: the CPU list */
#define GIC_TARGET_CPUS     8u                  /* GICv2 routes to CPUs 0-7 */

static struct {
    volatile uint32_t *gicd;
    volatile uint32_t *gicc;
} gic;

static volatile uint8_t *gic_priority(void)
{
    return (volatile uint8_t *)gic.gicd + GICD_IPRIORITYR;
}

/* This CPU's interface, and the priorities of the IDs each CPU has its own
 * of (SGIs and PPIs, 0-31). */
static void gic_init_cpu(void)
{
    for (unsigned int id = 0; id < GIC_FIRST_SPI; id++) {
        gic_priority()[id] = GIC_PRIORITY;
    }
    gic.gicc[GICC_PMR] = GICC_PMR_ALL;
    gic.gicc[GICC_CTLR] = GICC_CTLR_ENABLE;
}

/* The ID, with the source CPU of an SGI, which EOIR wants back. */
static uint32_t gic_acknowledge(void)
{
    return gic.gicc[GICC_IAR];
}

static void gic_end(uint32_t iar)
{
    gic.gicc[GICC_EOIR] = iar;
}

static void gic_mask(unsigned int id)
{
    gic.gicd[GICD_ICENABLER(id / 32)] = 1u << (id % 32);
}

static void gic_unmask(unsigned int id)
{
    gic.gicd[GICD_ISENABLER(id / 32)] = 1u << (id % 32);
}

static int gic_route(unsigned int id, unsigned int cpu)
{
    if (cpu >= GIC_TARGET_CPUS) {
        return -EINVAL;
    }
    volatile uint8_t *target = (volatile uint8_t *)gic.gicd + GICD_ITARGETSR;
    target[id] = (uint8_t)(1u << cpu);
    return 0;
}

static void gic_raise(unsigned int id)
{
    if (id < GIC_SGI_COUNT) {
        gic.gicd[GICD_SGIR] = GICD_SGIR_TO_SELF | id;
    } else {
        gic.gicd[GICD_ISPENDR(id / 32)] = 1u << (id % 32);
    }
    /* Let it arrive before we return (when IRQs are unmasked): a second
     * raise while the first is still pending would merge with it. */
    dsb();
    isb();
}

static void gic_send_ipi(unsigned int cpu, unsigned int sgi)
{
    if (cpu < GIC_TARGET_CPUS) {
        dsb_ish();  /* what the target is woken for is visible first */
        gic.gicd[GICD_SGIR] = GICD_SGIR_TARGET(cpu) | sgi;
    }
}

static void gic_make_urgent(unsigned int id)
{
    gic_priority()[id] = GIC_PRIORITY_URGENT;
}

static unsigned int gic_count_lines(void)
{
    unsigned int lines = 32u * ((gic.gicd[GICD_TYPER] & 0x1fu) + 1u);

    return lines < GIC_MAX_IRQS ? lines : GIC_MAX_IRQS;
}

static const struct irq_controller gic_controller = {
    .name = "GICv2",
    .count_lines = gic_count_lines,
    .per_cpu_lines = GIC_FIRST_SPI,
    .software_lines = GIC_SGI_COUNT,
    .ipi_line = { [IRQ_IPI_WAKE] = GIC_WAKE_SGI, [IRQ_IPI_LOCK] = GIC_LOCK_SGI, [IRQ_IPI_SYNC] = GIC_SYNC_SGI },
    .acknowledge = gic_acknowledge,
    .line_mask = GIC_IAR_ID_MASK,
    .spurious_line = GIC_SPURIOUS_ID,
    .end = gic_end,
    .mask = gic_mask,
    .unmask = gic_unmask,
    .route = gic_route,
    .raise = gic_raise,
    .send_ipi = gic_send_ipi,
    .make_urgent = gic_make_urgent,
    .init_cpu = gic_init_cpu,
};

IRQ_DEFINE_DISPATCH(gic_controller)

const struct irq_controller *gic_init(uintptr_t distributor_base, uintptr_t cpu_interface_base)
{
    gic.gicd = (volatile uint32_t *)distributor_base;
    gic.gicc = (volatile uint32_t *)cpu_interface_base;

    gic.gicd[GICD_CTLR] = 0;
    unsigned int lines = gic_count_lines();
    volatile uint8_t *target = (volatile uint8_t *)gic.gicd + GICD_ITARGETSR;
    for (unsigned int id = 0; id < lines; id += 32) {
        gic.gicd[GICD_ICENABLER(id / 32)] = 0xffffffffu;
    }
    for (unsigned int id = 0; id < lines; id++) {
        gic_priority()[id] = GIC_PRIORITY;
        if (id >= GIC_FIRST_SPI) {
            target[id] = 1u;    /* CPU 0 */
        }
    }
    gic.gicd[GICD_CTLR] = GICD_CTLR_ENABLE;
    gic_init_cpu();
    return &gic_controller;
}
