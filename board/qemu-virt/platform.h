/*
 * QEMU "virt" machine, 32-bit ARM (qemu-system-arm -M virt -cpu cortex-a15).
 *
 * Every address and interrupt number of this board lives in this header;
 * drivers are handed theirs by board.c, the linker layout takes the RAM
 * from here (linker/qemu-virt-ram.ld.S), and tests see what they need
 * through board/facts.h. The linker's preprocessor reads this file too:
 * the constants it uses carry no C suffixes.
 *
 *   0x00000000 +------------------------+
 *              | flash (unused)         |
 *   0x08000000 +------------------------+
 *              | GICv2 distributor      |  GICD, 64 KiB
 *   0x08010000 | GICv2 CPU interface    |  GICC, 64 KiB
 *              +------------------------+
 *   0x09000000 | PL011 UART0            |  SPI 1
 *              +------------------------+
 *   0x0a000000 | virtio-mmio slot 0     |  SPI 16; 32 slots of 0x200,
 *      ...     | ...                    |  slot n at +n*0x200, SPI 16+n.
 *   0x0a003e00 | virtio-mmio slot 31    |  QEMU fills them from slot 31 down.
 *              +------------------------+
 *   0x40000000 | RAM (-m, 128 MiB here) |  our image is loaded at its base and
 *              |                        |  uses the low 64 MiB
 *   0x44000000 | (QEMU's device tree)   |
 *              +------------------------+
 *
 * GIC interrupt IDs: SGIs 0-15, PPIs 16-31, SPIs from 32, so SPI n is ID 32+n.
 */
#ifndef BOARD_QEMU_VIRT_PLATFORM_H
#define BOARD_QEMU_VIRT_PLATFORM_H

#define BOARD_NAME              "qemu-virt"
#define BOARD_IS_QEMU_VIRT      1

#define BOARD_FLASH_BASE        0x00000000  /* two 64 MiB NOR flash banks */
#define BOARD_FLASH_SIZE        0x08000000

#define BOARD_RAM_BASE          0x40000000
#define BOARD_IMAGE_RAM_SIZE    0x04000000  /* what the image may use: 64 MiB */

#define BOARD_GICD_BASE         0x08000000u
#define BOARD_GICC_BASE         0x08010000u

#define BOARD_UART0_BASE        0x09000000u
#define BOARD_UART0_IRQ         (32u + 1u)
/* The console's interrupts: the PL011 has one for every cause. */
#define BOARD_CONSOLE_RX_IRQ        BOARD_UART0_IRQ
#define BOARD_CONSOLE_TX_IRQ        BOARD_UART0_IRQ
#define BOARD_CONSOLE_OVERRUN_IRQ   BOARD_UART0_IRQ

#define BOARD_VIRTIO_MMIO_BASE  0x0a000000u
#define BOARD_VIRTIO_MMIO_STRIDE 0x200u
#define BOARD_VIRTIO_MMIO_SLOTS 32u
#define BOARD_VIRTIO_MMIO_IRQ0  (32u + 16u)

/* Generic timer PPIs: the kernel uses the virtual timer, always accessible
 * at PL1; tests use the physical one as an independent interrupt source. */
#define BOARD_TIMER_VIRT_IRQ    (16u + 11u)
#define BOARD_TIMER_PHYS_IRQ    (16u + 14u)
#define BOARD_TEST_TIMER_IRQ    BOARD_TIMER_PHYS_IRQ

/* Interrupts no device raises, n from 0 to 3, for tests to raise with
 * irq_raise(): SGIs 4-7 (the kernel's own are 14 and 15). */
#define BOARD_TEST_SOFT_IRQ(n)  (4u + (n))

#endif
