# blk_bench needs a disk: host_bench() makes a 64 MiB one and boots the
# image under -icount once per virtio-mmio transport.
host_bench() {
    local image=$1 dir rc=0
    dir=$(mktemp -d) || return 1
    truncate -s 64M "$dir/bench.img" || { rm -rf "$dir"; return 1; }
    local drive="-drive file=$dir/bench.img,if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0"
    # shellcheck disable=SC2086
    timeout 300 $QEMU $QEMU_ARGS -icount shift=0 $drive -kernel "$image" -append legacy </dev/null || rc=1
    # shellcheck disable=SC2086
    timeout 300 $QEMU $QEMU_ARGS -icount shift=0 $drive -global virtio-mmio.force-legacy=false \
        -kernel "$image" -append modern </dev/null || rc=1
    rm -rf "$dir"
    return $rc
}
