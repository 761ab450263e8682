/* The STM32F2/F4 USART: polled transmit, enough for a console. */
#ifndef DRIVERS_STM32_USART_STM32_USART_H
#define DRIVERS_STM32_USART_STM32_USART_H

#include <stddef.h>
#include <stdint.h>

struct stm32_usart {
    volatile uint32_t *regs;
};

/* 8N1 at baud from the bus clock of clock_hz, transmitter and receiver
 * on. The pins and the USART's clock are the board's to set up first. */
void stm32_usart_init(struct stm32_usart *usart, uintptr_t base, uint32_t clock_hz, uint32_t baud);
void stm32_usart_write(struct stm32_usart *usart, const char *buf, size_t len);

#endif
