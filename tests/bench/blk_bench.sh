# shellcheck shell=bash
# blk_bench needs disks; host_bench() boots the image
#   - under -icount once per virtio-mmio transport, on a 64 MiB sparse disk
#     (instruction counts: what the sectors hold does not matter);
#   - in real time with -append iops, BENCH_RUNS times for each AIO backend
#     (threads, and io_uring where the host has it), each time beside
#     qemu-img bench on the same image files with the same requests: the
#     guest's IOPS beside the host block layer's, as a table of medians
#     and as BENCH iops {...} and BENCH read4k_qd<D>_<aio>_ratio_x100.
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
    iops_bench "$image" "$dir" || rc=1
    rm -rf "$dir"
    return $rc
}

IOPS_DEPTHS="1 8 32 128"
IOPS_RUNS=${BENCH_RUNS:-3}      # of each side, for each backend
IOPS_MS=${BENCH_MS:-700}        # a run of one kind at one depth, on each side
IOPS_DISK_MB=256
# qemu-img bench reads sequentially from -o by steps of -S, wrapping at the
# end of the image: a step of 7919 blocks (a prime, so every 4 KiB block
# comes round once in 65536 requests) scatters its requests as the guest's
# random ones are, with nothing for read-ahead to find.
IOPS_STEP=$((7919 * 4096))
# Requests for a qemu-img run of about IOPS_MS, by backend, kind and depth:
# found by the first run, kept for the others.
declare -A IOPS_COUNTS

# Two images, both written out (a hole reads cheaper than data) and read
# once, so that both sides work in the host's page cache: the figures are
# the software's, not this machine's disk's. The guest reads "pattern",
# every 4 KiB block of it full of its own number (32-bit little-endian
# words), and checks what it reads; it writes "scratch", where qemu-img
# bench -w writes its zeroes too. The guest and qemu-img runs alternate,
# and each repetition swaps which goes first (guest, qemu-img; qemu-img,
# guest; ...), so that a change in the host's load mid-way falls on both.
iops_bench() {
    local image=$1 dir=$2 backends="threads" run aio
    perl -e 'for my $n (0 .. $ARGV[0] - 1) { print pack("V", $n) x 1024 }' $((IOPS_DISK_MB * 256)) \
        >"$dir/pattern.img" || return 1
    dd if=/dev/zero of="$dir/scratch.img" bs=1M count=$IOPS_DISK_MB status=none || return 1
    cat "$dir/pattern.img" "$dir/scratch.img" >/dev/null
    if qemu-img bench -f raw -t writeback -i io_uring -c 16 -s 4096 "$dir/pattern.img" >/dev/null 2>&1; then
        backends+=" io_uring"
    else
        echo "iops: aio=io_uring does not work on this host (qemu-img bench -i io_uring failed): aio=threads only"
    fi

    : >"$dir/samples"
    for ((run = 1; run <= IOPS_RUNS; run++)); do
        for aio in $backends; do
            if ((run % 2 == 1)); then
                iops_guest "$image" "$dir" "$aio" "$run" || return 1
                iops_qemu_img "$dir" "$aio" || return 1
            else
                iops_qemu_img "$dir" "$aio" || return 1
                iops_guest "$image" "$dir" "$aio" "$run" || return 1
            fi
        done
    done
    iops_report "$dir/samples" "$backends"
}

