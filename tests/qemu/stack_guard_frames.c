/*
 * A frame four times its stack, of which only the far end is written: the
 * probes -fstack-clash-protection makes of every 4 KiB of it, top down as
 * it is allocated, fault in a guard of 4 KiB, where without them the write
 * would land past the guard, in whatever lies below. A board whose guards
 * are smaller (ARMv7-M's 1 KiB, arch/armv7m/include/arch/page.h) catches
 * frames only up to its guard's size, and leaves this out.
 *
 * requires: guard-pages guard-4k
 * runner: name=big-frame status=3 expect='stack overflow: coroutine .sprawler. ran past the limit of its 2048-byte stack'
 */
#include "boot/kernel.h"
#include "coro/coro.h"

CO_DEFINE(sprawler, 2048);

static __attribute__((noinline)) unsigned int write_far_end(void)
{
    volatile unsigned char frame[8192];

    frame[0] = 0x77;
    return frame[0];
}

static void sprawl(void *opaque)
{
    (void)opaque;
    write_far_end();
    co_yield();
}

int main(void)
{
    co_enter(co_init(&sprawler, sprawl, NULL));
    kprintf("no fault: the frame stepped over the guard\n");
    return 1;
}
