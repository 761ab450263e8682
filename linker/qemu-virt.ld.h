/*
 * What both virt layouts (qemu-virt-ram.ld.S, qemu-virt-flash.ld.S) say
 * alike, once they have given MEMORY with a `ram` region and the CODE,
 * DATA and LOAD aliases: then the sections and the MMU's checks.
 */
LAYOUT_CPUS_MAX = BOARD_CPUS_MAX;

/* What boot/armv7a/mmu.c maps as Normal memory, in pages; the rest of the
 * address space is Device memory but for the unmapped low region. */
__ram_start = ORIGIN(ram);
__ram_end = ORIGIN(ram) + LENGTH(ram);

/* Flash, but for the code a flash image runs there: mmu.c leaves it
 * unmapped, so a NULL pointer, or one near it, faults. */
__unmapped_low_end = BOARD_FLASH_BASE + BOARD_FLASH_SIZE;

/* What a device may read and write (drivers/dma.h): QEMU's devices reach
 * all of RAM; our part of it is enough. Flash they cannot write. */
__dma_start = __ram_start;
__dma_end = __ram_end;

#include "linker/sections.ld.h"
#include "linker/armv7a-mmu.ld.h"

ASSERT(__mode_stacks_end <= ORIGIN(ram) + LENGTH(ram), "image does not fit in RAM")
