/* The NVIC's operations for the kernel's interrupt layer (irq/irq.c). */
#include "drivers/system/nvic/nvic.h"
#include "irq/dispatch.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"

/* Registers from the NVIC's base (0xe000e100), in 32-bit words. */
#define NVIC_ISER(n)        (0x000 / 4 + (n))   /* set-enable, 32 interrupts a word */
#define NVIC_ICER(n)        (0x080 / 4 + (n))   /* clear-enable */
#define NVIC_ISPR(n)        (0x100 / 4 + (n))   /* set-pending */
#define NVIC_ICPR(n)        (0x180 / 4 + (n))   /* clear-pending */
#define NVIC_IPR            0x300               /* byte offset: one priority byte each */

#define NVIC_PRIORITY       0xffu   /* the lowest: faults (priority 0) stay above */
#define NVIC_MAX_IRQS       240u    /* a Cortex-M4's most; boot/armv7m/vectors.S has room for them */
#define EXCEPTION_SYSTICK   15u
#define EXCEPTION_IRQ0      16u     /* exception number of external interrupt 0 */
#define NVIC_NOT_AN_IRQ     0xffffffffu

static struct {
    volatile uint32_t *regs;
    unsigned int irq_count;     /* external interrupts; SysTick's number */
} nvic;

/* The exception being handled names the interrupt; outside an external
 * interrupt's or SysTick's exception there is nothing to dispatch. The
 * hardware ends it on the exception's return: no end(). */
static uint32_t nvic_acknowledge(void)
{
    uint32_t exception = read_ipsr() & XPSR_EXCEPTION_MASK;

    if (__builtin_expect(exception >= EXCEPTION_IRQ0, 1)) {
        return exception - EXCEPTION_IRQ0;
    }
    return exception == EXCEPTION_SYSTICK ? nvic.irq_count : NVIC_NOT_AN_IRQ;
}

static void nvic_mask(unsigned int irq)
{
    if (irq < nvic.irq_count) {
        nvic.regs[NVIC_ICER(irq / 32)] = 1u << (irq % 32);
        /* Taken effect before whatever the caller does next. */
        dsb();
        isb();
    }
}

static void nvic_unmask(unsigned int irq)
{
    if (irq < nvic.irq_count) {
        nvic.regs[NVIC_ISER(irq / 32)] = 1u << (irq % 32);
    }
}

static void nvic_raise(unsigned int irq)
{
    if (irq < nvic.irq_count) {
        nvic.regs[NVIC_ISPR(irq / 32)] = 1u << (irq % 32);
        /* Taken, with IRQs unmasked, before we return. */
        dsb();
        isb();
    }
}

/* One CPU: no routes, no IPIs, and no handler ever waits for a lock
 * another CPU releases. */
static unsigned int nvic_count_lines(void)
{
    return nvic.irq_count + 1u;     /* and SysTick */
}

static const struct irq_controller nvic_controller = {
    .name = "NVIC",
    .count_lines = nvic_count_lines,
    .ipi_line = { [IRQ_IPI_WAKE] = IRQ_NO_LINE, [IRQ_IPI_LOCK] = IRQ_NO_LINE, [IRQ_IPI_SYNC] = IRQ_NO_LINE },
    .acknowledge = nvic_acknowledge,
    .line_mask = 0xffffffffu,
    .spurious_line = NVIC_NOT_AN_IRQ,
    .mask = nvic_mask,
    .unmask = nvic_unmask,
    .raise = nvic_raise,
};

IRQ_DEFINE_DISPATCH(nvic_controller)

const struct irq_controller *nvic_init(uintptr_t base, unsigned int irq_count)
{
    nvic.regs = (volatile uint32_t *)base;
    nvic.irq_count = irq_count < NVIC_MAX_IRQS ? irq_count : NVIC_MAX_IRQS;
    volatile uint8_t *priority = (volatile uint8_t *)base + NVIC_IPR;
    for (unsigned int irq = 0; irq < nvic.irq_count; irq += 32) {
        nvic.regs[NVIC_ICER(irq / 32)] = 0xffffffffu;
        nvic.regs[NVIC_ICPR(irq / 32)] = 0xffffffffu;
    }
    for (unsigned int irq = 0; irq < nvic.irq_count; irq++) {
        priority[irq] = NVIC_PRIORITY;
    }
    /* SysTick too, whose reset priority, 0, would let it preempt them. */
    write_shpr3((read_shpr3() & 0x00ffffffu) | NVIC_PRIORITY << 24);
    return &nvic_controller;
}
