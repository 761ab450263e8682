/*
 * What every board provides (board/<name>/board.c) to the kernel library,
 * which calls these. It names no driver: the board calls the drivers, not
 * the other way round. docs/porting.md lists every file a board provides.
 */
#ifndef BOARD_BOARD_H
#define BOARD_BOARD_H

#include <stddef.h>

/* Brings up the console, the interrupt controller and the timer, and hands
 * every other driver its devices (registers, interrupt). Called once from
 * reset with IRQs masked, before constructors and main(). */
void board_init(void);

/* On every other CPU as it starts, IRQs masked: its part of the
 * interrupt controller (and of anything else each CPU has its own of). */
void board_init_cpu(void);

/* How the kernel starts the other CPUs of an ARMv7-A board
 * (boot/cpu_start.h: PSCI over HVC or SMC, a mailbox, a spin table), or
 * NULL where there is no way: the image then runs on the first CPU. */
struct cpu_starter;
const struct cpu_starter *board_cpu_starter(void);

/* Writes raw bytes to the console, polling; usable in any context. */
void board_console_write(const char *buf, size_t len);

#endif
