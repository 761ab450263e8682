#!/usr/bin/env bash
# Runs every benchmark image under -icount shift=0 (one guest instruction,
# one nanosecond of virtual time: counts are exact and repeatable) and
# merges the figures they print as "BENCH <key> <json value>" into one JSON
# object. A benchmark may have tests/bench/<name>.sh defining host_bench()
# for figures measured on the host side; it gets the image path and prints
# BENCH lines too. The run fails if a figure misses its target in
# tests/bench/targets (one of the real-time ones only with
# BENCH_RATIOS_FAIL=1).
#
#   tests/bench/run.sh --json FILE [--targets FILE] [--keep DIR]...
#                      [--prefix P] IMAGE... [--smp N] [--prefix P] IMAGE...
#
# Images after --smp N are booted with -smp N (built for that many CPUs);
# the figures of images after --prefix P are named P<key> (a board's, so
# that figures of several boards can stand side by side). The targets are
# tests/bench/targets unless --targets names another file. The JSON holds
# this run's figures and those left in each --keep DIR, the figures of
# another board's last run.
#
# The images are named by make, so a stale one left in the build folder by
# a benchmark since removed is never run.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
json=""
targets=$here/targets
keep=()
images=()
cpus=()         # each image's -smp
prefixes=()     # and its figures' prefix
smp=1
prefix=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --json) json=$2; shift 2 ;;
        --targets) targets=$2; shift 2 ;;
        --keep) keep+=("$2"); shift 2 ;;
        --smp) smp=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        -*) echo "bench: unknown argument $1" >&2; exit 2 ;;
        *) images+=("$1"); cpus+=("$smp"); prefixes+=("$prefix"); shift ;;
    esac
done
[[ -n $json && ${#images[@]} -gt 0 ]] || { echo "bench: --json FILE and at least one image are required" >&2; exit 2; }

# Figures of this run only: one a benchmark no longer prints must not
# linger in the JSON.
figures=$(dirname "${images[0]}")/figures
rm -rf "$figures"
mkdir -p "$figures"
status=0
for i in "${!images[@]}"; do
    image=${images[$i]}
    name=$(basename "$image" .elf)
    echo "== ${prefixes[$i]}$name"
    log=${image%.elf}.log
    if [[ -f $here/$name.sh ]]; then
        # shellcheck disable=SC1090
        source "$here/$name.sh"
        host_bench "$image" >"$log" 2>&1
    else
        # shellcheck disable=SC2086
        timeout 120 $QEMU $QEMU_ARGS -smp "${cpus[$i]}" -icount shift=0 -kernel "$image" </dev/null >"$log" 2>&1
    fi
    rc=$?
    tr -d '\r' <"$log" | grep -v '^BENCH ' | sed 's/^/   /'
    if [[ $rc -ne 0 ]]; then
        echo "   $name failed with status $rc"
        status=1
        continue
    fi
    while read -r _ key value; do
        printf '%s\n' "$value" >"$figures/${prefixes[$i]}$key"
    done < <(tr -d '\r' <"$log" | grep '^BENCH ')
done

# Each target in tests/bench/targets: "figure bound [realtime]", the bound
# N (at most N) or >=N (at least N). A real-time figure depends on the
# machine: missing one fails the run only with BENCH_RATIOS_FAIL=1.
echo "== targets"
width=$(awk '!/^#/ && length($1) > w { w = length($1) } END { print (w > 34 ? w : 34) }' "$targets")
realtime_missed=0
while read -r key bound kind; do
    [[ -z $key || $key == \#* ]] && continue
    fails=1
    if [[ $kind == realtime && ${BENCH_RATIOS_FAIL:-0} != 1 ]]; then
        fails=0
    fi
    limit=${bound#>=} relation='<='
    [[ $bound == '>='* ]] && relation='>='
    verdict=MISSED
    if [[ ! -f $figures/$key ]]; then
        printf '   %-*s missing (no benchmark printed it)%s\n' "$width" "$key" "${kind:+ ($kind)}"
    elif ! grep -Eqx '[0-9]+' "$figures/$key"; then
        printf '   %-*s not a whole number: %s\n' "$width" "$key" "$(cat "$figures/$key")"
    else
        value=$(cat "$figures/$key")
        case $relation in
            '<=') ((value <= limit)) && verdict=met ;;
            '>=') ((value >= limit)) && verdict=met ;;
        esac
        printf '   %-*s %6s %s %-6s %s%s\n' "$width" "$key" "$value" "$relation" "$limit" "$verdict" "${kind:+ ($kind)}"
    fi
    if [[ $verdict == MISSED ]]; then
        if ((fails)); then
            status=1
        else
            realtime_missed=1
        fi
    fi
done <"$targets"
if ((realtime_missed)); then
    echo "   real-time targets missed: not a failure unless BENCH_RATIOS_FAIL=1"
fi

# One object from every figure any benchmark of this run has written, and
# the other boards' last ones.
files=("$figures"/*)
for dir in "${keep[@]}"; do
    files+=("$dir"/*)
done
{
    echo "{"
    first=1
    for file in "${files[@]}"; do
        [[ -e $file ]] || continue
        [[ $first -eq 1 ]] || echo ","
        first=0
        printf '  "%s": %s' "$(basename "$file")" "$(cat "$file")"
    done
    echo
    echo "}"
} >"$json"
echo "figures in $json"
exit $status
