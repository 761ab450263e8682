/*
 * The smallest region the MPU can protect: 32 bytes, aligned to its size.
 * Stacks start on one, above a guard region of that size (boot/guard.h),
 * which costs 32 bytes a stack; the MPU does not yet guard it, and the
 * switch's guard word catches an overflow instead.
 */
#ifndef ARCH_ARMV7M_PAGE_H
#define ARCH_ARMV7M_PAGE_H

#define ARCH_PAGE_SIZE 32u

#endif
