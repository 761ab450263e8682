/*
 * The baseline of the switch benchmark: co_enter() and co_yield() built the
 * way QEMU first built its coroutines, on setjmp/longjmp (newlib's here),
 * with the same checks and bookkeeping as coro/arch/<arch>/switch.S:
 * "enterable" (suspended and without a caller), the caller chain, the
 * switch count, the outgoing stack's guard word and a per-CPU current
 * coroutine. newlib's ARM setjmp leaves out d8-d15 (s16-s31), which the
 * AAPCS says a callee must keep, so the switch saves them itself when the
 * image is built for the FPU.
 *
 * The current one lives where the kernel's would, but apart from it: in
 * TPIDRURW, a per-CPU register as cheap to reach as the kernel's
 * TPIDRPRW, or on ARMv7-M, which has neither, in a volatile word as the
 * kernel's is (arch/sysreg.h).
 * These coroutines run on the stacks of kernel coroutines without the
 * kernel knowing: nothing else may run while they do.
 */
#ifndef TESTS_BENCH_LIB_SETJMP_CO_H
#define TESTS_BENCH_LIB_SETJMP_CO_H

#include "arch/sysreg.h"
#include "boot/kernel.h"
#include "coro/co_types.h"

#include <setjmp.h>
#include <stdint.h>

struct setjmp_co {
    double d8_d15[8];               /* first, so that one vstm reaches it; unused without the FPU */
    uint32_t *stack_guard;          /* holds -(address of this struct) */
    struct setjmp_co *caller;       /* NULL unless running */
    uint32_t switches;
    uint32_t state;
    jmp_buf env;
};

#if __ARM_ARCH_PROFILE == 'M'
static volatile uint32_t setjmp_co_current_word;

static inline struct setjmp_co *setjmp_co_current(void)
{
    return (struct setjmp_co *)(uintptr_t)setjmp_co_current_word;
}

static inline void setjmp_co_set_current(struct setjmp_co *co)
{
    setjmp_co_current_word = (uint32_t)(uintptr_t)co;
}
#else
static inline struct setjmp_co *setjmp_co_current(void)
{
    return (struct setjmp_co *)(uintptr_t)read_tpidrurw();
}

static inline void setjmp_co_set_current(struct setjmp_co *co)
{
    write_tpidrurw((uint32_t)(uintptr_t)co);
}
#endif

#ifdef __ARM_FP
#define SETJMP_CO_SWITCH_FP(from, to)                                                           \
    do {                                                                                        \
        __asm__ volatile("vstmia %0, {d8-d15}" ::"r"((from)->d8_d15) : "memory");               \
        __asm__ volatile("vldmia %0, {d8-d15}" ::"r"((to)->d8_d15) : "memory");                 \
    } while (0)
#else
#define SETJMP_CO_SWITCH_FP(from, to) ((void)0)
#endif

static void __attribute__((noreturn, cold, noinline))
setjmp_co_misuse(const char *what, const struct co_site *site)
{
    kernel_panic("%s at %s:%u", what, site->file, site->line);
}

static void __attribute__((noreturn, cold, noinline)) setjmp_co_stack_overflow(const void *called_from)
{
    kernel_panic("stack overflow: a setjmp_co switch called from %p", called_from);
}

/*
 * Expanded into enter and yield as switch.S expands its SWITCH: a macro,
 * since GCC will not inline a function that calls setjmp. Both sides'
 * d8-d15 move before the setjmp (setjmp/longjmp leave them alone), and
 * longjmp finds `to` again as the current one, so that nothing has to live
 * across the setjmp, in a register or spilled.
 */
#define SETJMP_CO_SWITCH(from, to)                                                              \
    do {                                                                                        \
        if (*(from)->stack_guard + (uint32_t)(uintptr_t)(from) != 0) {                          \
            setjmp_co_stack_overflow(__builtin_return_address(0));                              \
        }                                                                                       \
        setjmp_co_set_current(to);                                                              \
        SETJMP_CO_SWITCH_FP(from, to);                                                          \
        if (setjmp((from)->env) == 0) {                                                         \
            longjmp(setjmp_co_current()->env, 1);                                               \
        }                                                                                       \
    } while (0)

/* noipa: out of line and called with the arguments as written, like the
 * kernel's co_enter_at() and co_yield_at(). */
static void __attribute__((noipa)) setjmp_co_enter_at(struct setjmp_co *co, const struct co_site *site)
{
    struct setjmp_co *self = setjmp_co_current();
    struct setjmp_co *caller = co->caller;
    uint32_t switches = co->switches;

    if ((co->state | (uint32_t)(uintptr_t)caller) != 0) {
        setjmp_co_misuse("setjmp_co_enter of a coroutine that is not suspended", site);
    }
    co->caller = self;
    co->switches = switches + 1;
    SETJMP_CO_SWITCH(self, co);
}

static void __attribute__((noipa)) setjmp_co_yield_at(const struct co_site *site)
{
    struct setjmp_co *self = setjmp_co_current();
    struct setjmp_co *caller = self->caller;

    if (caller == NULL) {
        setjmp_co_misuse("setjmp_co_yield outside a coroutine", site);
    }
    self->caller = NULL;
    SETJMP_CO_SWITCH(self, caller);
}

#define setjmp_co_enter(co) setjmp_co_enter_at((co), CO_SITE())
#define setjmp_co_yield() setjmp_co_yield_at(CO_SITE())

#endif
