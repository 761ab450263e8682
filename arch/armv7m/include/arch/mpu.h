/*
 * The PMSAv7 MPU's regions as this kernel uses them (boot/armv7m/mpu.c
 * sets them up; the switch, coro/arch/armv7m/switch.S, moves one). Where
 * regions overlap, the higher number wins; where none matches, the
 * default memory map applies (PRIVDEFENA: the kernel runs privileged).
 *
 *   0  code memory: text, read-only data, .data's image  read-only
 *   1  RAM: data, bss, stacks                            read-write, never executable
 *   2  the guard below the handler stack (MSP)           no access
 *   3  the guard below the main stack                    no access
 *   4  the guard below the running coroutine's stack:    no access
 *      the incoming coroutine's, set at every switch
 *   5  the low region nothing runs from (the layout's     no access: NULL faults
 *      __unmapped_low_end, where it is not 0)
 */
#ifndef ARCH_ARMV7M_MPU_H
#define ARCH_ARMV7M_MPU_H

#include "arch/page.h"

#define MPU_REGION_CODE         0
#define MPU_REGION_RAM          1
#define MPU_REGION_HANDLER_GUARD 2
#define MPU_REGION_MAIN_GUARD   3
#define MPU_REGION_THREAD_GUARD 4
#define MPU_REGION_LOW          5
#define MPU_REGIONS_USED        6

#define MPU_RBAR_ADDRESS        0xe000ed9c  /* for the switch; C uses write_mpu_rbar() */
#define MPU_RBAR_VALID          (1 << 4)    /* the write also selects the region in bits 3:0 */

/* What the switch subtracts from a stack's guard word (its lowest word,
 * struct co's stack_guard) to make the RBAR value of the guard below it:
 * the region's base, VALID and the region number, in one subw. */
#define MPU_THREAD_GUARD_RBAR_OFFSET (ARCH_PAGE_SIZE - MPU_RBAR_VALID - MPU_REGION_THREAD_GUARD)

#endif
