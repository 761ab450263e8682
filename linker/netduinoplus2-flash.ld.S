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

/* The memories, for the MPU's regions (boot/armv7m/mpu.c), each a power of
 * two in size and aligned to it: flash read-only; RAM never executable,
 * 256 KiB from the SRAM's base (192 KiB of it is there); flash shown again
 * at 0, which nothing uses once reset has pointed VTOR at the vector
 * table, unmapped, so that NULL faults. */
__code_memory_start = ORIGIN(flash);
__code_memory_end = ORIGIN(flash) + LENGTH(flash);
__ram_start = ORIGIN(ram);
__ram_end = ORIGIN(ram) + 0x40000;
__unmapped_low_end = LENGTH(flash);
ASSERT((LENGTH(flash) & (LENGTH(flash) - 1)) == 0 && ORIGIN(flash) % LENGTH(flash) == 0 &&
       __ram_end - __ram_start >= LENGTH(ram) && __ram_start % 0x40000 == 0,
       "an MPU region must be a power of two in size and aligned to it")

/* No device on this board reads or writes memory by itself. */
__dma_start = ORIGIN(ram);
__dma_end = ORIGIN(ram);

#include "linker/sections.ld.h"

ASSERT(__data_load + SIZEOF(.data) <= ORIGIN(flash) + LENGTH(flash), "code and .data's image do not fit in flash")
ASSERT(__mode_stacks_end <= ORIGIN(ram) + LENGTH(ram), "data and stacks do not fit in RAM")
