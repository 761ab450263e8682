/*
 * From reset to main() and back out: board bring-up, constructors, the
 * command line, the exit status, panics.
 */
#include "boot/kernel.h"
#include "arch/cpu.h"
#include "boot/semihost.h"
#include "board/board.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void kernel_start(void) __attribute__((noreturn));

extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

void kernel_start(void)
{
    board_init();
    for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
        (*ctor)();
    }
    kernel_start_cpus();
    irq_unmask();
    kernel_exit(main());
}

void kernel_stop(int status)
{
    irq_mask();
    semihost_exit(status);
    /* No semihosting (real hardware, or QEMU without it): park the CPU. */
    cpu_halt();
}

void kernel_exit(int status)
{
    fflush(stdout);
    kernel_stop(status);
}

static void kvprintf(const char *fmt, va_list ap)
{
    char line[256];
    int n = vsniprintf(line, sizeof(line), fmt, ap);

    if (n > (int)sizeof(line) - 1) {
        n = sizeof(line) - 1;
    }
    if (n > 0) {
        console_write(line, (size_t)n);
    }
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

uint32_t cpu_hw_id(void)
{
    return arch_cpu_hw_id();
}

void kernel_panic(const char *fmt, ...)
{
    static bool panicking;
    va_list ap;

    /* Nothing else runs from here on: no handler interleaves its output
     * or changes what the report describes. */
    irq_mask();
    if (panicking) {
        static const char again[] = "\nPANIC while reporting a panic: stopping\n";
        board_console_write(again, sizeof(again) - 1);
        kernel_stop(KERNEL_EXIT_PANIC);
    }
    panicking = true;
    fflush(stdout);
    kprintf("\nPANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    kernel_exit(KERNEL_EXIT_PANIC);
}

static void (*fault_context_hook)(void);

void kernel_on_fault(void (*describe)(void))
{
    fault_context_hook = describe;
}

void kernel_describe_fault_context(void)
{
    if (fault_context_hook) {
        fault_context_hook();
    }
}

const char *kernel_cmdline(void)
{
    static char cmdline[256];
    static int fetched;

    if (!fetched) {
        fetched = 1;
        /* QEMU hands back "<kernel path> <-append text>": keep the latter. */
        if (semihost_cmdline(cmdline, sizeof(cmdline)) < 0) {
            cmdline[0] = '\0';
        }
        const char *args = strchr(cmdline, ' ');
        args = args ? args + 1 : "";
        memmove(cmdline, args, strlen(args) + 1);
    }
    return cmdline;
}
