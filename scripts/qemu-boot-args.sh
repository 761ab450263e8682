#!/usr/bin/env bash
# scripts/qemu-boot-args.sh IMAGE [ARGS]: the QEMU arguments that boot
# IMAGE (an .elf) with the command line ARGS, one a line, as the board
# boots (QEMU_BOOT, from its board.mk; make run, make debug and the test
# runner use them):
#   kernel  loads the ELF with -kernel and gives ARGS with -append;
#   pflash  boots <image>.flash from the first flash bank, where there is
#           no -append, and gives the words of ARGS as semihosting
#           arguments after the image's name, which kernel_cmdline() drops
#           as it drops -kernel's. (All in one -semihosting-config: QEMU
#           7.2 repeats the arguments of earlier ones when it merges
#           several.)
set -euo pipefail

image=$1 args=${2:-}
if [[ ${QEMU_BOOT:-kernel} == pflash ]]; then
    semihosting="arg=${image//,/,,}"
    for word in $args; do
        semihosting+=",arg=${word//,/,,}"
    done
    printf '%s\n' -drive "if=pflash,format=raw,unit=0,readonly=on,file=${image%.elf}.flash" \
        -semihosting-config "$semihosting"
else
    printf '%s\n' -kernel "$image"
    if [[ -n $args ]]; then printf '%s\n' -append "$args"; fi
fi
