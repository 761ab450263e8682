/*
 * What a faulting address was, in words: a NULL pointer, a stack's guard
 * page (whose stack), code or read-only data written, data executed. For
 * the architecture's fault report (boot/<arch>/fault.c).
 */
#ifndef BOOT_FAULT_ADDRESS_H
#define BOOT_FAULT_ADDRESS_H

#include <stdint.h>

enum fault_access {
    FAULT_ACCESS_READ,
    FAULT_ACCESS_WRITE,
    FAULT_ACCESS_EXECUTE,
};

/* Prints one line saying what addr is, if the layout knows it. sp is the
 * faulting code's: a guard page's stack overflowed only if sp was in it. */
void fault_describe_address(uintptr_t addr, enum fault_access access, uintptr_t sp);

#endif
