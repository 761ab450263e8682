/*
 * RAM image for QEMU virt: qemu-system-arm -kernel loads this ELF at its
 * link addresses and jumps to _start in SVC mode with the MMU off. Code,
 * data and stacks all live in RAM, from its base.
 *
 * We use only the low 64 MiB of RAM: with an ELF kernel that starts at the
 * base of RAM, QEMU puts its device tree halfway up a 128 MiB RAM, and
 * nothing of ours may sit there.
 */
#include "platform.h"
#include "boot/armv7a/mmu.h"

MEMORY
{
    ram (rwx) : ORIGIN = BOARD_RAM_BASE, LENGTH = BOARD_IMAGE_RAM_SIZE
}
REGION_ALIAS("CODE", ram);
REGION_ALIAS("DATA", ram);
REGION_ALIAS("LOAD", ram);

LAYOUT_CPUS_MAX = BOARD_CPUS_MAX;

/* What boot/armv7a/mmu.c maps as Normal memory, in pages; the rest of the
 * address space is Device memory but for the unmapped low region. */
__ram_start = ORIGIN(ram);
__ram_end = ORIGIN(ram) + LENGTH(ram);
ASSERT(__ram_start % 0x100000 == 0 && __ram_end % 0x100000 == 0, "RAM must be whole 1 MiB sections for boot/armv7a/mmu.c")
ASSERT(LENGTH(ram) <= MMU_PAGED_RAM_MIB * 0x100000, "boot/armv7a/mmu.c pages at most MMU_PAGED_RAM_MIB MiB of RAM")

/* Nothing runs from flash in a RAM image: mmu.c leaves it unmapped, so a
 * NULL pointer, or one near it, faults. */
__unmapped_low_end = BOARD_FLASH_BASE + BOARD_FLASH_SIZE;
ASSERT(__unmapped_low_end % 0x100000 == 0, "the unmapped low region must be whole 1 MiB sections")

/* What a device may read and write (drivers/dma.h): QEMU's devices reach
 * all of RAM; our part of it is enough. */
__dma_start = __ram_start;
__dma_end = __ram_end;

#include "linker/sections.ld.h"

ASSERT(__mode_stacks_end <= ORIGIN(ram) + LENGTH(ram), "image does not fit in RAM")