# iops_guest IMAGE DIR AIO RUN: one boot, every kind at every depth; adds
# "AIO KIND DEPTH guest IOPS FEWEST MOST OPS REQUESTS" lines to DIR/samples.
# The guest's other lines are shown once a backend, or when it fails.
iops_guest() {
    local image=$1 dir=$2 aio=$3 run=$4 out status disk drives=""
    for disk in pattern scratch; do
        drives+=" -drive file=$dir/$disk.img,if=none,format=raw,id=$disk,cache=writeback,aio=$aio"
        drives+=" -device virtio-blk-device,drive=$disk,serial=$disk"
    done
    # In real time, with the board's QEMU_ACCEL (see board.mk: it keeps the
    # barriers virtio's notification suppression needs).
    # shellcheck disable=SC2086
    out=$(timeout 120 $QEMU $QEMU_ARGS $QEMU_ACCEL $drives -kernel "$image" \
        -append "iops ms=$IOPS_MS" </dev/null 2>&1)
    status=$?
    out=${out//$'\r'/}
    if [[ $status -ne 0 || $run -eq 1 ]]; then
        printf '%s\n' "$out" | grep -v '^IOPS ' | sed "s/^/aio=$aio: /"
    fi
    [[ $status -eq 0 ]] || { echo "iops: the guest failed with status $status (aio=$aio, run $run)"; return 1; }
    printf '%s\n' "$out" | sed -n "s/^IOPS \([a-z0-9]*\) qd=\([0-9]*\) ops=\([0-9]*\) requests=\([0-9]*\) us=[0-9]* iops=\([0-9]*\) min=\([0-9]*\) max=\([0-9]*\)$/$aio \1 \2 guest \5 \6 \7 \3 \4/p" \
        >>"$dir/samples"
}

# iops_qemu_img DIR AIO: qemu-img bench with the guest's requests, each
# kind at each depth; adds "AIO KIND DEPTH qemu-img IOPS" lines.
iops_qemu_img() {
    local dir=$1 aio=$2 d value
    for d in $IOPS_DEPTHS; do
        value=$(qemu_img_iops "$aio" read "$d" -d "$d" -s 4096 -S "$IOPS_STEP" "$dir/pattern.img") || return 1
        echo "$aio read $d qemu-img $value" >>"$dir/samples"
    done
    for d in $IOPS_DEPTHS; do
        value=$(qemu_img_iops "$aio" write "$d" -w -d "$d" -s 4096 -S "$IOPS_STEP" "$dir/scratch.img") || return 1
        echo "$aio write $d qemu-img $value" >>"$dir/samples"
    done
    # From the start of the image to its end and round, as the guest writes.
    value=$(qemu_img_iops "$aio" write1m 1 -w -d 1 -s 1M "$dir/scratch.img") || return 1
    echo "$aio write1m 1 qemu-img $value" >>"$dir/samples"
}

# qemu_img_iops AIO KIND DEPTH ARGS...: requests a second for a `qemu-img
# bench` run of about IOPS_MS with those arguments. The first call for a
# backend, kind and depth finds the request count by short runs, 16 times
# longer each, until one takes a tenth of IOPS_MS.
qemu_img_iops() {
    local aio=$1 kind=$2 depth=$3 count seconds
    shift 3
    local bench=(qemu-img bench -f raw -t writeback -i "$aio" "$@")
    local key="$aio $kind $depth"
    count=${IOPS_COUNTS[$key]:-}
    if [[ -z $count ]]; then
        count=16
        while :; do
            seconds=$("${bench[@]}" -c "$count" | sed -n 's/^Run completed in \([0-9.]*\) seconds\.$/\1/p')
            [[ -n $seconds ]] || { echo "iops: ${bench[*]} -c $count failed" >&2; return 1; }
            if awk -v s="$seconds" -v ms="$IOPS_MS" 'BEGIN { exit !(s * 10000 >= ms) }'; then
                break
            fi
            count=$((count * 16))
        done
        count=$(awk -v c="$count" -v s="$seconds" -v ms="$IOPS_MS" 'BEGIN { print int(c / s * ms / 1000) + 1 }')
        IOPS_COUNTS[$key]=$count
    fi
    seconds=$("${bench[@]}" -c "$count" | sed -n 's/^Run completed in \([0-9.]*\) seconds\.$/\1/p')
    [[ -n $seconds ]] || { echo "iops: ${bench[*]} -c $count failed" >&2; return 1; }
    awk -v c="$count" -v s="$seconds" 'BEGIN { printf "%d\n", c / (s > 0.000001 ? s : 0.000001) }'
}

# Median, least and most of the numbers on stdin, one a line.
iops_stats() {
    sort -n | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1
              print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)), v[1], v[NR] }'
}

