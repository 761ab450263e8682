/*
 * The host build's arch/sysreg.h, for the driver code tests/fuzz/ builds:
 * only the barrier ring.c names. The harness plays the device in the same
 * thread, between the driver's calls, so keeping the compiler from moving
 * accesses across it is all a barrier has to do here.
 */
#ifndef FUZZ_HOST_ARCH_SYSREG_H
#define FUZZ_HOST_ARCH_SYSREG_H

#define dmb_named(name) __atomic_signal_fence(__ATOMIC_SEQ_CST)

#endif
