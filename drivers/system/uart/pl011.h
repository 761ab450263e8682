/* ARM PrimeCell PL011 UART: polled transmit, enough for a console. */
#ifndef DRIVERS_UART_PL011_H
#define DRIVERS_UART_PL011_H

#include <stddef.h>
#include <stdint.h>

struct pl011 {
    volatile uint32_t *regs;
};

/* 8N1 at baud from a UART reference clock of clock_hz, FIFOs on. */
void pl011_init(struct pl011 *uart, uintptr_t base, uint32_t clock_hz, uint32_t baud);
void pl011_write(struct pl011 *uart, const char *buf, size_t len);

#endif