# iops_report SAMPLES BACKENDS: the table, BENCH iops and the read ratios.
iops_report() {
    local samples=$1 backends=$2 aio kind name d json="" pairs kinds
    local guest gmin gmax host hmin hmax spread runs ratio requests
    for aio in $backends; do
        echo "aio=$aio, cache=writeback, $IOPS_DISK_MB MiB raw images; medians (min..max) of $IOPS_RUNS runs of ~$IOPS_MS ms on each side:"
        printf '%6s %-26s %-26s %14s %16s\n' depth guest "qemu-img bench" guest/qemu-img "coroutine/mean"
        kinds=""
        for kind in read write write1m; do
            case $kind in
                read) name=read4k; echo "random 4 KiB reads, IOPS" ;;
                write) name=write4k; echo "random 4 KiB writes, IOPS" ;;
                write1m) name=write1m; echo "sequential 1 MiB writes, MiB/s" ;;
            esac
            pairs=""
            for d in $IOPS_DEPTHS; do
                [[ $kind == write1m && $d != 1 ]] && continue
                read -r guest gmin gmax < <(awk -v a="$aio" -v k="$kind" -v d="$d" \
                    '$1 == a && $2 == k && $3 == d && $4 == "guest" { print $5 }' "$samples" | iops_stats) ||
                    { echo "iops: no guest figure for aio=$aio $kind at depth $d"; return 1; }
                read -r host hmin hmax < <(awk -v a="$aio" -v k="$kind" -v d="$d" \
                    '$1 == a && $2 == k && $3 == d && $4 == "qemu-img" { print $5 }' "$samples" | iops_stats) ||
                    { echo "iops: no qemu-img figure for aio=$aio $kind at depth $d"; return 1; }
                # Each run's fewest and most operations of one coroutine; in
                # the table, the widest spread as fractions of the mean.
                IFS=$'\t' read -r spread runs requests < <(awk -v a="$aio" -v k="$kind" -v d="$d" '
                    $1 == a && $2 == k && $3 == d && $4 == "guest" {
                        mean = $8 / d
                        if (n++ == 0 || $6 / mean < low) low = $6 / mean
                        if ($7 / mean > high) high = $7 / mean
                        list = list (n > 1 ? ", " : "") "[" $6 ", " $7 "]"
                        ops += $8; req += $9 }
                    END { printf "%.2f..%.2f\t[%s]\t%.2f\n", low, high, list, req / ops }' "$samples")
                ratio=$(awk -v g="$guest" -v h="$host" 'BEGIN { printf "%.2f", g / h }')
                printf '%6s %9d %-16s %9d %-16s %14s %16s\n' "$d" "$guest" "($gmin..$gmax)" \
                    "$host" "($hmin..$hmax)" "$ratio" "$spread"
                pairs+="${pairs:+, }{\"qd\": $d, \"guest\": $guest, \"guest_range\": [$gmin, $gmax], "
                pairs+="\"qemu_img_bench\": $host, \"qemu_img_bench_range\": [$hmin, $hmax], "
                pairs+="\"ratio\": $ratio, \"per_coroutine\": $runs"
                if [[ $kind == write1m ]]; then
                    echo "       (requests a 1 MiB write took: $requests; the driver sends up to 1 MiB a request, less if the device's size_max says so)"
                    pairs+=", \"requests_per_write\": $requests"
                fi
                pairs+="}"
                if [[ $kind == read ]]; then
                    echo "BENCH read4k_qd${d}_${aio}_ratio_x100 $(awk -v g="$guest" -v h="$host" 'BEGIN { print int(g * 100 / h) }')"
                fi
            done
            kinds+="${kinds:+, }\"$name\": [$pairs]"
        done
        json+="${json:+, }\"$aio\": {$kinds}"
    done
    echo "BENCH iops {\"runs\": $IOPS_RUNS, \"ms\": $IOPS_MS, $json}"
}
