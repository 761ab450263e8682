/*
 * ARMv7-A system registers and barriers: the only place C code names a
 * CP15 register or a barrier instruction. Each register gets a read_<name>()
 * and/or write_<name>() made by one macro from its encoding, so a register
 * is spelled once, by its architectural name, and a wrong encoding is
 * wrong in one line.
 *
 * Every accessor is asm volatile: the compiler re-reads the register at
 * each call and never merges or hoists two reads (TPIDRPRW holds the
 * current coroutine, which changes under the compiler's feet at every
 * switch). Reads carry no memory clobber, so they cost one instruction;
 * writes do, so memory accesses are not moved across a change of state.
 */
#ifndef ARCH_ARMV7A_SYSREG_H
#define ARCH_ARMV7A_SYSREG_H

/* SCTLR's bits, for C and for assembly (boot/armv7a/mmu.S). */
#define SCTLR_M                 (1 << 0)    /* MMU */
#define SCTLR_A                 (1 << 1)    /* alignment checks */
#define SCTLR_C                 (1 << 2)    /* data and unified caches */
#define SCTLR_I                 (1 << 12)   /* instruction cache */

#ifndef __ASSEMBLER__
#include <stdint.h>

#define SYSREG_READ32(name, opc1, crn, crm, opc2)                                              \
    static inline uint32_t read_##name(void)                                                   \
    {                                                                                          \
        uint32_t v;                                                                            \
        __asm__ volatile("mrc p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 : "=r"(v));     \
        return v;                                                                              \
    }

#define SYSREG_WRITE32(name, opc1, crn, crm, opc2)                                             \
    static inline void write_##name(uint32_t v)                                                \
    {                                                                                          \
        __asm__ volatile("mcr p15, " #opc1 ", %0, " #crn ", " #crm ", " #opc2 ::"r"(v)        \
                         : "memory");                                                          \
    }

#define SYSREG_RW32(name, opc1, crn, crm, opc2)                                                \
    SYSREG_READ32(name, opc1, crn, crm, opc2)                                                  \
    SYSREG_WRITE32(name, opc1, crn, crm, opc2)

#define SYSREG_READ64(name, opc1, crm)                                                         \
    static inline uint64_t read_##name(void)                                                   \
    {                                                                                          \
        uint64_t v;                                                                            \
        __asm__ volatile("mrrc p15, " #opc1 ", %Q0, %R0, " #crm : "=r"(v));                   \
        return v;                                                                              \
    }

#define SYSREG_WRITE64(name, opc1, crm)                                                        \
    static inline void write_##name(uint64_t v)                                                \
    {                                                                                          \
        __asm__ volatile("mcrr p15, " #opc1 ", %Q0, %R0, " #crm ::"r"(v) : "memory");         \
    }

#define SYSREG_RW64(name, opc1, crm)                                                           \
    SYSREG_READ64(name, opc1, crm)                                                             \
    SYSREG_WRITE64(name, opc1, crm)

/* Identification and control. */
SYSREG_READ32(mpidr, 0, c0, c0, 5)          /* multiprocessor affinity: which CPU this is */
SYSREG_RW32(sctlr, 0, c1, c0, 0)            /* system control: MMU, caches, alignment */

/* Fault status and address. */
SYSREG_READ32(dfsr, 0, c5, c0, 0)           /* data fault status */
SYSREG_READ32(ifsr, 0, c5, c0, 1)           /* instruction fault status */
SYSREG_READ32(dfar, 0, c6, c0, 0)           /* data fault address */
SYSREG_READ32(ifar, 0, c6, c0, 2)           /* instruction fault address */

/* Address translation: what the MMU makes of an address. */
SYSREG_WRITE32(ats1cpr, 0, c7, c8, 0)       /* translate as a privileged read */
SYSREG_READ32(par, 0, c7, c4, 0)            /* the result */

/* Cache maintenance by address, to the point of coherency. */
SYSREG_WRITE32(dccmvac, 0, c7, c10, 1)      /* clean a data cache line */
SYSREG_WRITE32(dcimvac, 0, c7, c6, 1)       /* invalidate a data cache line */
SYSREG_READ32(ctr, 0, c0, c0, 1)            /* cache type: the smallest line */

/* Performance monitors. */
SYSREG_RW32(pmcr, 0, c9, c12, 0)            /* control: enable, reset */
SYSREG_WRITE32(pmcntenset, 0, c9, c12, 1)   /* counter enable set */
SYSREG_WRITE32(pmselr, 0, c9, c12, 5)       /* selects the counter the next two act on */
SYSREG_WRITE32(pmxevtyper, 0, c9, c13, 1)   /* the event it counts */
SYSREG_READ32(pmxevcntr, 0, c9, c13, 2)     /* its count */

/* Thread ID registers, one set per CPU: TPIDRPRW holds the current
 * coroutine (PL1 only), TPIDRURO the CPU's own coroutine-core data;
 * TPIDRURW is free for tests and benchmarks. */
SYSREG_RW32(tpidrprw, 0, c13, c0, 4)
SYSREG_RW32(tpidruro, 0, c13, c0, 3)
SYSREG_RW32(tpidrurw, 0, c13, c0, 2)

/* Generic timer: the counter, and the virtual (the kernel's) and physical
 * (left to tests) timers. */
SYSREG_READ32(cntfrq, 0, c14, c0, 0)        /* counter frequency, Hz */
SYSREG_READ64(cntpct, 0, c14)               /* physical count */
SYSREG_READ64(cntvct, 1, c14)               /* virtual count */
SYSREG_RW64(cntp_cval, 2, c14)              /* physical timer compare value */
SYSREG_RW64(cntv_cval, 3, c14)              /* virtual timer compare value */
SYSREG_RW32(cntp_ctl, 0, c14, c2, 1)        /* physical timer control */
SYSREG_RW32(cntv_ctl, 0, c14, c3, 1)        /* virtual timer control */

#define CNT_CTL_ENABLE  (1u << 0)
#define CNT_CTL_IMASK   (1u << 1)           /* interrupt masked at the timer */

/*
 * Barriers. dmb orders memory accesses against each other; dsb also waits
 * for them to complete (before wfi, or before a device must see a write);
 * isb makes a system-register change visible to the instructions after it.
 * "sy" is the full system: the domain a device with DMA sits in.
 */
static inline void dmb(void)
{
    __asm__ volatile("dmb sy" ::: "memory");
}

/* dmb() for a barrier a protocol depends on: the label it leaves in the
 * image's symbol table (barrier_<name>_<n>, one per copy the compiler
 * makes) lets scripts/check-barriers.sh prove that the built code still has
 * it, an ordering bug that no run under emulation shows. */
#define dmb_named(name) __asm__ volatile("barrier_" name "_%=: dmb sy" ::: "memory")

static inline void dsb(void)
{
    __asm__ volatile("dsb sy" ::: "memory");
}

/* Inner shareable: between the CPUs, for what no device reads. */
static inline void dmb_ish(void)
{
    __asm__ volatile("dmb ish" ::: "memory");
}

static inline void dsb_ish(void)
{
    __asm__ volatile("dsb ish" ::: "memory");
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

#endif /* __ASSEMBLER__ */
#endif
