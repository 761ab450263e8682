/*
 * The MPU map every ARMv7-M image runs with (the regions: arch/mpu.h):
 *
 *   code memory (text, read-only data,    read-only: a write to code faults
 *     .data's initial image)
 *   RAM: data, bss, stacks                read-write, never executable
 *   the guards below the handler stack    no access (the layout's 4 KiB)
 *     and below the main stack
 *   the guard below the running           no access (1 KiB, arch/page.h);
 *     coroutine's stack                     the switch moves it to the
 *                                           incoming coroutine's
 *   everything else                       the default memory map
 *                                           (PRIVDEFENA): devices never
 *                                           executable
 *
 *   the low region nothing runs from      no access, where the layout
 *     (__unmapped_low_end)                  has one: NULL faults
 *
 * Only the running coroutine's stack can grow, so one region follows the
 * switch instead of one a stack. The core reads its first sp and pc at 0,
 * so a board shows the memory its image lives in at 0 too (an STM32's
 * flash, the MPS2's SSRAM1); the image runs from the other address, VTOR
 * points there, and the low region is unmapped: NULL faults. A layout
 * whose code had to start at 0 would set __unmapped_low_end to 0: a read
 * through NULL would then read the vector table.
 *
 * Set up before the coroutine core (constructor 102) makes the main
 * context current; HardFault runs without the MPU (HFNMIENA clear), so the
 * report of a fault that escalated can read any memory.
 */
#include "arch/mpu.h"
#include "arch/sysreg.h"
#include "boot/kernel.h"

#include <stdint.h>

#define MPU_TYPE_DREGION(t)     (((t) >> 8) & 0xffu)
#define MPU_CTRL_ENABLE         (1u << 0)
#define MPU_CTRL_PRIVDEFENA     (1u << 2)   /* the default map where no region matches */

#define RASR_ENABLE             (1u << 0)
#define RASR_SIZE(shift)        (((uint32_t)(shift) - 1u) << 1)   /* 2^shift bytes */
#define RASR_NORMAL             ((1u << 17) | (1u << 16))   /* TEX=000 C=1 B=1: write-back Normal memory */
#define RASR_AP_NONE            (0u << 24)
#define RASR_AP_READ_WRITE      (3u << 24)
#define RASR_AP_READ_ONLY       (6u << 24)
#define RASR_XN                 (1u << 28)

#define RASR_GUARD              (RASR_AP_NONE | RASR_XN)

/* From the linker layout: each memory a power of two in size, aligned to
 * it, as a region must be (the layout asserts it). */
extern char __code_memory_start[], __code_memory_end[], __ram_start[], __ram_end[], __unmapped_low_end[];
extern char __irq_stack_limit[], __svc_stack_limit[], __mode_stack_guard[];

/* Region `region`: size bytes (a power of two) at base, aligned to it,
 * Normal memory with the given access. */
static void set_region(uint32_t region, uintptr_t base, uintptr_t size, uint32_t access)
{
    uint32_t shift = 31u - (uint32_t)__builtin_clz((uint32_t)size);

    write_mpu_rbar((uint32_t)base | MPU_RBAR_VALID | region);
    write_mpu_rasr(RASR_ENABLE | RASR_SIZE(shift) | RASR_NORMAL | access);
}

__attribute__((constructor(101))) static void mpu_setup(void)
{
    uint32_t regions = MPU_TYPE_DREGION(read_mpu_type());

    if (regions < MPU_REGIONS_USED) {
        kernel_panic("the MPU has %lu regions, the kernel needs %u: stacks cannot be guarded",
                     (unsigned long)regions, MPU_REGIONS_USED);
    }
    uintptr_t code = (uintptr_t)__code_memory_start, ram = (uintptr_t)__ram_start;
    uintptr_t mode_guard = (uintptr_t)__mode_stack_guard;

    set_region(MPU_REGION_CODE, code, (uintptr_t)__code_memory_end - code, RASR_AP_READ_ONLY);
    set_region(MPU_REGION_RAM, ram, (uintptr_t)__ram_end - ram, RASR_AP_READ_WRITE | RASR_XN);
    set_region(MPU_REGION_HANDLER_GUARD, (uintptr_t)__irq_stack_limit - mode_guard, mode_guard, RASR_GUARD);
    set_region(MPU_REGION_MAIN_GUARD, (uintptr_t)__svc_stack_limit - mode_guard, mode_guard, RASR_GUARD);
    /* Below the main context's stack too, until the first switch moves it
     * to a coroutine's. */
    set_region(MPU_REGION_THREAD_GUARD, (uintptr_t)__svc_stack_limit - ARCH_PAGE_SIZE, ARCH_PAGE_SIZE, RASR_GUARD);
    if ((uintptr_t)__unmapped_low_end != 0) {
        set_region(MPU_REGION_LOW, 0, (uintptr_t)__unmapped_low_end, RASR_GUARD);
    }
    write_mpu_ctrl(MPU_CTRL_ENABLE | MPU_CTRL_PRIVDEFENA);
    dsb();
    isb();
}
