# Helpers for the blk_* hooks (sourced by them, not a hook itself): disk
# images made and checked with coreutils only (seq, truncate, dd, cmp, head).
#
# The pattern matches tests/qemu/blk_common.h: each 16 bytes of the disk is
# a line "<tag>%014u\n" numbered by its absolute position (offset / 16).

BLK_SECTOR=512
BLK_LINES_PER_SECTOR=32

# blk_pattern TAG FIRST_SECTOR COUNT: the pattern for those sectors, on stdout.
blk_pattern() {
    local first=$(( $2 * BLK_LINES_PER_SECTOR ))
    local last=$(( ($2 + $3) * BLK_LINES_PER_SECTOR - 1 ))
    seq -f "$1%014.0f" "$first" "$last"
}

# blk_make_disk IMAGE SECTORS PATTERN_SECTORS: a raw disk of SECTORS
# sectors; the first PATTERN_SECTORS hold pattern 'p', the rest zeroes.
blk_make_disk() {
    local image=$1 sectors=$2 pattern=$3
    rm -f "$image"
    if [[ $pattern -gt 0 ]]; then
        blk_pattern p 0 "$pattern" >"$image" || return 1
    fi
    # Extends the file with zeroes (a hole) up to its size.
    truncate -s $((sectors * BLK_SECTOR)) "$image" || return 1
    local size
    size=$(stat -c %s "$image")
    [[ $size -eq $((sectors * BLK_SECTOR)) ]] || { echo "blk_make_disk: $image is $size bytes" >&2; return 1; }
}

# blk_drive IMAGE ID SERIAL [DRIVE_OPTIONS [DEVICE_OPTIONS]]: the QEMU
# arguments that attach IMAGE as a virtio-blk disk with that serial.
blk_drive() {
    echo "-drive file=$1,if=none,format=raw,id=$2${4:+,$4}" \
         "-device virtio-blk-device,drive=$2,serial=$3${5:+,$5}"
}

# blk_sectors IMAGE FIRST COUNT: those sectors of the image, on stdout.
blk_sectors() {
    dd if="$1" bs=$BLK_SECTOR skip="$2" count="$3" status=none
}

# blk_expect_pattern IMAGE TAG FIRST COUNT: fails, saying where, unless
# the sectors hold the pattern.
blk_expect_pattern() {
    local image=$1 tag=$2 first=$3 count=$4
    if ! cmp <(blk_sectors "$image" "$first" "$count") <(blk_pattern "$tag" "$first" "$count") >&2; then
        echo "$(basename "$image"): sectors $first+$count do not hold pattern '$tag'"
        return 1
    fi
}

# blk_expect_zero IMAGE FIRST COUNT
blk_expect_zero() {
    local image=$1 first=$2 count=$3
    if ! cmp <(blk_sectors "$image" "$first" "$count") <(head -c $((count * BLK_SECTOR)) /dev/zero) >&2; then
        echo "$(basename "$image"): sectors $first+$count are not all zero"
        return 1
    fi
}
