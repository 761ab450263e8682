/*
 * Flash image for the Netduino Plus 2 (STM32F405), laid out as the chip
 * boots: the vector table first in flash at 0x08000000, which the chip
 * also shows at 0, so the core takes its first sp and pc from it at
 * reset; code and read-only data run in place, .data's initial image
 * follows them in flash and reset copies it to SRAM, where .bss (zeroed
 * by reset) and the stacks live. Nothing writes to flash.
 *
 * The .bin and .hex made from the ELF start at 0x08000000, where
 * `make flash` writes them; qemu-system-arm -kernel loads the ELF's
 * segments at their load addresses, into the same flash.
 */
#include "platform.h"

MEMORY
{
    flash (rx) : ORIGIN = BOARD_FLASH_BASE, LENGTH = BOARD_FLASH_SIZE
    ram (rwx)  : ORIGIN = BOARD_RAM_BASE, LENGTH = BOARD_RAM_SIZE
}
REGION_ALIAS("CODE", flash);
REGION_ALIAS("DATA", ram);
REGION_ALIAS("LOAD", flash);

LAYOUT_CPUS_MAX = BOARD_CPUS_MAX;

/* No device on this board reads or writes memory by itself. */
__dma_start = ORIGIN(ram);
__dma_end = ORIGIN(ram);

#include "linker/sections.ld.h"

ASSERT(__data_load + SIZEOF(.data) <= ORIGIN(flash) + LENGTH(flash), "code and .data's image do not fit in flash")
ASSERT(__mode_stacks_end <= ORIGIN(ram) + LENGTH(ram), "data and stacks do not fit in RAM")
