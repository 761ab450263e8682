/*
 * What fault reports and tests call the stacks of the layout's mode-stack
 * block (linker/sections.ld.h) on ARMv7-M, which has no exception modes:
 * the IRQ stack is the handlers' (MSP), the SVC stack the main context's
 * (thread mode, PSP), and the ABT stack the one fault reports run on
 * (boot/armv7m/vectors.S). Nothing runs on the UND stack.
 */
#ifndef ARCH_ARMV7M_STACKS_H
#define ARCH_ARMV7M_STACKS_H

#define ARCH_UND_STACK_NAME     "unused UND stack"
#define ARCH_ABT_STACK_NAME     "fault stack"
#define ARCH_IRQ_STACK_NAME     "handler stack (MSP)"
#define ARCH_MAIN_STACK_NAME    "main stack (the main context, PSP)"

#endif
