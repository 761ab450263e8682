/*
 * MMU set-up (boot/armv7a/mmu.c builds the table, mmu.S turns it on). The
 * layout reads this too (linker/armv7a-mmu.ld.h checks it fits).
 */
#ifndef BOOT_ARMV7A_MMU_H
#define BOOT_ARMV7A_MMU_H

/* Second-level tables of 4 KiB pages, 1 KiB each: one for every MiB of
 * RAM and of code outside RAM. */
#define MMU_L2_TABLES 68

#ifndef __LINKER__
/* Once, by the first CPU, MMU off: fills the table from the layout. */
void mmu_build_table(void);
#endif

#endif
