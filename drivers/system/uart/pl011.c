#include "drivers/system/uart/pl011.h"

/* Register offsets, in 32-bit words. */
#define UART_DR         (0x00 / 4)  /* data */
#define UART_FR         (0x18 / 4)  /* flags */
#define UART_IBRD       (0x24 / 4)  /* integer baud divisor */
#define UART_FBRD       (0x28 / 4)  /* fractional baud divisor, 1/64ths */
#define UART_LCR_H      (0x2c / 4)  /* line control */
#define UART_CR         (0x30 / 4)  /* control */

#define UART_FR_TXFF        (1u << 5)   /* transmit FIFO full */
#define UART_FR_BUSY        (1u << 3)   /* still shifting bits out */
#define UART_LCR_H_FEN      (1u << 4)   /* FIFOs enabled */
#define UART_LCR_H_WLEN_8   (3u << 5)   /* 8 data bits */
#define UART_CR_UARTEN      (1u << 0)
#define UART_CR_TXE         (1u << 8)
#define UART_CR_RXE         (1u << 9)

void pl011_init(struct pl011 *uart, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    /* Divisor = clock / (16 * baud), in 16.6 fixed point, rounded. */
    uint32_t div64 = (4u * clock_hz + baud / 2u) / baud;

    uart->regs = (volatile uint32_t *)base;
    uart->regs[UART_CR] = 0;
    while (uart->regs[UART_FR] & UART_FR_BUSY) {
    }
    uart->regs[UART_IBRD] = div64 >> 6;
    uart->regs[UART_FBRD] = div64 & 0x3fu;
    uart->regs[UART_LCR_H] = UART_LCR_H_FEN | UART_LCR_H_WLEN_8;
    uart->regs[UART_CR] = UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE;
}

void pl011_write(struct pl011 *uart, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (uart->regs[UART_FR] & UART_FR_TXFF) {
        }
        uart->regs[UART_DR] = (uint8_t)buf[i];
    }
}
