/*
 * Flash image for QEMU virt: the image is the first NOR flash bank, at 0
 * (qemu-system-arm -drive if=pflash,unit=0), and the CPU starts at 0 in
 * SVC mode with the MMU off, as from a boot ROM. Code and read-only data
 * run in place from flash; .data is loaded there after them and copied to
 * RAM by reset, which zeroes .bss. Nothing writes to flash.
 *
 * Without -kernel QEMU puts its device tree at the base of RAM: our RAM
 * starts a MiB above it, and ends at 64 MiB as the RAM image's does.
 *
 * The first page of flash holds only the jump to _start: once the MMU is
 * on it is unmapped with the rest of the low region, so a NULL pointer
 * still faults.
 */
#include "platform.h"

#define FLASH_BANK_SIZE 0x04000000      /* QEMU virt: two banks of 64 MiB */
#define DEVICE_TREE_ROOM 0x00100000

MEMORY
{
    reset (rx) : ORIGIN = BOARD_FLASH_BASE, LENGTH = 4K
    flash (rx) : ORIGIN = BOARD_FLASH_BASE + 4K, LENGTH = FLASH_BANK_SIZE - 4K
    ram (rwx)  : ORIGIN = BOARD_RAM_BASE + DEVICE_TREE_ROOM, LENGTH = BOARD_IMAGE_RAM_SIZE - DEVICE_TREE_ROOM
}
REGION_ALIAS("CODE", flash);
REGION_ALIAS("DATA", ram);
REGION_ALIAS("LOAD", flash);

#include "linker/qemu-virt.ld.h"

SECTIONS
{
    /* At the reset address: ldr pc, [pc, #-4] and the address it loads. */
    .reset : {
        LONG(0xe51ff004);
        LONG(_start);
    } >reset :text
}

ASSERT(LOADADDR(.data) + SIZEOF(.data) <= ORIGIN(flash) + LENGTH(flash), "image does not fit in the flash bank")
