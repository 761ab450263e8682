/*
 * The CPU's interrupt mask, idle and stop, for ARMv7-M. Code that shares
 * data with an interrupt handler brackets it with irq_save()/irq_restore().
 * The mask is PRIMASK: it holds off every interrupt, and a WFI with it set
 * still ends when one becomes pending.
 */
#ifndef ARCH_ARMV7M_CPU_H
#define ARCH_ARMV7M_CPU_H

#include "arch/asm.h"
#include "arch/sysreg.h"

#include <stdint.h>

typedef uint32_t irq_flags_t;

/* Masks IRQs; returns the previous mask state for irq_restore(). */
static inline irq_flags_t irq_save(void)
{
    irq_flags_t primask;

    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void irq_restore(irq_flags_t primask)
{
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

/* Whether irq_save() found IRQs masked already. */
static inline int irq_flags_masked(irq_flags_t primask)
{
    return (primask & 1u) != 0;
}

static inline void irq_mask(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
}

static inline void irq_unmask(void)
{
    __asm__ volatile("cpsie i" ::: "memory");
}

/* True in an exception handler (IPSR names one), false in thread mode. */
static inline int in_irq_context(void)
{
    return (read_ipsr() & XPSR_EXCEPTION_MASK) != 0;
}

/*
 * Waits for an interrupt with IRQs masked: an interrupt that is already
 * pending ends the wait at once, so a caller that checked its queues with
 * IRQs masked cannot miss the wakeup that arrives after the check. The
 * interrupt is taken once the caller unmasks.
 */
static inline void cpu_wait_for_interrupt(void)
{
    __asm__ volatile("dsb\n\twfi" ::: "memory");
}

/* IRQs masked for good, and the CPU parked: for when nothing may run any
 * more and there is nobody to tell. */
static inline __attribute__((noreturn)) void cpu_halt(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* M-profile boards have one CPU. */
static inline unsigned int cpu_index(void)
{
    return 0;
}

/* The hardware's number for this CPU (boot/kernel.h's cpu_hw_id()): an
 * M-profile core has no MPIDR, and these boards have one core. */
static inline uint32_t arch_cpu_hw_id(void)
{
    return 0;
}

#endif
