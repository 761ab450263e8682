/*
 * What every board provides (board/<name>/board.c). See README "Adding a
 * board" for the full list of hooks and files.
 */
#ifndef BOARD_BOARD_H
#define BOARD_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* Brings up the console, the interrupt controller and the timer. Called once
 * from reset with IRQs masked, before main(). */
void board_init(void);

/* Writes raw bytes to the console, polling; usable in any context. */
void board_console_write(const char *buf, size_t len);

/* A memory-mapped virtio transport slot: its registers and its interrupt. */
struct board_mmio_slot {
    uintptr_t base;
    unsigned int irq;
};

/* The board's virtio-mmio slots, in probe order; *count gets their number. */
const struct board_mmio_slot *board_virtio_mmio_slots(size_t *count);

#endif
