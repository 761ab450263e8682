/*
 * The STM32F4's reset and clock control: the clock tree a board runs on,
 * and the clock of each peripheral.
 */
#ifndef DRIVERS_STM32F4_RCC_STM32F4_RCC_H
#define DRIVERS_STM32F4_RCC_STM32F4_RCC_H

#include <stdbool.h>
#include <stdint.h>

/* Peripheral clocks: the enable register's offset from the RCC's base,
 * and the bit. */
#define STM32F4_RCC_GPIOA   0x30u, 0u   /* AHB1ENR */
#define STM32F4_RCC_TIM2    0x40u, 0u   /* APB1ENR */
#define STM32F4_RCC_USART1  0x44u, 4u   /* APB2ENR */

/*
 * From the 16 MHz HSI, which the chip runs on from reset, to 168 MHz
 * through the PLL (the HSI, so no crystal is needed): AHB at 168 MHz,
 * APB1 at 42, APB2 at 84, with the flash's wait states for it. Returns
 * false, and changes nothing, when no RCC answers: QEMU models none (it
 * reads as 0, where a chip's HSI is on and ready from reset), and runs
 * at 168 MHz regardless; waiting there for the PLL would hang.
 */
bool stm32f4_rcc_init(uintptr_t rcc_base, uintptr_t flash_if_base);

/* Turns a peripheral's clock on: stm32f4_rcc_enable(base, STM32F4_RCC_USART1). */
void stm32f4_rcc_enable(uintptr_t rcc_base, uint32_t offset, unsigned int bit);

#endif
