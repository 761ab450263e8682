/*
 * Guard pages: an overflow of any stack faults at the instruction that
 * crosses into the unmapped page below it, and the fault report says
 * "stack overflow" and whose stack it was: a
 * coroutine's (by name, array index or pool slot, and its size), the main
 * context's or the IRQ stack of the CPU the handler ran on (as the
 * architecture names them, arch/stacks.h).
 *
 * tags: smp
 * requires: guard-pages
 * runner: name=overflow args=overflow status=3 expect='stack overflow: coroutine .overflower. #1 ran past the limit of its 1024-byte stack into the guard page below it'
 * runner: name=pool-overflow args=pool-overflow status=3 expect='stack overflow: coroutine .pool. #1 ran past the limit of its 4096-byte stack'
 * runner: name=main-overflow args=main-overflow status=3 hook=fault_names
 * runner: name=irq-overflow args=irq-overflow status=3 hook=fault_names
 */
#include "arch/stacks.h"
#include "board/facts.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "drivers/irq.h"

#include <stdint.h>
#include <string.h>

CO_DEFINE(raiser, 2048);
CO_DEFINE_ARRAY(overflower, 2, 1024);

/* A stack that grows a frame at a time, each smaller than the smallest
 * guard (1 KiB on ARMv7-M; the Makefile holds code built on the kernel to
 * that) and filled as it is taken: depth + 1 frames of 768 bytes, and the
 * first that crosses the stack's limit writes into its guard. */
static __attribute__((noinline)) unsigned int dig(unsigned int depth)
{
    volatile unsigned char frame[768];

    memset((void *)frame, 0x77, sizeof(frame));
    return depth == 0 ? frame[0] : dig(depth - 1) + frame[1];
}

/* A coroutine whose stack holds `opaque` bytes digs deeper than that. */
static void overflow(void *opaque)
{
    dig((unsigned int)(uintptr_t)opaque / 768u + 1u);
    co_yield();
}

static void park(void *opaque)
{
    (void)opaque;
    co_yield();
}

/* A handler that needs 5 KiB of the 4 KiB IRQ stack. */
#define SOFT_GREEDY BOARD_TEST_SOFT_IRQ(2)

static void greedy_handler(void *arg)
{
    (void)arg;
    dig(5120u / 768u);
}

/* Raises the greedy interrupt on the CPU this runs on: the last one, so
 * that the report must name it. */
static void raise_greedy(void *opaque)
{
    (void)opaque;
    kprintf("the report must say: stack overflow: the " ARCH_IRQ_STACK_NAME " of CPU %u (4096 bytes)\n", co_cpu_id());
    irq_raise(SOFT_GREEDY);
    co_yield();
}

int main(void)
{
    const char *which = kernel_cmdline();

    if (strcmp(which, "overflow") == 0) {
        co_enter(co_init_element(overflower, 1, overflow, (void *)(uintptr_t)1024));
    } else if (strcmp(which, "pool-overflow") == 0) {
        /* The pool hands out slot 0 first: the second is slot 1. */
        co_enter(co_create(park, NULL));
        co_enter(co_create(overflow, (void *)(uintptr_t)4096));
    } else if (strcmp(which, "main-overflow") == 0) {
        kprintf("the report must say: stack overflow: the " ARCH_MAIN_STACK_NAME " of CPU %u\n", co_cpu_id());
        dig(32768u / 768u);
    } else if (strcmp(which, "irq-overflow") == 0) {
        irq_register(SOFT_GREEDY, greedy_handler, NULL);
        co_init(&raiser, raise_greedy, NULL);
        co_set_cpu(&raiser, (int)co_cpu_count() - 1);
        co_wake(&raiser);
        co_run();
    }
    kprintf("no fault: '%s' is not one of this test's runs, or its stack did not overflow\n", which);
    return 1;
}
