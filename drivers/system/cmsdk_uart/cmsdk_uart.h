/* ARM CMSDK APB UART: polled transmit, enough for a console. */
#ifndef DRIVERS_CMSDK_UART_CMSDK_UART_H
#define DRIVERS_CMSDK_UART_CMSDK_UART_H

#include <stddef.h>
#include <stdint.h>

struct cmsdk_uart {
    volatile uint32_t *regs;
};

/* Transmit on, at baud from a clock of clock_hz. */
void cmsdk_uart_init(struct cmsdk_uart *uart, uintptr_t base, uint32_t clock_hz, uint32_t baud);
void cmsdk_uart_write(struct cmsdk_uart *uart, const char *buf, size_t len);

#endif
