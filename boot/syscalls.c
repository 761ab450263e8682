/*
 * The rest of newlib's system interface. There is no file system: these
 * answer as a board with only a console would.
 */
#include "boot/kernel.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
off_t _lseek(int fd, off_t offset, int whence);
int _read(int fd, char *buf, int len);
void *_sbrk(ptrdiff_t increment);
int _getpid(void);
int _kill(int pid, int sig);
void _exit(int status);

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd == STDOUT_FILENO || fd == STDERR_FILENO;
}

off_t _lseek(int fd, off_t offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0;   /* end of file: there is no console input */
}

/*
 * newlib-nano's stdio allocates its FILE structures and stdout's line
 * buffer on first use, through _sbrk(). They get this small fixed arena and
 * nothing else does: malloc() itself is refused at link time (see the
 * linker script), so no application code can reach it.
 */
#define STDIO_ARENA_SIZE 4096

void *_sbrk(ptrdiff_t increment)
{
    static char arena[STDIO_ARENA_SIZE] __attribute__((aligned(8)));
    static size_t used;

    if (increment < 0 || (size_t)increment > sizeof(arena) - used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *start = arena + used;
    used += (size_t)increment;
    return start;
}

int _getpid(void)
{
    return 1;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

/* abort() and exit() from newlib end here. */
void _exit(int status)
{
    kernel_exit(status);
}
