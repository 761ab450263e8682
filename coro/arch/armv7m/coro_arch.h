/*
 * What the coroutine core needs from the CPU: the "current coroutine" and
 * the stack switch.
 */
#ifndef CORO_ARCH_ARMV7M_CORO_ARCH_H
#define CORO_ARCH_ARMV7M_CORO_ARCH_H

#include "arch/sysreg.h"
#include "coro/co_types.h"

/*
 * ARMv7-M has no thread ID register: the current coroutine lives in a word
 * of RAM (arch/sysreg.h), written only by the switch, the IRQ entry and
 * co_cpu_setup(). Its accessor is a volatile read: every call reads the
 * word again, and the compiler may neither hoist the read out of a loop
 * nor reuse a value read before a switch (the bug class behind QEMU's
 * "current" hoisted across SwitchToFiber).
 */
static inline struct co *co_arch_current(void)
{
    return (struct co *)(uintptr_t)read_thread_current();
}

static inline void co_arch_set_current(struct co *co)
{
    write_thread_current((uint32_t)(uintptr_t)co);
}

/* The CPU's struct co_cpu, in the second word: the IRQ entry reads it to
 * make the CPU's interrupt stand-in current. */
struct co_cpu;

static inline struct co_cpu *co_arch_cpu(void)
{
    return (struct co_cpu *)(uintptr_t)read_thread_cpu();
}

static inline void co_arch_set_cpu(struct co_cpu *cpu)
{
    write_thread_cpu((uint32_t)(uintptr_t)cpu);
}

/* switch.S */
void co_arch_switch(struct co *from, struct co *to);

/* Lays out a first switch frame at the top of co's stack so that switching
 * to it starts co_entry(co). */
void co_arch_prepare_stack(struct co *co);

#endif
