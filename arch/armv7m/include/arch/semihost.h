/*
 * The semihosting trap on ARMv7-M: "bkpt 0xab". QEMU (with
 * -semihosting-config enable=on,target=native) or a debugger serves it;
 * with neither, it is a debug event the HardFault handler answers with -1
 * (boot/armv7m/fault.c).
 */
#ifndef ARCH_ARMV7M_SEMIHOST_H
#define ARCH_ARMV7M_SEMIHOST_H

#define SEMIHOST_BKPT   0xab

/* Makes semihosting request op with its parameter block; returns r0. */
static inline int arch_semihost_call(int op, void *block)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = block;

    __asm__ volatile("bkpt %[imm]" : "+r"(r0) : "r"(r1), [imm] "i"(SEMIHOST_BKPT) : "cc", "memory");
    return r0;
}

#endif
