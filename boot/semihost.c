#include "boot/semihost.h"
#include "boot/asm.h"

#include <stdint.h>

#define SYS_GET_CMDLINE         0x15
#define SYS_EXIT_EXTENDED       0x20    /* the only exit that carries a code on AArch32 */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static int semihost_call(int op, void *block)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = block;

    /* Where a debugger serves it through the SVC vector, the exception is
     * real and overwrites lr in SVC mode. */
    __asm__ volatile("svc %[imm]" : "+r"(r0) : "r"(r1), [imm] "i"(SEMIHOST_SVC) : "lr", "cc", "memory");
    return r0;
}

void semihost_exit(int status)
{
    uint32_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status };

    semihost_call(SYS_EXIT_EXTENDED, block);
}

int semihost_cmdline(char *buf, size_t size)
{
    uint32_t block[2] = { (uint32_t)(uintptr_t)buf, size };

    if (semihost_call(SYS_GET_CMDLINE, block) != 0) {
        return -1;
    }
    return (int)block[1];
}
