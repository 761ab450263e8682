/*
 * RAM image for the MPS2 AN386: qemu-system-arm -kernel loads this ELF at
 * its link addresses and resets the core, which takes its first sp and pc
 * from the vector table at 0. Code and .data's initial image live in
 * SSRAM1, as they would in a board's flash, linked at its mirror at
 * 0x00400000: the same memory, so the table is at 0 too at reset, and the
 * MPU can leave 0 unmapped once VTOR points at the mirror. Reset copies
 * .data to SSRAM2/3, where the data, the stacks and .bss live.
 */
#include "platform.h"

MEMORY
{
    code (rx)  : ORIGIN = BOARD_CODE_BASE, LENGTH = BOARD_CODE_SIZE
    ram (rwx)  : ORIGIN = BOARD_RAM_BASE, LENGTH = BOARD_RAM_SIZE
}
REGION_ALIAS("CODE", code);
REGION_ALIAS("DATA", ram);
REGION_ALIAS("LOAD", code);

LAYOUT_CPUS_MAX = BOARD_CPUS_MAX;

/* The memories, for the MPU's regions (boot/armv7m/mpu.c): code memory
 * read-only, RAM never executable, and SSRAM1 at 0, which nothing uses
 * once reset has pointed VTOR at the mirror, unmapped: NULL faults. */
__code_memory_start = ORIGIN(code);
__code_memory_end = ORIGIN(code) + LENGTH(code);
__ram_start = ORIGIN(ram);
__ram_end = ORIGIN(ram) + LENGTH(ram);
__unmapped_low_end = BOARD_SSRAM1_BASE + LENGTH(code);
ASSERT((LENGTH(code) & (LENGTH(code) - 1)) == 0 && ORIGIN(code) % LENGTH(code) == 0 &&
       (LENGTH(ram) & (LENGTH(ram) - 1)) == 0 && ORIGIN(ram) % LENGTH(ram) == 0,
       "an MPU region must be a power of two in size and aligned to it")

/* No device on this board reads or writes memory by itself. */
__dma_start = ORIGIN(ram);
__dma_end = ORIGIN(ram);

#include "linker/sections.ld.h"

ASSERT(__data_load + SIZEOF(.data) <= ORIGIN(code) + LENGTH(code), "code and .data's image do not fit in SSRAM1")
ASSERT(__mode_stacks_end <= ORIGIN(ram) + LENGTH(ram), "data and stacks do not fit in RAM")
