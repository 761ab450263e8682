/*
 * The accesses the MMU or MPU forbids on purpose, for the fault tests of
 * each architecture (tests/qemu/fault.c, fault_armv7m.c), and the table
 * that picks one by the command line. Each access goes through a volatile
 * pointer, so that the compiler can neither see the undefined behaviour
 * nor drop it.
 */
#ifndef TESTS_QEMU_LIB_MEMORY_FAULTS_H
#define TESTS_QEMU_LIB_MEMORY_FAULTS_H

#include "boot/kernel.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void *volatile fault_null_pointer;

static inline void fault_null_read(void)
{
    (void)*(volatile uint32_t *)((uintptr_t)fault_null_pointer + 16);
}

static inline void fault_null_write(void)
{
    *(volatile uint32_t *)fault_null_pointer = 1;
}

static inline void fault_null_call(void)
{
    ((void (*)(void))fault_null_pointer)();
}

/* A word of this very function, as data (without the Thumb bit). */
static inline void fault_write_code(void)
{
    void *volatile code = (void *)((uintptr_t)fault_write_code & ~(uintptr_t)1);
    *(volatile uint32_t *)code = 0;
}

static const uint32_t fault_constant = 42;

static inline void fault_write_rodata(void)
{
    const uint32_t *volatile p = &fault_constant;
    *(volatile uint32_t *)p = 0;
}

/* "bx lr" in a buffer, called in the state this code runs in: it returns
 * if the buffer is executable. */
static inline void fault_run_buffer(uint32_t *buffer)
{
#ifdef __thumb__
    void (*volatile code)(void) = (void (*)(void))((uintptr_t)buffer | 1u);
    buffer[0] = 0x47704770u;
#else
    void (*volatile code)(void) = (void (*)(void))(uintptr_t)buffer;
    buffer[0] = 0xe12fff1eu;
#endif
    code();
}

static inline void fault_run_stack(void)
{
    uint32_t buffer[1];
    fault_run_buffer(buffer);
}

static inline void fault_run_data(void)
{
    static uint32_t buffer[1];
    fault_run_buffer(buffer);
}

struct named_fault {
    const char *name;
    void (*fault)(void);
};

/* Runs the fault the command line names; returns 1 (the test failed) if
 * it did not stop the run, or if there is no such fault. */
static inline int run_named_fault(const struct named_fault *faults, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(kernel_cmdline(), faults[i].name) == 0) {
            faults[i].fault();
            printf("the %s fault did not stop the run\n", faults[i].name);
            return 1;
        }
    }
    printf("unknown fault '%s'\n", kernel_cmdline());
    return 1;
}

#endif
