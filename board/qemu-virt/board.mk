# QEMU virt, Cortex-A15: ARMv7-A, ARM state, hard-float ABI with NEON.
ARCH          := armv7a
CPU_FLAGS     := -mcpu=cortex-a15 -marm -mfpu=neon-vfpv4 -mfloat-abi=hard
# Only so: the switch and the interrupt entry save the VFP registers
# (make FLOAT=soft refuses it).
FLOATS        :=
# The CPUs that get mode stacks (make SMP=n refuses more; the C code's
# BOARD_CPUS_MAX).
CPUS_MAX      := 4
# What `make run` builds without APP=.
BOARD_APP     := app/demo
# The memory maps (make LAYOUT=...): ram, the ELF loaded into RAM by
# -kernel (the default); flash, the image in NOR flash at 0, run in place
# as a board boots from its flash (linker/qemu-virt-<layout>.ld.S).
LAYOUTS       := ram flash
LDSCRIPT       = linker/qemu-virt-$(LAYOUT).ld.S
# How QEMU boots an image of each: `kernel` loads the ELF (-kernel);
# `pflash` boots the image padded to the flash bank's size
# (<image>.flash) from the first flash bank.
QEMU_BOOT      = $(if $(filter flash,$(LAYOUT)),pflash,kernel)
QEMU_PFLASH_SIZE := 64M
BOARD_DRIVERS := system/uart system/gic system/timer virtio
# The GIC's interrupt IDs, as many as QEMU's GICD_TYPER says (SGIs, PPIs
# and 256 SPIs): the size of the kernel's handler table (irq/irq.c).
IRQ_LINES     := 288
# What tests may need of a board (a test's "requires:" line); psci: its
# CPUs start through PSCI (board_cpu_starter() in board.c).
BOARD_FEATURES := armv7a virtio gic pmu guard-pages guard-4k psci

# -nographic: console on stdio, no display; semihosting carries the exit status.
QEMU          := qemu-system-arm
QEMU_ARGS     := -M virt -cpu cortex-a15 -m 128M -nographic -no-reboot \
                 -nic none -semihosting-config enable=on,target=native

# For every run but those under -icount (which needs single-threaded TCG):
# QEMU before 8.1 drops the guest's memory barriers in single-threaded TCG
# (fixed by "tcg: Do not elide memory barriers for !CF_PARALLEL in system
# mode"), and virtio's notification suppression needs them against QEMU's
# I/O thread: rarely, a completion goes unsignalled and the guest waits
# for it forever. Multi-threaded TCG with room for a second CPU keeps them
# (an SMP=n build gets -smp n from the Makefile instead).
QEMU_ACCEL    := -accel tcg,thread=multi $(if $(filter 1,$(SMP)),-smp 1$(comma)maxcpus=2)

# CPU counts make test-all runs every level with, besides one: the whole
# suite on 4, the tests tagged smp (those that spread work over CPUs) on 2.
TEST_ALL_SMP  ?= 4
TEST_ALL_SMP_TAGGED ?= 2
