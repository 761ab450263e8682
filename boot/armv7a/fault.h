/* Fatal exceptions: what the vector stubs hand to fault_report(). */
#ifndef BOOT_ARMV7A_FAULT_H
#define BOOT_ARMV7A_FAULT_H

#define FAULT_UNDEFINED         0
#define FAULT_SVC               1
#define FAULT_PREFETCH_ABORT    2
#define FAULT_DATA_ABORT        3
#define FAULT_RESERVED          4
#define FAULT_FIQ               5

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Laid out by fault_common in boot/armv7a/vectors.S. */
struct fault_frame {
    uint32_t spsr;      /* CPSR of the interrupted code */
    uint32_t sp;        /* its banked sp and lr */
    uint32_t lr;
    uint32_t r[13];
    uint32_t pc;        /* the faulting instruction */
};

void fault_report(uint32_t kind, const struct fault_frame *frame) __attribute__((noreturn));
#endif

#endif
