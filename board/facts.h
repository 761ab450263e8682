/*
 * What tests and applications may know of the board an image is built
 * for, whichever board that is. The build puts board/$(BOARD) on the
 * include path, so "platform.h" here is that board's; every board's
 * platform.h defines the names below. Drivers never include this: the
 * board hands them what they need (board_init()).
 */
#ifndef BOARD_FACTS_H
#define BOARD_FACTS_H

#include "platform.h"

/* The board's name as a string, and as a macro defined 1 for code that
 * must tell boards apart: BOARD_IS_QEMU_VIRT, BOARD_IS_MPS2_AN386,
 * BOARD_IS_NETDUINOPLUS2 (the name in capitals, '-' as '_'). */
#ifndef BOARD_NAME
#error "the board's platform.h must define BOARD_NAME"
#endif
/* The console UART's interrupts, for a driver of its receive side: the
 * same number thrice where the UART has one interrupt for every cause. */
#if !defined(BOARD_CONSOLE_RX_IRQ) || !defined(BOARD_CONSOLE_TX_IRQ) || !defined(BOARD_CONSOLE_OVERRUN_IRQ)
#error "the board's platform.h must define BOARD_CONSOLE_RX_IRQ, BOARD_CONSOLE_TX_IRQ and BOARD_CONSOLE_OVERRUN_IRQ"
#endif
/* An interrupt that tests may raise at a time of their choosing
 * (tests/qemu/lib/test_timer.h programs it), apart from the kernel's own. */
#ifndef BOARD_TEST_TIMER_IRQ
#error "the board's platform.h must define BOARD_TEST_TIMER_IRQ"
#endif
/* BOARD_TEST_SOFT_IRQ(n), n from 0 to 3: interrupts no device raises,
 * which tests raise with irq_raise() (drivers/irq.h). */
#ifndef BOARD_TEST_SOFT_IRQ
#error "the board's platform.h must define BOARD_TEST_SOFT_IRQ(n)"
#endif
/* The RAM an image's data and stacks may take, in bytes: tests with large
 * arrays of coroutines size them from it. */
#ifndef BOARD_IMAGE_RAM_SIZE
#error "the board's platform.h must define BOARD_IMAGE_RAM_SIZE"
#endif
/* The CPUs the board may run: its board.mk's CPUS_MAX, which the build
 * defines this as. */
#ifndef BOARD_CPUS_MAX
#error "BOARD_CPUS_MAX comes from the board's board.mk (CPUS_MAX), through the Makefile"
#endif
#if CONFIG_CPUS > BOARD_CPUS_MAX
#error "SMP= asks for more CPUs than the board's BOARD_CPUS_MAX"
#endif

#endif
