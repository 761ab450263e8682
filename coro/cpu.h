/*
 * What the coroutine core keeps for each CPU, reached through the one
 * accessor co_this_cpu(). Shared by the files of coro/; not for
 * applications.
 */
#ifndef CORO_CPU_H
#define CORO_CPU_H

#include "coro/co_types.h"
#include "coro_arch.h"

struct co_cpu {
    /* Current while an interrupt handler runs on this CPU. First: the IRQ
     * vector makes it current from the per-CPU register alone. */
    struct co irq;
    /* The CPU's main context: the stack reset set up, seen as a coroutine. */
    struct co main;
    unsigned int index;
};

extern struct co_cpu co_cpus[CONFIG_CPUS];

/* The CPU this code runs on. A coroutine can be resumed on another CPU
 * than the one it waited on: call this again after every switch. */
static inline struct co_cpu *co_this_cpu(void)
{
#if CONFIG_CPUS > 1
    return co_arch_cpu();
#else
    return &co_cpus[0];
#endif
}

/* Gives the calling CPU its main context and interrupt stand-in (the
 * first CPU's before main(), the others' as they start). */
void co_cpu_setup(void);

#endif
