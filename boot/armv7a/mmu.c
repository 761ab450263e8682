/*
 * The translation table every CPU runs with, built once by the first CPU
 * before its MMU is on (boot/armv7a/start.S; mmu.S turns it on):
 *
 *   text                                  read-only, executable
 *   read-only data                        read-only, never executable
 *   the rest of RAM: data, bss, stacks    read-write, never executable
 *   the guard page below every stack      unmapped (boot/guard.h)
 *   the low region (the layout's          unmapped but for the code that
 *     __unmapped_low_end): flash            runs there: NULL and pointers
 *                                           near it fault
 *   everything else                       Device memory, never executable
 *
 * RAM, and code outside RAM (an image run in place from flash), are mapped
 * in 4 KiB pages, one second-level table per MiB; the rest in 1 MiB
 * sections. Normal memory is write-back cacheable and inner shareable, so
 * that the caches are coherent between the CPUs.
 *
 * This runs with the MMU and caches off, where every access is
 * Strongly-ordered: it makes aligned word accesses only.
 */
#include "boot/armv7a/mmu.h"
#include "boot/guard.h"

#include <stdbool.h>
#include <stdint.h>

#define MIB_SHIFT 20
#define MIB (1u << MIB_SHIFT)
#define PAGES_PER_MIB (MIB / ARCH_PAGE_SIZE)

/* First level: a section, or a pointer to a second-level table. */
#define L1_PAGE_TABLE           0x1u
#define L1_PAGE_TABLE_ADDRESS   0xfffffc00u
#define L1_SECTION              0x2u
#define SECTION_DEVICE          (1u << 2)           /* TEX=000 C=0 B=1: shareable Device */
#define SECTION_XN              (1u << 4)
#define SECTION_AP_PL1          (1u << 10)          /* AP=01: read/write, privileged only */

/* Second level: a 4 KiB small page. */
#define PAGE_SMALL              0x2u
#define PAGE_XN                 0x1u
#define PAGE_NORMAL_WB          ((1u << 6) | (1u << 3) | (1u << 2))   /* TEX=001 C=1 B=1 */
#define PAGE_AP_PL1             (1u << 4)           /* AP[1:0]=01: privileged only */
#define PAGE_AP_READ_ONLY       (1u << 9)           /* AP[2] */
#define PAGE_SHAREABLE          (1u << 10)
#define PAGE_RAM                (PAGE_SMALL | PAGE_NORMAL_WB | PAGE_AP_PL1 | PAGE_SHAREABLE)

/* From the linker layout. */
extern char __ram_start[], __ram_end[], __unmapped_low_end[];
extern char __code_start[], __rodata_start[], __code_end[];
extern char __mode_stacks_start[], __mode_stacks_cpus[], __mode_stacks_cpu_stride[];
extern char __und_stack_limit[], __abt_stack_limit[], __irq_stack_limit[], __svc_stack_limit[];

uint32_t mmu_l1_table[4096] __attribute__((aligned(16384)));   /* TTBR0 wants 16 KiB alignment */
static uint32_t l2_tables[MMU_L2_TABLES][PAGES_PER_MIB] __attribute__((aligned(1024)));

static bool in(uintptr_t addr, const char *start, const char *end)
{
    return addr >= (uintptr_t)start && addr < (uintptr_t)end;
}

/* Whether [mib, mib + 1 MiB) and [start, end) overlap. */
static bool mib_holds(uintptr_t mib, const char *start, const char *end)
{
    return mib < (uintptr_t)end && mib + MIB > (uintptr_t)start;
}

static uint32_t page(uintptr_t addr)
{
    if (in(addr, __code_start, __rodata_start)) {
        return addr | PAGE_RAM | PAGE_AP_READ_ONLY;
    }
    if (in(addr, __rodata_start, __code_end)) {
        return addr | PAGE_RAM | PAGE_AP_READ_ONLY | PAGE_XN;
    }
    if (in(addr, __ram_start, __ram_end)) {
        return addr | PAGE_RAM | PAGE_XN;
    }
    return 0;       /* beside code run in place: the rest of the flash */
}

static void unmap_page(uintptr_t addr)
{
    uint32_t *l2 = (uint32_t *)(uintptr_t)(mmu_l1_table[addr >> MIB_SHIFT] & L1_PAGE_TABLE_ADDRESS);

    l2[(addr >> 12) % PAGES_PER_MIB] = 0;
}

/* The mode stacks' limits, CPU 0's; each has its guard page right below. */
static char *const mode_stack_limits[] = {
    __und_stack_limit, __abt_stack_limit, __irq_stack_limit, __svc_stack_limit,
};

static void unmap_guard_pages(void)
{
    for (unsigned int n = 0; n < guarded_stacks_count(); n++) {
        const struct guarded_stacks *g = &__guarded_stacks_start[n];
        for (uint32_t i = 0; i < g->count; i++) {
            unmap_page((uintptr_t)g->slots + i * g->stride);
        }
    }
    for (uintptr_t cpu = 0; cpu < (uintptr_t)__mode_stacks_cpus; cpu++) {
        for (unsigned int s = 0; s < sizeof(mode_stack_limits) / sizeof(mode_stack_limits[0]); s++) {
            unmap_page((uintptr_t)mode_stack_limits[s] + cpu * (uintptr_t)__mode_stacks_cpu_stride -
                       ARCH_PAGE_SIZE);
        }
    }
}

/* The layout keeps RAM and code within MMU_L2_TABLES MiBs
 * (linker/armv7a-mmu.ld.h), so there is always a table left. */
void mmu_build_table(void)
{
    unsigned int tables = 0;

    for (uintptr_t mib = 0; mib < 4096; mib++) {
        uintptr_t addr = mib << MIB_SHIFT;

        if (mib_holds(addr, __ram_start, __ram_end) || mib_holds(addr, __code_start, __code_end)) {
            uint32_t *l2 = l2_tables[tables++];
            for (uintptr_t p = 0; p < PAGES_PER_MIB; p++) {
                l2[p] = page(addr + p * ARCH_PAGE_SIZE);
            }
            mmu_l1_table[mib] = (uint32_t)(uintptr_t)l2 | L1_PAGE_TABLE;
        } else if (addr < (uintptr_t)__unmapped_low_end) {
            mmu_l1_table[mib] = 0;
        } else {
            mmu_l1_table[mib] = addr | L1_SECTION | SECTION_AP_PL1 | SECTION_DEVICE | SECTION_XN;
        }
    }
    unmap_guard_pages();
}
