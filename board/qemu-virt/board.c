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

/*
 * From the top slot down. QEMU plugs each -device into the free transport
 * with the highest address (hw/arm/virt.c creates them so that the bus
 * list runs downwards), so the first -device on the command line is in
 * slot 31, the second in slot 30, ...: probing in this order makes
 * blk_get(0) the first disk on the command line.
 */
const struct board_mmio_slot *board_virtio_mmio_slots(size_t *count)
{
    static struct board_mmio_slot slots[BOARD_VIRTIO_MMIO_SLOTS];

    for (unsigned int i = 0; i < BOARD_VIRTIO_MMIO_SLOTS; i++) {
        unsigned int slot = BOARD_VIRTIO_MMIO_SLOTS - 1 - i;
        slots[i].base = BOARD_VIRTIO_MMIO_BASE + slot * BOARD_VIRTIO_MMIO_STRIDE;
        slots[i].irq = BOARD_VIRTIO_MMIO_IRQ0 + slot;
    }
    *count = BOARD_VIRTIO_MMIO_SLOTS;
    return slots;
}
