/*
 * The interrupt layer over the board's controller (GIC or NVIC) and the
 * IRQ path: dispatch by number on the IRQ stack, counted by interrupt and
 * by CPU, spurious interrupts counted and ignored, an interrupt without a
 * handler reported and masked, and a handler completing a coroutine's
 * wait.
 *
 * runner: expect='^irq: no handler for IRQ [0-9]+: masked$'
 */
#include "arch/cpu.h"
#include "coro/coro.h"
#include "drivers/irq.h"
#include "board/facts.h"
#include "tests/qemu/lib/irq_waiter.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_timer.h"

#include "coro/time.h"

#include <errno.h>

#define SOFT_COUNTED BOARD_TEST_SOFT_IRQ(0)
#define SOFT_UNHANDLED BOARD_TEST_SOFT_IRQ(1)
#define SOFT_WAKER BOARD_TEST_SOFT_IRQ(2)
#define SOFT_UNHANDLED_TOO BOARD_TEST_SOFT_IRQ(3)

extern char __irq_stack_limit[];
extern char __irq_stack_top[];

/* Written by the handlers: volatile, or the compiler may keep a copy
 * across the code that raises the interrupt. */
static volatile unsigned int soft_calls;
static volatile bool on_irq_stack = true;
static volatile bool in_irq_mode = true;

static void count_soft(void *arg)
{
    char here;
    uintptr_t sp = (uintptr_t)&here;

    soft_calls += (unsigned int)(uintptr_t)arg;
    on_irq_stack &= sp >= (uintptr_t)__irq_stack_limit && sp < (uintptr_t)__irq_stack_top;
    in_irq_mode &= in_irq_context() != 0;
}

/* The waiter publishes itself here; the interrupt's handler completes its wait. */
static struct irq_waiter waiter;
static int wait_result;

static void wake_waiter(void *arg)
{
    (void)arg;
    irq_waiter_complete(&waiter, 1234);
}

CO_DEFINE(sleeper, 2048);

static void wait_for_soft(void *opaque)
{
    (void)opaque;
    co_ticket_t ticket = irq_waiter_arm(&waiter);
    wait_result = co_wait_end(ticket, CO_NO_DEADLINE);
}

int main(void)
{
    kt_plan(16);

    KT_EXPECT_EQ(irq_register(SOFT_COUNTED, count_soft, (void *)1), 0, "register a handler");
    KT_EXPECT_EQ(irq_register(SOFT_COUNTED, count_soft, (void *)1), -EBUSY, "a second handler is refused");
    KT_EXPECT_EQ(irq_register(100000, count_soft, NULL), -EINVAL, "an interrupt out of range is refused");

    KT_EXPECT_EQ(irq_register_ipi(IRQ_IPI_KINDS, count_soft, NULL), -EINVAL, "an IPI of no kind is refused");

    uint32_t handled = irq_handled_count();
    uint32_t on_this_line = irq_line_count(SOFT_COUNTED);
    uint32_t on_other_line = irq_line_count(SOFT_WAKER);
    uint32_t on_this_cpu = irq_cpu_count(cpu_index());
    for (int i = 0; i < 10; i++) {
        irq_raise(SOFT_COUNTED);
    }
    KT_EXPECT(soft_calls == 10 && irq_handled_count() - handled == 10, "every interrupt reaches its handler once");
    KT_EXPECT(irq_line_count(SOFT_COUNTED) - on_this_line == 10 && irq_line_count(SOFT_WAKER) == on_other_line &&
              irq_cpu_count(cpu_index()) - on_this_cpu == 10,
              "each is counted on its own interrupt and on the CPU that took it");
    KT_EXPECT(irq_line_count(100000) == 0 && irq_cpu_count(1000) == 0, "an interrupt or CPU out of range counts none");

    /* The kernel's IPIs are not the application's to send: had the wake
     * IPI gone out it would be counted (handled, or unhandled on an
     * image of one CPU, whose kernel registers no IPIs). */
    uint32_t before = irq_handled_count() + irq_unhandled_count();
    irq_send_sgi(cpu_index(), 15);
    irq_send_sgi(cpu_index(), 14);
    KT_EXPECT_EQ(irq_handled_count() + irq_unhandled_count(), before, "the kernel's SGIs are refused");
#ifdef __ARM_ARCH_7A__
    irq_send_sgi(cpu_index(), SOFT_COUNTED);   /* a GIC's: an SGI */
    for (uint64_t until = co_clock_ns() + 100000000u; soft_calls != 11 && co_clock_ns() < until;) {
    }
    KT_EXPECT_EQ(soft_calls, 11, "an application's SGI reaches its handler");
#else
    irq_raise(SOFT_COUNTED);
    KT_EXPECT_EQ(soft_calls, 11, "(an NVIC has no SGIs: raised instead)");
#endif
    KT_EXPECT(on_irq_stack && in_irq_mode, "handlers run in IRQ mode on the IRQ stack");

    /* A level-triggered interrupt nobody handles: were it not masked, it
     * would fire again at once, forever. */
    irq_enable(BOARD_TEST_TIMER_IRQ);
    irq_flags_t masked = irq_save();
    test_timer_fire_at(0);  /* asserted from now on (a timer of its own may take a tick) */
    irq_restore(masked);
    uint64_t give_up = co_clock_ns() + 100000000u;
    while (irq_unhandled_count() == 0 && co_clock_ns() < give_up) {
    }
    KT_EXPECT_EQ(irq_unhandled_count(), 1, "an interrupt without a handler is reported, then masked");
    test_timer_stop();
    irq_enable(SOFT_UNHANDLED);         /* enabled without a handler, like the timer */
    irq_enable(SOFT_UNHANDLED_TOO);
    irq_raise(SOFT_UNHANDLED);
    irq_raise(SOFT_UNHANDLED_TOO);
    KT_EXPECT_EQ(irq_unhandled_count(), 3, "every unhandled one is counted");

    /* Nothing pending (on a GIC, acknowledging reads the spurious ID 1023;
     * an NVIC names no interrupt outside an exception). */
    uint32_t spurious = irq_spurious_count();
    irq_flags_t flags = irq_save();
    irq_dispatch();
    irq_restore(flags);
    KT_EXPECT_EQ(irq_spurious_count() - spurious, 1, "a spurious interrupt is counted");
    KT_EXPECT_EQ(soft_calls, 11, "and runs no handler");

    irq_register(SOFT_WAKER, wake_waiter, NULL);
    co_enter(co_init(&sleeper, wait_for_soft, NULL));
    irq_raise(SOFT_WAKER);
    KT_EXPECT(wait_result == 0 && !co_terminated(&sleeper), "the handler only makes the waiter ready");
    co_run();
    KT_EXPECT(wait_result == 1234 && co_terminated(&sleeper), "the main loop resumes it with the result");
    return kt_done();
}
