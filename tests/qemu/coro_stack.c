/*
 * Stack safety and introspection: high-water marks, co_dump(), and the
 * guard word at each stack's limit: a write to a coroutine's is caught at
 * its next switch, naming the coroutine, and one to the IRQ stack's when
 * the main loop goes idle. (An overflow that crosses a limit faults at the
 * instruction where the board has guard pages: tests/qemu/stack_guard.c.)
 *
 * runner:
 * runner: name=dump args=dump expect='^    light +waiting +2048 +[0-9]+ +2  tests/qemu/coro_stack.c:[0-9]+$'
 * runner: name=dump-irq-stack args=dump expect='^    interrupt handler +interrupt +4096 +[0-9]+ +0$'
 * runner: name=guard-word args=guard-word status=2 expect='PANIC: stack overflow: coroutine .light. wrote past the limit of its 2048-byte stack at 0x[0-9a-f]+ \(guard word now 0x77777777\)'
 * runner: name=irq-guard-word args=irq-guard-word qemu='-icount shift=0,sleep=off' status=2 expect='PANIC: interrupt stack overflow: handlers wrote past the limit of the 4096-byte IRQ stack at 0x[0-9a-f]+ \(guard word now 0x77777777\)'
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/queue.h"
#include "coro/time.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/ktest.h"

#include <string.h>

CO_DEFINE(light, 2048);
CO_DEFINE(deep, 4096);

static struct co_queue parked = CO_QUEUE_INITIALIZER;

static void yield_twice(void *opaque)
{
    (void)opaque;
    co_yield();
    co_queue_wait(&parked);
}

/* Uses about `bytes` of stack, then yields at the deepest point. */
static unsigned int use_stack(unsigned int bytes)
{
    volatile unsigned char frame[128];

    memset((void *)frame, (int)bytes, sizeof(frame));
    if (bytes > sizeof(frame)) {
        return frame[0] + use_stack(bytes - sizeof(frame));
    }
    co_yield();
    return frame[0];
}

static void dig(void *opaque)
{
    use_stack((unsigned int)(uintptr_t)opaque);
}

/* CPU 0's IRQ stack, from the linker layout: its lowest word is the guard
 * word. */
extern uint32_t __irq_stack_limit[];

/* An interrupt handler that uses 1 KiB of the 4 KiB IRQ stack (with what
 * the interrupt's way in takes: its own frame stays under the 1 KiB that
 * ARMv7-M allows one), and one that writes the stack's lowest word, as a
 * wild write would. */
#define SOFT_MODEST BOARD_TEST_SOFT_IRQ(1)
#define SOFT_GUARD_WORD BOARD_TEST_SOFT_IRQ(2)

static void modest_handler(void *arg)
{
    volatile unsigned char frame[1000];

    (void)arg;
    memset((void *)frame, 0x77, sizeof(frame));
}

static void guard_word_handler(void *arg)
{
    (void)arg;
    *(volatile uint32_t *)__irq_stack_limit = 0x77777777;
}

static void sleep_briefly(void *opaque)
{
    (void)opaque;
    co_sleep_ms(1);
}

/* Writes its own stack's lowest word, as a wild write would, and yields:
 * the switch's check stops the kernel. */
static void overwrite_guard_word(void *opaque)
{
    (void)opaque;
    *(volatile uint32_t *)co_self()->stack_guard = 0x77777777;
    co_yield();
}

int main(void)
{
    const char *which = kernel_cmdline();

    if (strcmp(which, "guard-word") == 0) {
        co_enter(co_init(&light, overwrite_guard_word, NULL));
        return 1;   /* not reached: the yield above stops the kernel */
    }
    if (strcmp(which, "irq-guard-word") == 0) {
        uint32_t handled = irq_handled_count();
        irq_register(SOFT_GUARD_WORD, guard_word_handler, NULL);
        irq_raise(SOFT_GUARD_WORD);
        while (irq_handled_count() == handled) {
        }
        /* Under -icount the 1 ms sleep cannot end before the main loop
         * first goes idle, as a stalled host could make it in real time. */
        co_enter(co_init(&light, sleep_briefly, NULL));
        co_run();   /* goes idle while light sleeps: the check stops the kernel */
        return 1;
    }

    kt_plan(7);
    size_t irq_before = co_irq_stack_high_water();
    uint32_t handled = irq_handled_count();
    irq_register(SOFT_MODEST, modest_handler, NULL);
    irq_raise(SOFT_MODEST);
    while (irq_handled_count() == handled) {
    }
    size_t irq_after = co_irq_stack_high_water();
    KT_EXPECT(irq_before < 1024 && irq_after >= 1024 && irq_after < 2048,
              "the IRQ stack's high-water mark shows a handler's 1 KiB");
    co_enter(co_init(&light, sleep_briefly, NULL));
    KT_EXPECT_EQ(co_run(), 0, "an IRQ stack within its limit passes the idle check");

    co_enter(co_init(&light, yield_twice, NULL));
    KT_EXPECT(co_stack_high_water(&light) < 512, "a coroutine that did little used little stack");

    co_enter(co_init(&deep, dig, (void *)(uintptr_t)2048));
    size_t used = co_stack_high_water(&deep);
    KT_EXPECT(used >= 2048 && used < 3072, "high-water mark of a coroutine that used 2 KiB");
    co_enter(&deep);
    KT_EXPECT_EQ(co_stack_high_water(&deep), used, "the mark stays after the stack unwinds");
    KT_EXPECT_EQ(co_stack_size(&deep), 4096, "stack size");

    co_enter(&light);   /* now waiting on the queue */
    KT_EXPECT(co_live_count() == 1, "one coroutine alive: the one waiting");
    if (strcmp(which, "dump") == 0) {
        co_dump();
    }
    return kt_done();
}
