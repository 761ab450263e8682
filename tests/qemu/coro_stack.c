/*
 * Stack safety and introspection: high-water marks, co_dump(), a stack
 * overflow caught at the instruction that crosses into the guard page
 * below the stack, naming the stack, whatever the frame size; and the
 * second line behind it, the guard word at each stack's limit, checked at
 * every switch (coroutines) and when the main loop goes idle (IRQ stack).
 *
 * runner:
 * runner: name=dump args=dump expect='^    light +waiting +2048 +[0-9]+ +2  tests/qemu/coro_stack.c:[0-9]+$'
 * runner: name=dump-irq-stack args=dump expect='^    interrupt handler +interrupt +4096 +[0-9]+ +0$'
 * runner: name=overflow args=overflow status=3 expect='stack overflow: coroutine .overflower. #1 ran past the limit of its 1024-byte stack into the guard page below it'
 * runner: name=big-frame args=big-frame status=3 expect='stack overflow: coroutine .sprawler. ran past the limit of its 2048-byte stack'
 * runner: name=pool-overflow args=pool-overflow status=3 expect='stack overflow: coroutine .pool. #1 ran past the limit of its 4096-byte stack'
 * runner: name=guard-word args=guard-word status=2 expect='PANIC: stack overflow: coroutine .light. wrote past the limit of its 2048-byte stack at 0x4[0-9a-f]+ \(guard word now 0x77777777\)'
 * runner: name=main-overflow args=main-overflow status=3 hook=fault_names
 * runner: name=irq-overflow args=irq-overflow status=3 hook=fault_names
 * runner: name=irq-guard-word args=irq-guard-word qemu='-icount shift=0,sleep=off' status=2 expect='PANIC: interrupt stack overflow: handlers wrote past the limit of the 4096-byte IRQ stack at 0x4[0-9a-f]+ \(guard word now 0x77777777\)'
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/queue.h"
#include "coro/time.h"
#include "drivers/system/gic/gic.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/ktest.h"

#include <string.h>

CO_DEFINE(light, 2048);
CO_DEFINE(deep, 4096);
CO_DEFINE(sprawler, 2048);
CO_DEFINE_ARRAY(overflower, 2, 1024);

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

/* A frame bigger than the whole stack: filling it crosses the limit. */
static __attribute__((noinline)) unsigned int use_too_much(void)
{
    volatile unsigned char frame[1024];

    memset((void *)frame, 0x77, sizeof(frame));
    return frame[0];
}

/* A frame four times the stack, of which only the far end is written:
 * without the probes of every page it spans, the write would land past
 * the guard page, in whatever lies below. */
static __attribute__((noinline)) unsigned int write_far_end(void)
{
    volatile unsigned char frame[8192];

    frame[0] = 0x77;
    return frame[0];
}

/* The word at the stack's limit, as a wild write would hit it: stacks
 * smaller than a page start on the page the frame is in. */
static void write_own_guard_word(void)
{
    unsigned char here;
    volatile uint32_t *limit = (volatile uint32_t *)((uintptr_t)&here & ~(uintptr_t)(ARCH_PAGE_SIZE - 1));

    *limit = 0x77777777;
}

/* Interrupt handlers that use 1 KiB of the 4 KiB IRQ stack, and 5 KiB,
 * and one that writes the stack's lowest word only. */
#define SGI_MODEST 5
#define SGI_GREEDY 6
#define SGI_GUARD_WORD 7

static void modest_handler(void *arg)
{
    volatile unsigned char frame[1024];

    (void)arg;
    memset((void *)frame, 0x77, sizeof(frame));
}

static void greedy_handler(void *arg)
{
    volatile unsigned char frame[5120];

    (void)arg;
    memset((void *)frame, 0x77, sizeof(frame));
}

static void guard_word_handler(void *arg)
{
    (void)arg;
    write_own_guard_word();
}

static void sleep_briefly(void *opaque)
{
    (void)opaque;
    co_sleep_ms(1);
}

static void overflow(void *opaque)
{
    (void)opaque;
    use_too_much();
    co_yield();
}

static void sprawl(void *opaque)
{
    (void)opaque;
    write_far_end();
    co_yield();
}

static void overwrite_guard_word(void *opaque)
{
    (void)opaque;
    write_own_guard_word();
    co_yield();
}

static void overflow_pool_stack(void *opaque)
{
    (void)opaque;
    write_far_end();
    co_yield();
}

/* The main context's own stack: a frame larger than all of it. */
static __attribute__((noinline)) unsigned int overflow_main_stack(void)
{
    volatile unsigned char frame[32768];

    memset((void *)frame, 0x77, sizeof(frame));
    return frame[0];
}

/* Raises an interrupt whose handler needs 5 KiB of the 4 KiB IRQ stack on
 * the CPU this runs on: the last one, so that the report must name it. */
static void raise_greedy(void *opaque)
{
    (void)opaque;
    kprintf("the report must say: stack overflow: the IRQ stack of CPU %u (4096 bytes)\n", co_cpu_id());
    gic_send_sgi_to_self(SGI_GREEDY);
    co_yield();
}

int main(void)
{
    const char *which = kernel_cmdline();

    if (strcmp(which, "overflow") == 0) {
        co_enter(co_init_element(overflower, 1, overflow, NULL));
        return 1;   /* not reached: the fault stops the kernel */
    }
    if (strcmp(which, "big-frame") == 0) {
        co_enter(co_init(&sprawler, sprawl, NULL));
        return 1;
    }
    if (strcmp(which, "pool-overflow") == 0) {
        /* The pool hands out slot 0 first: the second is slot 1. */
        co_enter(co_create(yield_twice, NULL));
        co_enter(co_create(overflow_pool_stack, NULL));
        return 1;
    }
    if (strcmp(which, "guard-word") == 0) {
        co_enter(co_init(&light, overwrite_guard_word, NULL));
        return 1;   /* not reached: the switch's check stops the kernel */
    }
    if (strcmp(which, "main-overflow") == 0) {
        kprintf("the report must say: stack overflow: the SVC stack (the main context) of CPU %u\n", co_cpu_id());
        return (int)overflow_main_stack();
    }
    if (strcmp(which, "irq-overflow") == 0) {
        irq_register(SGI_GREEDY, greedy_handler, NULL);
        co_init(&light, raise_greedy, NULL);
        co_set_cpu(&light, (int)co_cpu_count() - 1);
        co_wake(&light);
        co_run();
        return 1;
    }
    if (strcmp(which, "irq-guard-word") == 0) {
        uint32_t handled = irq_handled_count();
        irq_register(SGI_GUARD_WORD, guard_word_handler, NULL);
        gic_send_sgi_to_self(SGI_GUARD_WORD);
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
    irq_register(SGI_MODEST, modest_handler, NULL);
    gic_send_sgi_to_self(SGI_MODEST);
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
