/*
 * What the coroutine core needs from the CPU: the per-CPU "current
 * coroutine" and the stack switch.
 */
#ifndef CORO_ARCH_ARMV7A_CORO_ARCH_H
#define CORO_ARCH_ARMV7A_CORO_ARCH_H

#include "arch/sysreg.h"
#include "coro/co_types.h"

/*
 * The current coroutine lives in TPIDRPRW (CP15 c13, c0, 4), a per-CPU
 * register only privileged code can read. Its accessor is asm volatile:
 * every call reads the register again, and the compiler may neither hoist
 * the read out of a loop nor reuse a value read before a switch (the bug
 * class behind QEMU's "current" hoisted across SwitchToFiber).
 */
static inline struct co *co_arch_current(void)
{
    return (struct co *)(uintptr_t)read_tpidrprw();
}

static inline void co_arch_set_current(struct co *co)
{
    write_tpidrprw((uint32_t)(uintptr_t)co);
}

/* This CPU's struct co_cpu lives in TPIDRURO (c13, c0, 3): the IRQ vector
 * reads it to make the CPU's interrupt stand-in current. Read again on
 * every call, like the current coroutine. */
struct co_cpu;

static inline struct co_cpu *co_arch_cpu(void)
{
    return (struct co_cpu *)(uintptr_t)read_tpidruro();
}

static inline void co_arch_set_cpu(struct co_cpu *cpu)
{
    write_tpidruro((uint32_t)(uintptr_t)cpu);
}

/* switch.S */
void co_arch_switch(struct co *from, struct co *to);

/* Lays out a first switch frame at the top of co's stack so that switching
 * to it starts co_entry(co). */
void co_arch_prepare_stack(struct co *co);

#endif
