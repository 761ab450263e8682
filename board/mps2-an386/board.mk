# MPS2 AN386, Cortex-M4: ARMv7E-M, Thumb-2, hard-float ABI with the
# single-precision FPU (s0-s31).
ARCH          := armv7m
CPU_FLAGS     := -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
# It may be built without the FPU too (make FLOAT=soft).
FLOATS        := soft
# One CPU (make SMP=n refuses more; the C code's BOARD_CPUS_MAX).
CPUS_MAX      := 1
# What `make run` builds without APP=.
BOARD_APP     := app/ticker
# One memory map: the ELF loaded by -kernel, code in SSRAM1 at its
# mirror, 0x00400000.
LAYOUTS       := ram
LDSCRIPT       = linker/mps2-an386-$(LAYOUT).ld.S
BOARD_DRIVERS := system/cmsdk_uart system/nvic system/cmsdk_timer
# The NVIC's 32 external interrupts (BOARD_NVIC_IRQS) and SysTick: the size
# of the kernel's handler table (irq/irq.c).
IRQ_LINES     := 33
# What tests may need of a board (a test's "requires:" line): this one has
# no virtio, no GIC and no MMU; its MPU guards every stack (guard-pages),
# and it runs the armv7m tests.
BOARD_FEATURES := armv7m guard-pages

# make bench: no PMU, so benchmarks count virtual time with SysTick
# (tests/bench/lib/systick.h); figures named mps2_an386_*, checked against
# tests/bench/targets.mps2-an386. The switch is measured from a soft-float
# build too, where it saves no FPU registers.
BENCH_KEY_PREFIX := mps2_an386_
BENCH_SOFT_FLOAT := coro_bench

# -nographic: UART0 on stdio, no display; semihosting carries the exit status.
QEMU          := qemu-system-arm
QEMU_ARGS     := -M mps2-an386 -nographic -no-reboot \
                 -semihosting-config enable=on,target=native
QEMU_ACCEL    :=

# One CPU: make test-all runs every level with SMP=1 only.
TEST_ALL_SMP  :=
TEST_ALL_SMP_TAGGED :=
