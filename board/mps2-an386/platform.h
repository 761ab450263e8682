/*
 * ARM MPS2 with the AN386 FPGA image: a Cortex-M4 with its FPU
 * (qemu-system-arm -M mps2-an386).
 *
 * Every address and interrupt number of this board lives in this header;
 * drivers are handed theirs by board.c, the linker layout takes the
 * memories from here (linker/mps2-an386-ram.ld.S), and tests see what they
 * need through board/facts.h. The linker's preprocessor reads this file
 * too: the constants it uses carry no C suffixes.
 *
 *   0x00000000 +------------------------+
 *              | ZBT SSRAM1, 4 MiB      |  the core's first sp and pc at reset;
 *              |                        |  unmapped by the MPU after it: NULL faults
 *   0x00400000 +------------------------+
 *              | ZBT SSRAM1 again       |  vector table, code, read-only data,
 *              | (the board's mirror)   |  .data's initial image
 *   0x00800000 +------------------------+
 *              ...
 *   0x20000000 +------------------------+
 *              | ZBT SSRAM2/3, 4 MiB    |  .data, .bss, stacks
 *   0x20400000 +------------------------+
 *              ...
 *   0x40000000 | CMSDK timer 0          |  IRQ 8: the kernel's clock
 *   0x40001000 | CMSDK timer 1          |  IRQ 9: the kernel's deadline
 *   0x40002000 | CMSDK dual timer       |  IRQ 10: tests' own timer
 *   0x40004000 | CMSDK UART0            |  the console: IRQ 0 RX, 1 TX, 12 overrun
 *              ...
 *   0xe000e100 | NVIC                   |  32 external interrupts
 *              +------------------------+
 *
 * The memories are the board's as the AN386 application note gives them,
 * which QEMU models at the same sizes: 4 MiB of ZBT SSRAM1 and 4 MiB of
 * ZBT SSRAM2/3 (the 16 KiB block RAM at 0x01000000 and the 16 MiB PSRAM at
 * 0x21000000 go unused).
 *
 * Interrupt numbers are the NVIC's: exception number minus 16. Every
 * device's clock is the 25 MHz system clock.
 */
#ifndef BOARD_MPS2_AN386_PLATFORM_H
#define BOARD_MPS2_AN386_PLATFORM_H

#define BOARD_NAME              "mps2-an386"
#define BOARD_IS_MPS2_AN386     1

/* SSRAM1 is at 0 and shown again at 0x00400000: the image is linked at
 * the second address, so the core still finds its vector table at 0 at
 * reset and the MPU can take the first away (the layout's
 * __unmapped_low_end). */
#define BOARD_SSRAM1_BASE       0x00000000
#define BOARD_CODE_BASE         0x00400000
#define BOARD_CODE_SIZE         0x00400000
#define BOARD_RAM_BASE          0x20000000
#define BOARD_RAM_SIZE          0x00400000
#define BOARD_IMAGE_RAM_SIZE    BOARD_RAM_SIZE

#define BOARD_SYSCLK_HZ         25000000u

#define BOARD_NVIC_BASE         0xe000e100u
#define BOARD_NVIC_IRQS         32u

#define BOARD_TIMER0_BASE       0x40000000u
#define BOARD_TIMER0_IRQ        8u
#define BOARD_TIMER1_BASE       0x40001000u
#define BOARD_TIMER1_IRQ        9u
#define BOARD_DUALTIMER_BASE    0x40002000u
#define BOARD_DUALTIMER_IRQ     10u

#define BOARD_UART0_BASE        0x40004000u
/* The console's interrupts: receive and transmit each their own, and the
 * overruns of UARTs 0-2 ORed into one (the console driver only sends). */
#define BOARD_CONSOLE_RX_IRQ        0u
#define BOARD_CONSOLE_TX_IRQ        1u
#define BOARD_CONSOLE_OVERRUN_IRQ   12u

/* Tests' own interrupt source: the dual timer, which the kernel leaves
 * alone (tests/qemu/lib/test_timer.h programs it). */
#define BOARD_TEST_TIMER_IRQ    BOARD_DUALTIMER_IRQ
#define BOARD_TEST_DUALTIMER_BASE BOARD_DUALTIMER_BASE

/* Interrupts no device of the board raises (QEMU connects nothing to
 * 28-31): n from 0 to 3, for tests to raise with irq_raise(). */
#define BOARD_TEST_SOFT_IRQ(n)  (28u + (n))

#endif
