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

#include "linker/qemu-virt.ld.h"
