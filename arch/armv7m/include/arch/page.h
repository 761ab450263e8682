/*
 * The guard unit on ARMv7-M: 1 KiB, the no-access gap below every
 * coroutine stack (boot/guard.h) that the MPU protects (boot/armv7m/
 * mpu.c). The mode stacks keep the layout's 4 KiB guards.
 *
 * The MPU could guard 32 bytes, but a guard is stepped over by any frame
 * larger than it, and GCC's -fstack-clash-protection does not help below
 * 4 KiB on ARM: a function with a frame of up to 4 KiB probes once, at
 * the frame's lowest word (a leaf function not at all), and larger ones
 * every 4 KiB from 4 KiB below sp. 1 KiB catches every frame up to 1 KiB
 * (the kernel's own are all smaller: -Wframe-larger-than, Makefile), the
 * exception entry's (up to 104 bytes with the FPU's) and every stack that
 * grows a little at a time; a larger frame may land past it. A 4 KiB
 * guard would catch every frame, but costs 4 KiB a stack on boards of a
 * few hundred KiB: the suite's 1000 sleepers of 1 KiB would need 8 MiB,
 * and the coroutine pool 128 KiB. Each stack's slot is rounded up to
 * whole KiB.
 */
#ifndef ARCH_ARMV7M_PAGE_H
#define ARCH_ARMV7M_PAGE_H

#define ARCH_PAGE_SHIFT 10
#ifdef __ASSEMBLER__
#define ARCH_PAGE_SIZE (1 << ARCH_PAGE_SHIFT)
#else
#define ARCH_PAGE_SIZE (1u << ARCH_PAGE_SHIFT)
#endif

#endif
