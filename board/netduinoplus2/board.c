/* Netduino Plus 2 (STM32F405): the clocks, then each driver its registers
 * and interrupt. */
#include "board/board.h"
#include "irq/controller.h"
#include "board/netduinoplus2/platform.h"
#include "drivers/system/nvic/nvic.h"
#include "drivers/system/stm32_gpio/stm32_gpio.h"
#include "drivers/system/stm32_timer/stm32_timer.h"
#include "drivers/system/stm32_usart/stm32_usart.h"
#include "drivers/system/stm32f4_rcc/stm32f4_rcc.h"

#include <stdbool.h>

#define CONSOLE_BAUD    115200u

static struct stm32_usart console_uart;

void board_init(void)
{
    /* On a chip, the PLL's 168 MHz, which the baud rate divisor and the
     * timers are worked out for; QEMU, which has no RCC, runs at 168 MHz
     * from reset, ignores the divisor and counts TIM2 at its own rate. */
    bool chip = stm32f4_rcc_init(BOARD_RCC_BASE, BOARD_FLASH_IF_BASE);
    stm32f4_rcc_enable(BOARD_RCC_BASE, STM32F4_RCC_GPIOA);
    stm32f4_rcc_enable(BOARD_RCC_BASE, STM32F4_RCC_USART1);
    stm32f4_rcc_enable(BOARD_RCC_BASE, STM32F4_RCC_TIM2);
    stm32_gpio_set_af(BOARD_GPIOA_BASE, BOARD_CONSOLE_TX_PIN, BOARD_CONSOLE_PIN_AF);
    stm32_gpio_set_af(BOARD_GPIOA_BASE, BOARD_CONSOLE_RX_PIN, BOARD_CONSOLE_PIN_AF);
    stm32_usart_init(&console_uart, BOARD_USART1_BASE, BOARD_APB2_HZ, CONSOLE_BAUD);
    irq_init(nvic_init(BOARD_NVIC_BASE, BOARD_NVIC_IRQS));
    stm32_timer_init(BOARD_TIM2_BASE, BOARD_TIM2_IRQ, chip ? BOARD_TIM2_HZ : BOARD_QEMU_TIM_HZ,
                     BOARD_SYSTICK_BASE, NVIC_SYSTICK_IRQ(BOARD_NVIC_IRQS), BOARD_SYSCLK_HZ);
}

/* One CPU: there is no other to set up. */
void board_init_cpu(void)
{
}

void board_console_write(const char *buf, size_t len)
{
    stm32_usart_write(&console_uart, buf, len);
}
