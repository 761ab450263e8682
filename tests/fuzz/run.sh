#!/usr/bin/env bash
# Runs each fuzz target (built by `make fuzz`) for its share of the time,
# from the seeds in tests/fuzz/corpus/<target>/ and what earlier runs kept
# in BUILD/corpus/<target>/ (new inputs go there, never into the tree).
# One line per target; a crash, a sanitizer report or a check that fails
# ends the run with the report, the input that caused it, and the command
# that replays it.
#
#   tests/fuzz/run.sh --build DIR --seconds N TARGET...
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=""
seconds=60
targets=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        -*) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[[ -n $build && ${#targets[@]} -gt 0 ]] || { echo "fuzz: --build DIR and at least one target are required" >&2; exit 2; }
[[ $seconds =~ ^[0-9]+$ ]] || { echo "fuzz: --seconds wants a whole number, not '$seconds'" >&2; exit 2; }

share=$(( seconds / ${#targets[@]} ))
(( share > 0 )) || share=1
for target in "${targets[@]}"; do
    corpus=$build/corpus/$target
    log=$build/$target.log
    mkdir -p "$corpus"
    rm -f "$build/$target"-{crash,leak,timeout,oom}-*
    # An input that takes seconds is a hang: reported like a crash.
    "$build/$target" -max_total_time="$share" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$build/$target-" "$corpus" "$here/corpus/$target" >"$log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [[ $status -ne 0 ]]; then
        grep -vE '^#[0-9]+' "$log" | tail -n 40
        input=$(ls "$build/$target"-{crash,leak,timeout,oom}-* 2>/dev/null | head -n 1)
        echo "fuzz: $target FAILED after ${runs:-?} inputs (log: $log)"
        [[ -n $input ]] && echo "fuzz: the input is $input; replay it with: $build/$target $input"
        exit 1
    fi
    edges=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
    echo "fuzz: $target: ${runs:-?} inputs in $share s, ${edges#cov: } edges covered," \
         "$(ls "$corpus" | wc -l) inputs kept: no crash, no sanitizer report"
done
