#include "boot/semihost.h"
#include "arch/semihost.h"

#include <stdint.h>

#define SYS_GET_CMDLINE         0x15
#define SYS_EXIT_EXTENDED       0x20    /* the only exit that carries a code on AArch32 */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

void semihost_exit(int status)
{
    uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status };

    arch_semihost_call(SYS_EXIT_EXTENDED, block);
}

int semihost_cmdline(char *buf, size_t size)
{
    uint32_t block[2] = { (uint32_t)(uintptr_t)buf, size };

    if (arch_semihost_call(SYS_GET_CMDLINE, block) != 0) {
        return -1;
    }
    return (int)block[1];
}
