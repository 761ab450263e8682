# shellcheck shell=bash
# blk_bench needs disks; host_bench() boots the image
#   - under -icount once per virtio-mmio transport, on a 64 MiB sparse disk
#     (instruction counts: what the sectors hold does not matter);
#   - in real time with -append iops, then runs qemu-img bench on the same
#     image file at the same queue depths: the guest's IOPS beside the
#     host block layer's, as a table and as BENCH iops [...].
host_bench() {
    local image=$1 dir rc=0
    dir=$(mktemp -d) || return 1
    truncate -s 64M "$dir/bench.img" || { rm -rf "$dir"; return 1; }
    local drive="-drive file=$dir/bench.img,if=none,format=raw,id=d0 -device virtio-blk-device,drive=d0"
    # shellcheck disable=SC2086
    timeout 120 $QEMU $QEMU_ARGS -icount shift=0 $drive -kernel "$image" -append legacy </dev/null || rc=1
    # shellcheck disable=SC2086
    timeout 120 $QEMU $QEMU_ARGS -icount shift=0 $drive -global virtio-mmio.force-legacy=false \
        -kernel "$image" -append modern </dev/null || rc=1
    iops_bench "$image" "$dir/iops.img" || rc=1
    rm -rf "$dir"
    return $rc
}

IOPS_DEPTHS="1 8 32 128"
IOPS_MS=1500                    # per depth, on each side
IOPS_DISK_MB=256
# qemu-img bench reads sequentially from -o by steps of -S, wrapping at the
# end of the image: a step of 7919 blocks (a prime, so every 4 KiB block
# comes round once in 65536 reads) scatters its reads as the guest's
# random ones are, with nothing for read-ahead to find.
IOPS_STEP=$((7919 * 4096))

# Guest and qemu-img use the same cache mode and AIO backend. The disk is
# written out with dd, not left sparse (a hole reads cheaper than data),
# and read once so both sides read from the host's page cache: the figures
# are the software's, not this machine's disk's. The backend is io_uring
# where it works: on two cores the thread pool's throughput swings by a
# factor of two between identical runs, io_uring's does not.
iops_bench() {
    local image=$1 disk=$2 aio=io_uring
    dd if=/dev/zero of="$disk" bs=1M count=$IOPS_DISK_MB status=none || return 1
    cat "$disk" >/dev/null
    if ! qemu-img bench -f raw -t writeback -i io_uring -c 16 -s 4096 "$disk" >/dev/null 2>&1; then
        aio=threads
    fi

    # In real time, with the board's QEMU_ACCEL (see board.mk: it keeps the
    # barriers virtio's notification suppression needs).
    local drive="-drive file=$disk,if=none,format=raw,id=d0,cache=writeback,aio=$aio"
    local out status
    # shellcheck disable=SC2086
    out=$(timeout 120 $QEMU $QEMU_ARGS $QEMU_ACCEL $drive -device virtio-blk-device,drive=d0 \
        -kernel "$image" -append "iops ms=$IOPS_MS" </dev/null 2>&1)
    status=$?
    out=${out//$'\r'/}
    printf '%s\n' "$out" | grep -v '^IOPS '
    [[ $status -eq 0 ]] || { echo "iops: the guest failed with status $status"; return 1; }

    local d line guest fewest most host json="" rows=""
    for d in $IOPS_DEPTHS; do
        line=$(printf '%s\n' "$out" | grep "^IOPS qd=$d ")
        guest=$(printf '%s' "$line" | sed -n 's/.* iops=\([0-9]*\) .*/\1/p')
        fewest=$(printf '%s' "$line" | sed -n 's/.* min=\([0-9]*\) .*/\1/p')
        most=$(printf '%s' "$line" | sed -n 's/.* max=\([0-9]*\)$/\1/p')
        host=$(qemu_img_iops "$disk" "$d" "$aio") || { echo "iops: qemu-img bench failed at depth $d"; return 1; }
        [[ -n $guest && -n $fewest && -n $most ]] || { echo "iops: the guest reported nothing for depth $d"; return 1; }
        rows+=$(printf '%6d %12d %15d %16.2f %16s' "$d" "$guest" "$host" \
            "$(echo "$guest $host" | awk '{ print $1 / $2 }')" "$fewest..$most")$'\n'
        json+="${json:+, }{\"qd\": $d, \"guest\": $guest, \"qemu_img_bench\": $host, \"reads_per_coroutine\": [$fewest, $most]}"
    done
    echo "random 4 KiB reads, $IOPS_DISK_MB MiB raw image, cache=writeback, aio=$aio, ~$IOPS_MS ms a depth:"
    printf '%6s %12s %15s %16s %16s\n' depth "guest IOPS" "qemu-img IOPS" "guest/qemu-img" "reads/coroutine"
    printf '%s' "$rows"
    echo "BENCH iops [$json]"
}

# qemu_img_iops DISK DEPTH AIO: reads a second for `qemu-img bench` at that
# depth, with a count sized (by a short first run) to take about IOPS_MS.
qemu_img_iops() {
    local disk=$1 depth=$2 aio=$3 count=20000 seconds
    local bench=(qemu-img bench -f raw -t writeback -i "$aio" -d "$depth" -s 4096 -S "$IOPS_STEP")
    seconds=$("${bench[@]}" -c "$count" "$disk" | sed -n 's/^Run completed in \([0-9.]*\) seconds\.$/\1/p')
    [[ -n $seconds ]] || return 1
    count=$(echo "$count $seconds $IOPS_MS" | awk '{ c = $1 / ($2 > 0.001 ? $2 : 0.001) * $3 / 1000; print (c > $1 ? int(c) : $1) }')
    seconds=$("${bench[@]}" -c "$count" "$disk" | sed -n 's/^Run completed in \([0-9.]*\) seconds\.$/\1/p')
    [[ -n $seconds ]] || return 1
    echo "$count $seconds" | awk '{ printf "%d\n", $1 / ($2 > 0.000001 ? $2 : 0.000001) }'
}
