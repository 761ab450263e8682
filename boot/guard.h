/*
 * Guard pages: the page below every stack is never mapped (boot/<arch>/
 * MMU or MPU set-up), so an overflow faults at the instruction that
 * crosses the stack's limit, and the fault report names the stack. With
 * 4 KiB pages (ARMv7-A's MMU) that holds whatever the frame size: the
 * Makefile builds applications with -fstack-clash-protection, so a frame
 * larger than a page touches each page it spans, top down. A smaller
 * guard (ARMv7-M's 1 KiB, arch/page.h says why) catches frames up to its
 * size.
 *
 * The mode stacks' guards are in the linker layout (linker/sections.ld.h).
 * Coroutine stacks declare theirs with GUARDED_STACKS(): count slots, each
 * a guard page followed by a stack of `size` bytes that starts on a page
 * boundary, `stride` bytes apart. The linker collects the declarations
 * between __guarded_stacks_start and __guarded_stacks_end.
 *
 * Cost: a guard page of RAM below each stack, and each stack's slot
 * rounded up to whole pages (the MMU maps nothing smaller).
 */
#ifndef BOOT_GUARD_H
#define BOOT_GUARD_H

#include "arch/page.h"

#include <stdint.h>

struct guarded_stacks {
    const char *name;           /* the coroutine, or array, they belong to */
    const void *slots;
    uint32_t count;
    uint32_t stride;
    uint32_t size;              /* each stack's usable bytes */
};

/* Bytes of a slot for a stack of `size` bytes: the guard, then the stack
 * rounded up to whole pages. */
#define GUARDED_STACK_STRIDE(size)                                                             \
    (ARCH_PAGE_SIZE + ((size) + ARCH_PAGE_SIZE - 1) / ARCH_PAGE_SIZE * ARCH_PAGE_SIZE)

/* Defines `slots`, storage for count guarded stacks of size bytes in the
 * linker's .stacks section, and declares their guard pages as `name`'s. */
#define GUARDED_STACKS(slots, name, count, size)                                               \
    static uint8_t slots[count][GUARDED_STACK_STRIDE(size)]                                    \
        __attribute__((section(".stacks." name), aligned(ARCH_PAGE_SIZE), used));              \
    static const struct guarded_stacks slots##_guards_                                         \
        __attribute__((section(".guarded_stacks"), used)) = {                                  \
            (name), slots, (count), GUARDED_STACK_STRIDE(size), (size),                        \
        }

/* The stack of slot i of a GUARDED_STACKS() storage. */
#define GUARDED_STACK(slots, i) ((void *)((slots)[i] + ARCH_PAGE_SIZE))

extern const struct guarded_stacks __guarded_stacks_start[], __guarded_stacks_end[];

/* How many declarations the linker collected, __guarded_stacks_start[0]
 * on. */
static inline unsigned int guarded_stacks_count(void)
{
    return ((uintptr_t)__guarded_stacks_end - (uintptr_t)__guarded_stacks_start) / sizeof(struct guarded_stacks);
}

#endif
