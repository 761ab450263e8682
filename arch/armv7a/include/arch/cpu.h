/*
 * The CPU's interrupt mask, idle and stop, for ARMv7-A. Code that shares
 * data with an interrupt handler brackets it with irq_save()/irq_restore().
 */
#ifndef ARCH_ARMV7A_CPU_H
#define ARCH_ARMV7A_CPU_H

#include "arch/asm.h"
#include "arch/sysreg.h"

#include <stdint.h>

typedef uint32_t irq_flags_t;

/* Masks IRQs; returns the previous mask state for irq_restore(). */
static inline irq_flags_t irq_save(void)
{
    irq_flags_t cpsr;

    __asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(cpsr)::"memory");
    return cpsr;
}

static inline void irq_restore(irq_flags_t cpsr)
{
    __asm__ volatile("msr cpsr_c, %0" ::"r"(cpsr) : "memory");
}

/* Whether irq_save() found IRQs masked already. */
static inline int irq_flags_masked(irq_flags_t cpsr)
{
    return (cpsr & 0x80u) != 0;
}

static inline void irq_mask(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
}

static inline void irq_unmask(void)
{
    __asm__ volatile("cpsie i" ::: "memory");
}

/* True in an exception handler (IRQ mode), false in thread context. */
static inline int in_irq_context(void)
{
    uint32_t cpsr;

    __asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
    return (cpsr & PSR_MODE_MASK) == PSR_MODE_IRQ;
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

/* IRQs and FIQs masked for good, and the CPU parked: for when nothing may
 * run any more and there is nobody to tell. */
static inline __attribute__((noreturn)) void cpu_halt(void)
{
    __asm__ volatile("cpsid if" ::: "memory");
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* Which CPU this is: MPIDR's affinity level 0 (MPIDR_AFF0_MASK, arch/asm.h,
 * whose cpu_index_read start.S uses); always 0 in an image built for one
 * CPU (CONFIG_CPUS), where the compiler may fold it. */
static inline unsigned int cpu_index(void)
{
#if CONFIG_CPUS > 1
    return read_mpidr() & MPIDR_AFF0_MASK;
#else
    return 0;
#endif
}

/* The hardware's number for this CPU, for boot/kernel.h's cpu_hw_id():
 * MPIDR's three affinity levels, read whatever the image was built for. */
static inline uint32_t arch_cpu_hw_id(void)
{
    return read_mpidr() & 0x00ffffffu;
}

/* The MPIDR affinity value of CPU index, as firmware (PSCI's CPU_ON)
 * names a CPU: the inverse of cpu_index(), on a machine whose CPUs differ
 * in affinity level 0 alone. */
static inline uint32_t cpu_index_to_mpidr(unsigned int index)
{
    return index & MPIDR_AFF0_MASK;
}

#endif
