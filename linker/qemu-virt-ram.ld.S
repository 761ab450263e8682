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

MEMORY
{
    ram (rwx) : ORIGIN = BOARD_RAM_BASE, LENGTH = BOARD_IMAGE_RAM_SIZE
}
REGION_ALIAS("CODE", ram);
REGION_ALIAS("DATA", ram);
REGION_ALIAS("LOAD", ram);

LAYOUT_CPUS_MAX = BOARD_CPUS_MAX;

/* What boot/armv7a/mmu.S maps as Normal memory; the rest of the address
 * space is Device memory. In whole 1 MiB sections. */
__ram_start = ORIGIN(ram);
__ram_end = ORIGIN(ram) + LENGTH(ram);
ASSERT(__ram_start % 0x100000 == 0 && __ram_end % 0x100000 == 0, "RAM must be whole 1 MiB sections for boot/armv7a/mmu.S")

/* What a device may read and write (drivers/dma.h): QEMU's devices reach
 * all of RAM; our part of it is enough. */
__dma_start = __ram_start;
__dma_end = __ram_end;

#include "linker/sections.ld.h"

ASSERT(__mode_stacks_end <= ORIGIN(ram) + LENGTH(ram), "image does not fit in RAM")
