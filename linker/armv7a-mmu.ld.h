/*
 * What boot/armv7a/mmu.c can map, checked for an ARMv7-A layout: it
 * includes this after linker/sections.ld.h, having set __ram_start,
 * __ram_end and __unmapped_low_end.
 */
#include "boot/armv7a/mmu.h"

ASSERT(__ram_start % 0x100000 == 0 && __ram_end % 0x100000 == 0, "RAM must be whole 1 MiB sections for boot/armv7a/mmu.c")
ASSERT(__unmapped_low_end % 0x100000 == 0, "the unmapped low region must be whole 1 MiB sections")

/* Code in RAM takes no table of its own. */
__mmu_code_mib = (__code_start >= __ram_start && __code_end <= __ram_end) ? 0 :
                 (ALIGN(__code_end, 0x100000) - (__code_start & ~0xfffff)) / 0x100000;
ASSERT((__ram_end - __ram_start) / 0x100000 + __mmu_code_mib <= MMU_L2_TABLES,
       "RAM and code outside it take more MiBs than boot/armv7a/mmu.c has tables for (MMU_L2_TABLES)")
