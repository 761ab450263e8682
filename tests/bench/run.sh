#!/usr/bin/env bash
# Runs every benchmark image under -icount shift=0 (one guest instruction,
# one nanosecond of virtual time: counts are exact and repeatable) and
# merges the figures they print as "BENCH <key> <json value>" into one JSON
# object. A benchmark may have tests/bench/<name>.sh defining host_bench()
# for figures measured on the host side; it gets the image path and prints
# BENCH lines too.
#
#   tests/bench/run.sh --build DIR --json FILE
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=""
json=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --json) json=$2; shift 2 ;;
        *) echo "bench: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -n $build && -n $json ]] || { echo "bench: --build DIR and --json FILE are required" >&2; exit 2; }

# Figures of this run only: one a benchmark no longer prints must not
# linger in the JSON.
figures=$build/bench-figures
rm -rf "$figures"
mkdir -p "$figures"
status=0
for image in "$build"/bench/*.elf; do
    name=$(basename "$image" .elf)
    echo "== $name"
    log=$build/bench/$name.log
    if [[ -f $here/$name.sh ]]; then
        # shellcheck disable=SC1090
        source "$here/$name.sh"
        host_bench "$image" >"$log" 2>&1
    else
        # shellcheck disable=SC2086
        timeout 300 $QEMU $QEMU_ARGS -icount shift=0 -kernel "$image" </dev/null >"$log" 2>&1
    fi
    rc=$?
    tr -d '\r' <"$log" | grep -v '^BENCH ' | sed 's/^/   /'
    if [[ $rc -ne 0 ]]; then
        echo "   $name failed with status $rc"
        status=1
        continue
    fi
    while read -r _ key value; do
        printf '%s\n' "$value" >"$figures/$key"
    done < <(tr -d '\r' <"$log" | grep '^BENCH ')
done

# One object from every figure any benchmark has written.
{
    echo "{"
    first=1
    for file in "$figures"/*; do
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
