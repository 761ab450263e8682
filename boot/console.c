/*
 * The console: newlib's stdout and stderr, and kprintf(), all end in
 * board_console_write(). stdout is line-buffered by newlib; kernel_exit()
 * and kernel_panic() flush it before they stop.
 */
#include "boot/kernel.h"
#include "board/board.h"

#include <errno.h>
#include <unistd.h>

void console_write(const char *buf, size_t len)
{
    size_t start = 0;

    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            board_console_write(buf + start, i - start);
            board_console_write("\r\n", 2);
            start = i + 1;
        }
    }
    board_console_write(buf + start, len - start);
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
