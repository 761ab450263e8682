/*
 * The console: newlib's stdout and stderr, and kprintf(), all end in
 * board_console_write(). stdout is line-buffered by newlib; kernel_exit()
 * and kernel_panic() flush it before they stop.
 */
#include "boot/kernel.h"
#include "boot/spinlock.h"
#include "board/board.h"

#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

/* One write at a time, so that the lines of two CPUs do not interleave. */
static struct spinlock console_lock = SPINLOCK_INIT("console");

void console_write(const char *buf, size_t len)
{
    size_t start = 0;
    irq_flags_t flags = irq_save();
    /* A fault report from inside a write on this CPU writes on. */
    bool nested = CONFIG_CPUS > 1 && console_lock.holder == cpu_index() + 1;

    // cppcheck-suppress knownConditionTrueFalse ; constant in an image for one CPU
    if (!nested) {
        spin_lock(&console_lock);
    }
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            board_console_write(buf + start, i - start);
            board_console_write("\r\n", 2);
            start = i + 1;
        }
    }
    board_console_write(buf + start, len - start);
    // cppcheck-suppress knownConditionTrueFalse ; constant in an image for one CPU
    if (!nested) {
        spin_unlock(&console_lock);
    }
    irq_restore(flags);
}

int _write(int fd, const char *buf, int len);
int _write(int fd, const char *buf, int len)
{
    if (fd != STDOUT_FILENO && fd != STDERR_FILENO) {
        errno = EBADF;
        return -1;
    }
    console_write(buf, (size_t)len);
    return len;
}
