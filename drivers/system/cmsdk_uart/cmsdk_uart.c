#include "drivers/system/cmsdk_uart/cmsdk_uart.h"

/* Register offsets, in 32-bit words. */
#define UART_DATA       (0x00 / 4)
#define UART_STATE      (0x04 / 4)
#define UART_CTRL       (0x08 / 4)
#define UART_BAUDDIV    (0x10 / 4)  /* clock cycles a bit; the UART sends nothing below 16 */

#define UART_STATE_TX_FULL  (1u << 0)   /* the one-byte transmit buffer is taken */
#define UART_CTRL_TX_EN     (1u << 0)
#define UART_BAUDDIV_MIN    16u

void cmsdk_uart_init(struct cmsdk_uart *uart, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    uint32_t div = clock_hz / baud;

    uart->regs = (volatile uint32_t *)base;
    uart->regs[UART_CTRL] = 0;
    uart->regs[UART_BAUDDIV] = div < UART_BAUDDIV_MIN ? UART_BAUDDIV_MIN : div;
    uart->regs[UART_CTRL] = UART_CTRL_TX_EN;
}

void cmsdk_uart_write(struct cmsdk_uart *uart, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (uart->regs[UART_STATE] & UART_STATE_TX_FULL) {
        }
        uart->regs[UART_DATA] = (uint8_t)buf[i];
    }
}
