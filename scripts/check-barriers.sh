#!/usr/bin/env bash
# Checks that a built image still holds the barriers a protocol depends on:
# each NAME must appear as a dmb_named() label (barrier_NAME_<n>) whose
# instruction is a dmb. Run by tests/qemu/run.sh for a run with the
# barriers= key, so the check covers every optimisation level's code.
#
#   scripts/check-barriers.sh IMAGE.elf NAME...
set -uo pipefail
image=$1
shift
cross=${CROSS:-arm-none-eabi-}
symbols=$("${cross}nm" "$image") || exit 2
status=0
for name in "$@"; do
    addresses=$(awk -v re="^barrier_${name}_[0-9]+\$" '$3 ~ re { print $1 }' <<<"$symbols")
    if [[ -z $addresses ]]; then
        echo "barrier $name is missing from $(basename "$image")"
        status=1
        continue
    fi
    for address in $addresses; do
        start=$((16#$address))
        instruction=$("${cross}objdump" -d --start-address=$start --stop-address=$((start + 4)) "$image" |
            awk -F'\t' '/^ *[0-9a-f]+:/ { print $3; exit }')
        if [[ $instruction != dmb* ]]; then
            echo "barrier $name at 0x$address is '$instruction', not a dmb"
            status=1
        fi
    done
done
exit $status
