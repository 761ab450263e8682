/* QEMU virt: hands each driver its registers and interrupt. */
#include "board/board.h"
#include "board/qemu-virt/platform.h"
#include "drivers/gic/gic.h"
#include "drivers/timer/timer.h"
#include "drivers/uart/pl011.h"

#define UART0_CLOCK_HZ  24000000u   /* QEMU's apb-pclk */
#define CONSOLE_BAUD    115200u

static struct pl011 console_uart;

void board_init(void)
{
    pl011_init(&console_uart, BOARD_UART0_BASE, UART0_CLOCK_HZ, CONSOLE_BAUD);
    gic_init(BOARD_GICD_BASE, BOARD_GICC_BASE);
    timer_init(BOARD_TIMER_VIRT_IRQ);
}

void board_console_write(const char *buf, size_t len)
{
    pl011_write(&console_uart, buf, len);
}

const struct board_mmio_slot *board_virtio_mmio_slots(size_t *count)
{
    static struct board_mmio_slot slots[BOARD_VIRTIO_MMIO_SLOTS];

    for (unsigned int i = 0; i < BOARD_VIRTIO_MMIO_SLOTS; i++) {
        slots[i].base = BOARD_VIRTIO_MMIO_BASE + i * BOARD_VIRTIO_MMIO_STRIDE;
        slots[i].irq = BOARD_VIRTIO_MMIO_IRQ0 + i;
    }
    *count = BOARD_VIRTIO_MMIO_SLOTS;
    return slots;
}
