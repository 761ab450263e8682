/*
 * A wild pointer into another coroutine's guard page is not that
 * coroutine's overflow: the report names the guard's owner but says the
 * faulting code's sp was elsewhere, and names the coroutine that ran
 * (a report that called it the owner's overflow would send the reader to
 * the wrong stack). The same for the guard of a CPU's mode stack. Only
 * where every stack's guard is unmapped at once (the MMU's pages; an
 * MPU guards only the running coroutine's).
 *
 * requires: guard-pages guard-4k
 * runner: name=coroutine args=coroutine status=3 expect='a wild pointer into the guard page below coroutine .bystander..s stack: not its overflow'
 * runner: name=coroutine-runner args=coroutine status=3 expect='in coroutine .vandal.'
 * runner: name=mode-stack args=mode-stack status=3 expect='a wild pointer into the guard page below the .* of CPU 0: not its overflow'
 */
#include "boot/kernel.h"
#include "coro/coro.h"

#include <stdint.h>
#include <string.h>

CO_DEFINE(bystander, 2048);
CO_DEFINE(vandal, 2048);

extern char __irq_stack_limit[];

static void park(void *opaque)
{
    (void)opaque;
    co_yield();
}

/* A write a little below the lowest word of the target stack. */
static void scribble(void *opaque)
{
    volatile uint32_t *below = (volatile uint32_t *)opaque - 4;

    *below = 0xbad;
    co_yield();
}

int main(void)
{
    const char *which = kernel_cmdline();

    if (strcmp(which, "coroutine") == 0) {
        co_enter(co_init(&bystander, park, NULL));
        co_enter(co_init(&vandal, scribble, bystander.stack_guard));
    } else if (strcmp(which, "mode-stack") == 0) {
        co_enter(co_init(&vandal, scribble, __irq_stack_limit));
    }
    kprintf("no fault: '%s' is not one of this test's runs, or the write went through\n", which);
    return 1;
}
