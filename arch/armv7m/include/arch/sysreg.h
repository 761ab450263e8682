/*
 * ARMv7-M system registers and barriers: the only place C code names a
 * System Control Block register or a barrier instruction. On M profile
 * the system registers are memory-mapped (the SCB at 0xe000ed00); each
 * one C uses gets a read_<name>() and write_<name>() made by one macro
 * from its address, so a register is spelled once, by the name CMSIS
 * gives it (SCB->CFSR is read_cfsr(), MPU->RBAR read_mpu_rbar()). Reset
 * sets up the rest (VTOR, CPACR, SHCSR) in assembly, boot/armv7m/start.S.
 *
 * There are no thread ID registers: two words of RAM stand in for
 * ARMv7-A's TPIDRPRW (the current coroutine) and TPIDRURO (the CPU's
 * coroutine-core data), reached only through the accessors below. Each
 * access is volatile, so the compiler reads the word again at every call
 * and never merges or hoists two reads: the current coroutine changes
 * under its feet at every switch.
 */
#ifndef ARCH_ARMV7M_SYSREG_H
#define ARCH_ARMV7M_SYSREG_H

#include <stdint.h>

#define SYSREG_RW32(name, address)                                                             \
    static inline uint32_t read_##name(void)                                                   \
    {                                                                                          \
        return *(volatile uint32_t *)(address);                                                \
    }                                                                                          \
    static inline void write_##name(uint32_t v)                                                \
    {                                                                                          \
        __asm__ volatile("" ::: "memory");                                                     \
        *(volatile uint32_t *)(address) = v;                                                   \
    }

SYSREG_RW32(syst_csr, 0xe000e010u)  /* SysTick control (benchmarks count time with it) */
SYSREG_RW32(syst_rvr, 0xe000e014u)  /* its reload value */
SYSREG_RW32(syst_cvr, 0xe000e018u)  /* its current value */
SYSREG_RW32(icsr, 0xe000ed04u)      /* interrupt control and state: SysTick's pending bit */
SYSREG_RW32(shpr3, 0xe000ed20u)     /* PendSV's and SysTick's priorities, bits 16-23 and 24-31 */
SYSREG_RW32(cfsr, 0xe000ed28u)      /* configurable fault status: MMFSR, BFSR, UFSR */
SYSREG_RW32(hfsr, 0xe000ed2cu)      /* HardFault status */
SYSREG_RW32(mmfar, 0xe000ed34u)     /* MemManage fault address */
SYSREG_RW32(bfar, 0xe000ed38u)      /* BusFault address */
SYSREG_RW32(mpu_type, 0xe000ed90u)  /* MPU: how many regions it has */
SYSREG_RW32(mpu_ctrl, 0xe000ed94u)
SYSREG_RW32(mpu_rbar, 0xe000ed9cu)  /* a region's base; selects the region */
SYSREG_RW32(mpu_rasr, 0xe000eda0u)  /* its size, access and attributes */

#define ICSR_PENDSTCLR      (1u << 25)  /* a write of 1 takes SysTick's pending state away */

/* IPSR: the exception being handled (its number), 0 in thread mode. */
static inline uint32_t read_ipsr(void)
{
    uint32_t v;

    __asm__ volatile("mrs %0, ipsr" : "=r"(v));
    return v;
}

/* The stand-ins for the thread ID registers (boot/armv7m/thread_id.c):
 * [0] the current coroutine, [1] the CPU's struct co_cpu (0 in an image
 * without coro/). The IRQ entry (boot/armv7m/vectors.S) and the switch
 * (coro/arch/armv7m/switch.S) use them by name from assembly. */
extern volatile uint32_t thread_id_words[2];

static inline uint32_t read_thread_current(void)
{
    return thread_id_words[0];
}

static inline void write_thread_current(uint32_t v)
{
    __asm__ volatile("" ::: "memory");
    thread_id_words[0] = v;
}

static inline uint32_t read_thread_cpu(void)
{
    return thread_id_words[1];
}

static inline void write_thread_cpu(uint32_t v)
{
    thread_id_words[1] = v;
}

/*
 * Barriers. dmb orders memory accesses against each other; dsb also waits
 * for them to complete (before wfi, or before a device must see a write);
 * isb makes a system-register change visible to the instructions after it.
 * ARMv7-M has one shareability domain, the full system.
 */
static inline void dmb(void)
{
    __asm__ volatile("dmb sy" ::: "memory");
}

/* dmb() for a barrier a protocol depends on: the label it leaves in the
 * image's symbol table (barrier_<name>_<n>, one per copy the compiler
 * makes) lets scripts/check-barriers.sh prove that the built code still has
 * it. */
#define dmb_named(name) __asm__ volatile("barrier_" name "_%=: dmb sy" ::: "memory")

static inline void dsb(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

/* Between the CPUs: with one CPU the same as the full system. */
static inline void dmb_ish(void)
{
    dmb();
}

static inline void dsb_ish(void)
{
    dsb();
}

static inline void isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

/* No instruction: only the compiler may not move memory accesses across
 * it, nor keep a value in a register past it. */
static inline void compiler_barrier(void)
{
    __asm__ volatile("" ::: "memory");
}

#endif
