#include "drivers/system/nvic/nvic.h"
#include "drivers/irq.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"
#include "boot/kernel.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

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
_Static_assert(NVIC_SYSTICK_IRQ >= NVIC_MAX_IRQS, "SysTick's number is none of the external ones");

struct irq_slot {
    irq_handler_fn fn;
    void *arg;
};

/* One struct: the dispatch path reaches everything from one base address. */
static struct {
    volatile uint32_t *regs;
    unsigned int irq_count;
    /* Counted in IRQ context, read in thread context. */
    volatile uint32_t spurious;
    volatile uint32_t handled;
    volatile uint32_t unhandled;
    struct irq_slot slots[NVIC_SYSTICK_IRQ + 1];
} nvic;

/* An external interrupt of the board's, or the core's SysTick. */
static bool irq_valid(unsigned int irq)
{
    return irq < nvic.irq_count || irq == NVIC_SYSTICK_IRQ;
}

void nvic_init(uintptr_t base, unsigned int irq_count)
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
}

int irq_register(unsigned int irq, irq_handler_fn fn, void *arg)
{
    if (!irq_valid(irq) || fn == NULL) {
        return -EINVAL;
    }
    /* The slot is whole before its interrupt can find it. */
    irq_flags_t flags = irq_save();
    if (nvic.slots[irq].fn != NULL) {
        irq_restore(flags);
        return -EBUSY;
    }
    nvic.slots[irq].arg = arg;
    nvic.slots[irq].fn = fn;
    irq_enable(irq);
    irq_restore(flags);
    return 0;
}

void irq_unregister(unsigned int irq)
{
    if (irq_valid(irq)) {
        irq_disable(irq);
        nvic.slots[irq].fn = NULL;
    }
}

void irq_enable(unsigned int irq)
{
    if (irq < nvic.irq_count) {
        nvic.regs[NVIC_ISER(irq / 32)] = 1u << (irq % 32);
    }
}

void irq_disable(unsigned int irq)
{
    if (irq < nvic.irq_count) {
        nvic.regs[NVIC_ICER(irq / 32)] = 1u << (irq % 32);
        /* Taken effect before whatever the caller does next. */
        dsb();
        isb();
    }
}

/* One CPU: every interrupt is already its. */
int irq_set_cpu(unsigned int irq, unsigned int cpu)
{
    return irq < nvic.irq_count && cpu == 0 ? 0 : -EINVAL;
}

/* With one CPU no handler ever waits for a lock another CPU releases. */
void irq_make_urgent(unsigned int irq)
{
    (void)irq;
}

void irq_raise(unsigned int irq)
{
    if (irq < nvic.irq_count) {
        nvic.regs[NVIC_ISPR(irq / 32)] = 1u << (irq % 32);
        /* Taken, with IRQs unmasked, before we return. */
        dsb();
        isb();
    }
}

uint32_t irq_spurious_count(void)
{
    return nvic.spurious;
}

uint32_t irq_handled_count(void)
{
    return nvic.handled;
}

uint32_t irq_unhandled_count(void)
{
    return nvic.unhandled;
}

/* No handler: off the hot path. Nobody will ever clear its cause: mask
 * it, or it would storm. */
static __attribute__((noinline, cold)) void irq_unexpected(unsigned int irq)
{
    nvic.unhandled++;
    irq_disable(irq);
    kprintf("irq: no handler for IRQ %u: masked\n", irq);
}

/* The exception being handled names the interrupt; a dispatch outside an
 * external interrupt's exception has nothing to dispatch: spurious. */
void irq_dispatch(void)
{
    uint32_t exception = read_ipsr() & XPSR_EXCEPTION_MASK;
    unsigned int irq = exception == EXCEPTION_SYSTICK ? NVIC_SYSTICK_IRQ : exception - EXCEPTION_IRQ0;

    if (exception < EXCEPTION_SYSTICK) {
        nvic.spurious++;
    } else if (irq_valid(irq) && nvic.slots[irq].fn != NULL) {
        nvic.handled++;
        nvic.slots[irq].fn(nvic.slots[irq].arg);
    } else {
        irq_unexpected(irq);
    }
}
