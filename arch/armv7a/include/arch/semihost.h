/*
 * The semihosting trap on ARMv7-A: "svc 0x123456" in ARM state. QEMU (with
 * -semihosting-config enable=on,target=native) or a debugger serves it.
 */
#ifndef ARCH_ARMV7A_SEMIHOST_H
#define ARCH_ARMV7A_SEMIHOST_H

#include "arch/asm.h"

/* Makes semihosting request op with its parameter block; returns r0. */
static inline int arch_semihost_call(int op, void *block)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = block;

    /* Where a debugger serves it through the SVC vector, the exception is
     * real and overwrites lr in SVC mode. */
    __asm__ volatile("svc %[imm]" : "+r"(r0) : "r"(r1), [imm] "i"(SEMIHOST_SVC) : "lr", "cc", "memory");
    return r0;
}

#endif
