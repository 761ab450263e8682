#include "drivers/system/stm32_usart/stm32_usart.h"

/* Register offsets, in 32-bit words. */
#define USART_SR        (0x00 / 4)
#define USART_DR        (0x04 / 4)
#define USART_BRR       (0x08 / 4)  /* the bus clock over the baud rate, with 16x oversampling */
#define USART_CR1       (0x0c / 4)

#define USART_SR_TXE    (1u << 7)   /* the data register can take the next byte */
#define USART_CR1_RE    (1u << 2)
#define USART_CR1_TE    (1u << 3)
#define USART_CR1_UE    (1u << 13)

void stm32_usart_init(struct stm32_usart *usart, uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    usart->regs = (volatile uint32_t *)base;
    usart->regs[USART_CR1] = 0;
    /* Mantissa and 4-bit fraction of clock / (16 * baud): that is clock /
     * baud, rounded to the nearest. */
    usart->regs[USART_BRR] = (clock_hz + baud / 2) / baud;
    usart->regs[USART_CR1] = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE;
}

void stm32_usart_write(struct stm32_usart *usart, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        while (!(usart->regs[USART_SR] & USART_SR_TXE)) {
        }
        usart->regs[USART_DR] = (uint8_t)buf[i];
    }
}
