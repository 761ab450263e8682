# QEMU virt, Cortex-A15: ARMv7-A, ARM state, hard-float ABI with NEON.
ARCH          := armv7a
CPU_FLAGS     := -mcpu=cortex-a15 -marm -mfpu=neon-vfpv4 -mfloat-abi=hard
LDSCRIPT      := linker/qemu-virt-ram.ld
BOARD_DRIVERS := uart gic timer virtio

# -nographic: console on stdio, no display; semihosting carries the exit status.
QEMU          := qemu-system-arm
QEMU_ARGS     := -M virt -cpu cortex-a15 -m 128M -nographic -no-reboot \
                 -nic none -semihosting-config enable=on,target=native
