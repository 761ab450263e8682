/*
 * What fault reports and tests call each CPU's mode stacks (linker/
 * sections.ld.h): on ARMv7-A each exception mode has its own, and the SVC
 * stack is the main context's.
 */
#ifndef ARCH_ARMV7A_STACKS_H
#define ARCH_ARMV7A_STACKS_H

#define ARCH_UND_STACK_NAME     "UND stack"
#define ARCH_ABT_STACK_NAME     "ABT stack"
#define ARCH_IRQ_STACK_NAME     "IRQ stack"
#define ARCH_MAIN_STACK_NAME    "SVC stack (the main context)"

#endif
