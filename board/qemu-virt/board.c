/* QEMU virt: hands each driver its registers and interrupt. */
#include "board/board.h"
#include "irq/controller.h"
#include "blk/device.h"
#include "board/qemu-virt/platform.h"
#include "boot/armv7a/psci.h"
#include "drivers/system/gic/gic.h"
#include "drivers/system/timer/generic_timer.h"
#include "drivers/system/uart/pl011.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/mmio.h"

#define UART0_CLOCK_HZ  24000000u   /* QEMU's apb-pclk */
#define CONSOLE_BAUD    115200u

static struct pl011 console_uart;

/*
 * From the top slot down. QEMU plugs each -device into the free transport
 * with the highest address (hw/arm/virt.c creates them so that the bus
 * list runs downwards), so the first -device on the command line is in
 * slot 31, the second in slot 30, ...: probing in this order makes
 * blk_get(0) ("virtio0") the first disk on the command line.
 */
static void add_virtio_transports(void)
{
    for (unsigned int i = 0; i < BOARD_VIRTIO_MMIO_SLOTS; i++) {
        unsigned int slot = BOARD_VIRTIO_MMIO_SLOTS - 1 - i;
        virtio_mmio_add_transport(BOARD_VIRTIO_MMIO_BASE + slot * BOARD_VIRTIO_MMIO_STRIDE,
                                  BOARD_VIRTIO_MMIO_IRQ0 + slot);
    }
}

void board_init(void)
{
    pl011_init(&console_uart, BOARD_UART0_BASE, UART0_CLOCK_HZ, CONSOLE_BAUD);
    irq_init(gic_init(BOARD_GICD_BASE, BOARD_GICC_BASE));
    timer_init(BOARD_TIMER_VIRT_IRQ);
    add_virtio_transports();
    blk_add_probe(blk_probe);
}

void board_init_cpu(void)
{
    irq_init_cpu();
}

/* QEMU booting an image without firmware answers PSCI itself, as a
 * hypervisor would: over HVC. */
const struct cpu_starter *board_cpu_starter(void)
{
    return &psci_hvc_cpu_starter;
}

void board_console_write(const char *buf, size_t len)
{
    pl011_write(&console_uart, buf, len);
}
