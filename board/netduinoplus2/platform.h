/*
 * Netduino Plus 2: an STM32F405 (Cortex-M4 with its FPU), the chip of the
 * STM32F4 family whose Discovery and Nucleo boards people flash
 * (qemu-system-arm -M netduinoplus2).
 *
 * Every address and interrupt number of this board lives in this header;
 * drivers are handed theirs by board.c, the linker layout takes the
 * memories from here (linker/netduinoplus2-flash.ld.S), and tests see what
 * they need through board/facts.h. The linker's preprocessor reads this
 * file too: the constants it uses carry no C suffixes.
 *
 *   0x00000000 +------------------------+
 *              | flash, aliased         |  where the core fetches its first
 *              |                        |  sp and pc at reset
 *              ...
 *   0x08000000 +------------------------+
 *              | flash, 1 MiB           |  vector table, code, read-only data,
 *              |                        |  .data's initial image
 *   0x08100000 +------------------------+
 *              ...
 *   0x10000000 +------------------------+
 *              | CCM RAM, 64 KiB        |  unused: QEMU 7.2 has none here
 *   0x10010000 +------------------------+
 *              ...
 *   0x20000000 +------------------------+
 *              | SRAM1 112 KiB, SRAM2   |  .data, .bss, stacks
 *              | 16 KiB                 |
 *   0x20020000 +------------------------+
 *              ...
 *   0x40000000 | TIM2                   |  IRQ 28: the kernel's clock
 *              ...
 *   0x40011000 | USART1                 |  the console (PA9 TX, PA10 RX), IRQ 37
 *              ...
 *   0x40023800 | RCC                    |  clocks (QEMU: nothing there)
 *   0x40023c00 | flash interface        |  wait states
 *              ...
 *   0xe000e010 | SysTick                |  the kernel's deadlines, tests' too
 *   0xe000e100 | NVIC                   |  82 external interrupts
 *              +------------------------+
 *
 * The memories are the chip's, not QEMU's: an STM32F405/407 has 128 KiB
 * of SRAM at 0x20000000 (SRAM1 and SRAM2, which DMA reaches) and 64 KiB
 * of core-coupled RAM at 0x10000000 (the core's alone). QEMU 7.2 maps
 * 192 KiB at 0x20000000 and nothing at 0x10000000, so the CCM, where
 * stacks could go, cannot be used under QEMU; images use the 128 KiB of
 * SRAM that both have, and one that needs more does not link.
 *
 * Interrupt numbers are the NVIC's: exception number minus 16.
 */
#ifndef BOARD_NETDUINOPLUS2_PLATFORM_H
#define BOARD_NETDUINOPLUS2_PLATFORM_H

#define BOARD_NAME              "netduinoplus2"
#define BOARD_IS_NETDUINOPLUS2  1

#define BOARD_FLASH_BASE        0x08000000
#define BOARD_FLASH_SIZE        0x00100000
#define BOARD_RAM_BASE          0x20000000
#define BOARD_RAM_SIZE          0x00020000  /* SRAM1 and SRAM2: the chip's, not QEMU's 192 KiB */
#define BOARD_IMAGE_RAM_SIZE    BOARD_RAM_SIZE

/* The clocks board.c sets up (reset has run from the 16 MHz HSI until
 * then): the 168 MHz the chip is rated for, which QEMU's model runs at
 * from reset. USART1 is on APB2, at half of it; TIM2 on APB1, at a
 * quarter, and timers count at twice their bus's clock. QEMU's TIM2-TIM5
 * count at 1 GHz whatever the clocks. */
#define BOARD_SYSCLK_HZ         168000000u
#define BOARD_APB2_HZ           84000000u
#define BOARD_TIM2_HZ           84000000u
#define BOARD_QEMU_TIM_HZ       1000000000u

#define BOARD_RCC_BASE          0x40023800u
#define BOARD_FLASH_IF_BASE     0x40023c00u
#define BOARD_GPIOA_BASE        0x40020000u
#define BOARD_TIM2_BASE         0x40000000u
#define BOARD_TIM2_IRQ          28u
#define BOARD_USART1_BASE       0x40011000u
/* The console's interrupts: USART1's one, for every cause. */
#define BOARD_CONSOLE_RX_IRQ        37u
#define BOARD_CONSOLE_TX_IRQ        37u
#define BOARD_CONSOLE_OVERRUN_IRQ   37u
#define BOARD_SYSTICK_BASE      0xe000e010u
#define BOARD_NVIC_BASE         0xe000e100u
#define BOARD_NVIC_IRQS         82u     /* the chip's; QEMU models 96 */

/* The console's pins: PA9 (TX) and PA10 (RX), alternate function 7. */
#define BOARD_CONSOLE_TX_PIN    9u
#define BOARD_CONSOLE_RX_PIN    10u
#define BOARD_CONSOLE_PIN_AF    7u

/* Interrupts no device raises here: the window watchdog's, PVD's, the
 * RTC's two and the flash interface's (0-4), which stay quiet until
 * their devices are set up to raise them (QEMU models none of those
 * devices). n from 0 to 3, for tests to raise with irq_raise(). */
#define BOARD_TEST_SOFT_IRQ(n)  (0u + (n))

/* Tests' own interrupt source. QEMU's STM32 timers count, but raise their
 * update interrupt late by the whole uptime, so SysTick, the one timer
 * QEMU models exactly, serves the kernel's deadline and a second one,
 * which raises this spare line when due (drivers/system/stm32_timer,
 * tests/qemu/lib/test_timer.h). */
#define BOARD_TEST_TIMER_IRQ    4u
#define BOARD_TEST_STM32_TIMER_BASE BOARD_TIM2_BASE

#endif
