/*
 * MMU set-up (boot/armv7a/mmu.c builds the table, mmu.S turns it on). The
 * layout file reads this too: MMU_PAGED_RAM_MIB bounds its RAM.
 */
#ifndef BOOT_ARMV7A_MMU_H
#define BOOT_ARMV7A_MMU_H

/* RAM mapped in 4 KiB pages, one 1 KiB second-level table per MiB. */
#define MMU_PAGED_RAM_MIB 64

#ifndef __LINKER__
/* Once, by the first CPU, MMU off: fills the table from the layout. */
void mmu_build_table(void);
#endif

#endif
