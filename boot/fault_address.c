/*
 * The layout's view of a faulting address: each region the MMU (or MPU)
 * protects on purpose is named in the report, so that an overflow says
 * "stack overflow" and whose, and a NULL pointer says so.
 */
#include "arch/stacks.h"
#include "boot/fault_address.h"
#include "boot/guard.h"
#include "boot/kernel.h"

#include <stdbool.h>
#include <stdio.h>

/* From the linker layout. */
extern char __unmapped_low_end[];
extern char __code_start[], __rodata_start[], __code_end[];
extern char __mode_stacks_start[], __mode_stacks_end[], __mode_stacks_cpu_stride[], __mode_stack_guard[];
extern char __und_stack_limit[], __und_stack_top[], __abt_stack_limit[], __abt_stack_top[];
extern char __irq_stack_limit[], __irq_stack_top[], __svc_stack_limit[], __svc_stack_top[];

static const struct mode_stack {
    const char *name;
    char *limit, *top;      /* CPU 0's */
} mode_stacks[] = {
    { ARCH_UND_STACK_NAME, __und_stack_limit, __und_stack_top },
    { ARCH_ABT_STACK_NAME, __abt_stack_limit, __abt_stack_top },
    { ARCH_IRQ_STACK_NAME, __irq_stack_limit, __irq_stack_top },
    { ARCH_MAIN_STACK_NAME, __svc_stack_limit, __svc_stack_top },
};

static bool in_guard_page(uintptr_t addr, uintptr_t limit, uintptr_t guard_size)
{
    return addr < limit && addr >= limit - guard_size;
}

static bool describe_mode_stack_guard(uintptr_t addr, uintptr_t sp)
{
    if (addr < (uintptr_t)__mode_stacks_start || addr >= (uintptr_t)__mode_stacks_end) {
        return false;
    }
    uintptr_t stride = (uintptr_t)__mode_stacks_cpu_stride;
    unsigned int cpu = (addr - (uintptr_t)__mode_stacks_start) / stride;
    uintptr_t cpu0_addr = addr - cpu * stride;

    for (unsigned int s = 0; s < sizeof(mode_stacks) / sizeof(mode_stacks[0]); s++) {
        const struct mode_stack *m = &mode_stacks[s];
        uintptr_t guard = (uintptr_t)__mode_stack_guard;
        if (!in_guard_page(cpu0_addr, (uintptr_t)m->limit, guard)) {
            continue;
        }
        uintptr_t bottom = (uintptr_t)m->limit - guard + cpu * stride, top = (uintptr_t)m->top + cpu * stride;
        if (sp >= bottom && sp < top) {
            kprintf("    stack overflow: the %s of CPU %u (%lu bytes) ran into the guard page below it\n",
                    m->name, cpu, (unsigned long)(m->top - m->limit));
        } else {
            kprintf("    a wild pointer into the guard page below the %s of CPU %u: not its overflow, "
                    "sp (0x%08lx) is elsewhere\n", m->name, cpu, (unsigned long)sp);
        }
        return true;
    }
    return false;
}

static bool describe_coroutine_guard(uintptr_t addr, uintptr_t sp)
{
    for (unsigned int n = 0; n < guarded_stacks_count(); n++) {
        const struct guarded_stacks *g = &__guarded_stacks_start[n];
        uintptr_t offset = addr - (uintptr_t)g->slots;
        if (addr < (uintptr_t)g->slots || offset >= g->count * g->stride || offset % g->stride >= ARCH_PAGE_SIZE) {
            continue;
        }
        unsigned long index = (unsigned long)(offset / g->stride);
        uintptr_t slot = (uintptr_t)g->slots + index * g->stride;
        char owner[48];
        if (g->count > 1) {
            snprintf(owner, sizeof(owner), "'%s' #%lu", g->name, index);
        } else {
            snprintf(owner, sizeof(owner), "'%s'", g->name);
        }
        /* Its own overflow only if the faulting code ran on that stack. */
        if (sp >= slot && sp < slot + g->stride) {
            kprintf("    stack overflow: coroutine %s ran past the limit of its %lu-byte stack into "
                    "the guard page below it\n", owner, (unsigned long)g->size);
        } else {
            kprintf("    a wild pointer into the guard page below coroutine %s's stack: not its overflow, "
                    "sp (0x%08lx) is elsewhere\n", owner, (unsigned long)sp);
        }
        return true;
    }
    return false;
}

static const char *const access_names[] = {
    [FAULT_ACCESS_READ] = "read through",
    [FAULT_ACCESS_WRITE] = "write through",
    [FAULT_ACCESS_EXECUTE] = "call through",
};

void fault_describe_address(uintptr_t addr, enum fault_access access, uintptr_t sp)
{
    bool code = addr >= (uintptr_t)__code_start && addr < (uintptr_t)__code_end;

    if (addr < ARCH_PAGE_SIZE) {
        kprintf("    NULL pointer: a %s a NULL pointer%s\n", access_names[access],
                addr < (uintptr_t)__unmapped_low_end ? " (the first page is never mapped)"
                                                     : " (code is at 0: only writing and calling fault)");
    } else if (describe_mode_stack_guard(addr, sp) || describe_coroutine_guard(addr, sp)) {
        return;
    } else if (access == FAULT_ACCESS_WRITE && code) {
        kprintf("    a write to %s\n", addr < (uintptr_t)__rodata_start ? "code: text is read-only" : "read-only data");
    } else if (access == FAULT_ACCESS_EXECUTE && (addr < (uintptr_t)__code_start || addr >= (uintptr_t)__rodata_start)) {
        kprintf("    a jump to memory that is not code: only text is executable\n");
    } else if (addr < (uintptr_t)__unmapped_low_end && !code) {
        kprintf("    a wild pointer: nothing is mapped below %p but code\n", (void *)__unmapped_low_end);
    }
}
