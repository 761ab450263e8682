/*
 * The lock under every spinlock (boot/spinlock.h), for ARMv7-M. The
 * M-profile boards have one CPU: masking IRQs is the whole of a lock, and
 * there is no ticket to take.
 */
#ifndef ARCH_ARMV7M_SPINLOCK_H
#define ARCH_ARMV7M_SPINLOCK_H

#ifndef CONFIG_CPUS
#error "CONFIG_CPUS (the most CPUs the image runs on) comes from the Makefile's SMP"
#endif
#if CONFIG_CPUS > 1
#error "ARMv7-M images are built for one CPU (SMP=1)"
#endif

struct arch_spinlock {
    char unused;    /* nothing to hold with one CPU */
};

#endif
