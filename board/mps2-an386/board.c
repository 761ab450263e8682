/* MPS2 AN386: hands each driver its registers and interrupt. */
#include "board/board.h"
#include "irq/controller.h"
#include "board/mps2-an386/platform.h"
#include "drivers/system/cmsdk_timer/cmsdk_timer.h"
#include "drivers/system/cmsdk_uart/cmsdk_uart.h"
#include "drivers/system/nvic/nvic.h"

#define CONSOLE_BAUD    115200u

static struct cmsdk_uart console_uart;

void board_init(void)
{
    cmsdk_uart_init(&console_uart, BOARD_UART0_BASE, BOARD_SYSCLK_HZ, CONSOLE_BAUD);
    irq_init(nvic_init(BOARD_NVIC_BASE, BOARD_NVIC_IRQS));
    cmsdk_timer_init(BOARD_TIMER0_BASE, BOARD_TIMER0_IRQ, BOARD_TIMER1_BASE, BOARD_TIMER1_IRQ, BOARD_SYSCLK_HZ);
}

/* One CPU: there is no other to set up. */
void board_init_cpu(void)
{
}

void board_console_write(const char *buf, size_t len)
{
    cmsdk_uart_write(&console_uart, buf, len);
}
