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
    /* The chip's SRAM, not QEMU's larger one (platform.h). */
    sram (rwx) : ORIGIN = BOARD_RAM_BASE, LENGTH = BOARD_RAM_SIZE
}
REGION_ALIAS("CODE", flash);
REGION_ALIAS("DATA", sram);
REGION_ALIAS("LOAD", flash);

LAYOUT_CPUS_MAX = BOARD_CPUS_MAX;

/* The memories, for the MPU's regions (boot/armv7m/mpu.c), each a power of
 * two in size and aligned to it: flash read-only; SRAM never executable;
 * flash shown again at 0, which nothing uses once reset has pointed VTOR
 * at the vector table, unmapped, so that NULL faults. */
__code_memory_start = ORIGIN(flash);
__code_memory_end = ORIGIN(flash) + LENGTH(flash);
__ram_start = ORIGIN(sram);
__ram_end = ORIGIN(sram) + LENGTH(sram);
__unmapped_low_end = LENGTH(flash);
ASSERT((LENGTH(flash) & (LENGTH(flash) - 1)) == 0 && ORIGIN(flash) % LENGTH(flash) == 0 &&
       (LENGTH(sram) & (LENGTH(sram) - 1)) == 0 && ORIGIN(sram) % LENGTH(sram) == 0,
       "an MPU region must be a power of two in size and aligned to it")

/* No device on this board reads or writes memory by itself. */
__dma_start = ORIGIN(sram);
__dma_end = ORIGIN(sram);

#include "linker/sections.ld.h"

ASSERT(__data_load + SIZEOF(.data) <= ORIGIN(flash) + LENGTH(flash), "code and .data's image do not fit in flash")
ASSERT(__mode_stacks_end <= ORIGIN(sram) + LENGTH(sram),
       "data and stacks do not fit in the STM32F405's 128 KiB of SRAM (QEMU maps more, the chip has no more): the image's .map says what takes it")
