# Netduino Plus 2, STM32F405: Cortex-M4, ARMv7E-M, Thumb-2, hard-float ABI
# with the single-precision FPU (s0-s31).
ARCH          := armv7m
CPU_FLAGS     := -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
# It may be built without the FPU too (make FLOAT=soft).
FLOATS        := soft
# One CPU (make SMP=n refuses more; the C code's BOARD_CPUS_MAX).
CPUS_MAX      := 1
# What `make run` builds without APP=.
BOARD_APP     := app/ticker
# One memory map, as the chip boots: vector table and code in flash at
# 0x08000000, data in SRAM (linker/netduinoplus2-flash.ld.S). QEMU's
# -kernel writes the ELF into its flash and resets the core from there.
LAYOUTS       := flash
LDSCRIPT       = linker/netduinoplus2-$(LAYOUT).ld.S
QEMU_BOOT     := kernel
BOARD_DRIVERS := system/stm32f4_rcc system/stm32_gpio system/stm32_usart system/nvic system/stm32_timer
# The NVIC's 82 external interrupts (BOARD_NVIC_IRQS) and SysTick: the size
# of the kernel's handler table (irq/irq.c).
IRQ_LINES     := 83
# What tests may need of a board (a test's "requires:" line): this one has
# no virtio, no GIC and 128 KiB of RAM; the MPU guards its stacks, and it
# runs the armv7m tests.
BOARD_FEATURES := armv7m guard-pages
# The coroutine pool: 4 stacks, not coro/pool.c's 16, whose 80 KiB with
# their guards would leave too little of the chip's 128 KiB of SRAM (an
# application's app.mk, or make CO_POOL_SIZE=n, may choose otherwise).
CO_POOL_SIZE  ?= 4

# -nographic: USART1 on stdio, no display; semihosting carries the exit status.
QEMU          := qemu-system-arm
QEMU_ARGS     := -M netduinoplus2 -nographic -no-reboot \
                 -semihosting-config enable=on,target=native
QEMU_ACCEL    :=

# The real board (an STM32F4 Discovery, a Nucleo) through its ST-LINK, as
# OpenOCD reaches it: `make flash` writes the image, `make debug-hw`
# debugs it with gdb.
OPENOCD_ARGS  := -f interface/stlink.cfg -f target/stm32f4x.cfg

# One CPU: make test-all runs every level with SMP=1 only.
TEST_ALL_SMP  :=
TEST_ALL_SMP_TAGGED :=
