/*
 * For tests of what a switch must keep: a call that holds known values in
 * the callee-saved registers (r4-r11, d8-d15) across a function that
 * switches away and back, and counts those that changed. The same code
 * assembles as ARM and as Thumb-2 (its IT instructions are for Thumb);
 * on an M-profile FPU d8-d15 are s16-s31.
 */
#ifndef TESTS_QEMU_LIB_SWITCH_REGISTERS_H
#define TESTS_QEMU_LIB_SWITCH_REGISTERS_H

#include <stdint.h>

/*
 * What switches away and back, called straight from the asm below with
 * two arguments (co_yield_at takes one, co_enter_at two, co_run_ready
 * none), so that no C wrapper saves registers for the switch: the type
 * every function pointer may be cast to and back.
 */
typedef void switch_fn(void);

/*
 * Loads r4-r11 with seed+1..seed+8 and d8-d15 with pairs of them, calls
 * switch_away(arg0, arg1), and returns how many of those 16 registers
 * changed.
 */
__attribute__((naked, noinline)) static int switch_keeps_registers(uint32_t seed, switch_fn *switch_away,
                                                                   const void *arg0, const void *arg1)
{
    (void)seed;
    (void)switch_away;
    (void)arg0;
    (void)arg1;
    __asm__ volatile(
        "push    {r4-r11, lr}\n\t"
        "vpush   {d8-d15}\n\t"
        "sub     sp, sp, #4\n\t"            /* keep 8-byte alignment */
        "str     r0, [sp]\n\t"
        "add     r4, r0, #1\n\t"
        "add     r5, r0, #2\n\t"
        "add     r6, r0, #3\n\t"
        "add     r7, r0, #4\n\t"
        "add     r8, r0, #5\n\t"
        "add     r9, r0, #6\n\t"
        "add     r10, r0, #7\n\t"
        "add     r11, r0, #8\n\t"
        "vmov    d8, r4, r5\n\t"
        "vmov    d9, r6, r7\n\t"
        "vmov    d10, r8, r9\n\t"
        "vmov    d11, r10, r11\n\t"
        "vmov    d12, r5, r4\n\t"
        "vmov    d13, r7, r6\n\t"
        "vmov    d14, r9, r8\n\t"
        "vmov    d15, r11, r10\n\t"
        "mov     ip, r1\n\t"
        "mov     r0, r2\n\t"
        "mov     r1, r3\n\t"
        "blx     ip\n\t"
        "ldr     r0, [sp]\n\t"
        "mov     r1, #0\n\t"                /* changed registers */
        /* r4-r11 */
        "add r2, r0, #1\n\tcmp r4, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #2\n\tcmp r5, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #3\n\tcmp r6, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #4\n\tcmp r7, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #5\n\tcmp r8, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #6\n\tcmp r9, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #7\n\tcmp r10, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        "add r2, r0, #8\n\tcmp r11, r2\n\tit ne\n\taddne r1, r1, #1\n\t"
        /* d8-d15 against the (intact or not) core registers' expected values */
        ".macro check_d d, lo, hi\n\t"
        "vmov    r2, r3, \\d\n\t"
        "add     ip, r0, #\\lo\n\t"
        "cmp     r2, ip\n\t"
        "it      ne\n\t"
        "addne   r1, r1, #1\n\t"
        "add     ip, r0, #\\hi\n\t"
        "cmp     r3, ip\n\t"
        "it      ne\n\t"
        "addne   r1, r1, #1\n\t"
        ".endm\n\t"
        "check_d d8, 1, 2\n\t"
        "check_d d9, 3, 4\n\t"
        "check_d d10, 5, 6\n\t"
        "check_d d11, 7, 8\n\t"
        "check_d d12, 2, 1\n\t"
        "check_d d13, 4, 3\n\t"
        "check_d d14, 6, 5\n\t"
        "check_d d15, 8, 7\n\t"
        ".purgem check_d\n\t"
        "mov     r0, r1\n\t"
        "add     sp, sp, #4\n\t"
        "vpop    {d8-d15}\n\t"
        "pop     {r4-r11, pc}\n\t");
}

#endif
