#!/usr/bin/env bash
# Boots every test image headlessly in QEMU, in parallel, and reports one
# TAP line per run, ending with "N passed, N failed".
#
#   tests/qemu/run.sh --build DIR [--label L] [--jobs N] [--cpus N] [--only NAME] [--tag TAG]
#   tests/qemu/run.sh --app DIR --image ELF [--label L] [--jobs N] [--cpus N]
#
# The second form runs one application image (make test-app), once per
# "runner:" line in the .c files of its folder, or once with none.
# QEMU, QEMU_ARGS and QEMU_ACCEL come from the environment (the board's
# board.mk, through make); QEMU_ACCEL is left out of runs under -icount.
# Each tests/qemu/<name>.c declares its runs in comment lines
#
#   runner: status=2 expect='entering a running coroutine' args='enter-running'
#
# (shell words; no line means one run expecting status 0). Keys:
#   name     suffix of the run's name            args     the -append text
#   status   expected exit status (default 0)    timeout  seconds (default 60)
#   expect   extended regex the console must show
#   qemu     extra QEMU arguments
#   hook     tests/qemu/hooks/<hook>.sh: setup() makes disk images in
#            $RUN_DIR and prints the QEMU arguments for them (on one line
#            or several); check() verifies them afterwards
#   meta     this run checks the runner itself: it must be reported as a
#            failure, and the report must match this regex
#   gdb      tests/qemu/gdb/<gdb>: a gdb Python script, with the commands
#            of scripts/gdb/coro.py loaded, drives the image, booted halted;
#            its output joins the console
#   barriers names of dmb_named() barriers the built image must hold
#            (scripts/check-barriers.sh), checked before it boots
# --only NAME runs only the test NAME, or those a glob matches ('blk_*');
# tests/qemu/nolink/ tests only as --only 'nolink/NAME' (make test ONLY=...).
# A line "tags: smp ..." puts a test in groups; --tag TAG runs only the
# tests of that group (make test TAG=smp), and says how many it passed by.
# --jobs is the host's cores, --cpus the images' CPUs: runs are started
# while the virtual CPUs kept busy stay within the cores. A test tagged smp
# (and an application) keeps all its image's CPUs busy; any other keeps
# one, the others waiting in WFI. (With more busy virtual CPUs than cores,
# QEMU's threads take turns, and a CPU spinning for a lock whose holder the
# host has descheduled burns whole time slices: blk_stress on a ring of 8
# took 1.7 s alone at -smp 2, over 60 s beside another such image.)
# A line "requires: virtio gic ..." names what the test needs of a board;
# a test whose needs are not all in BOARD_FEATURES (the board's board.mk,
# through make) was not built, and is left out here: reported, with why,
# and counted neither passed nor failed, with the make command that runs it
# (another board's, whose board.mk has what it needs; BOARD from make).
# Each run's console and report are kept in DIR/test-logs/<test>[/<run>]/.
# A file tests/qemu/nolink/<name>.c must fail to link; its "runner: expect="
# line gives the linker message that must appear.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=""
label=""
jobs=$(nproc 2>/dev/null || echo 2)
cpus=1
only=""
tag=""
app=""
app_image=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --app) app=$2; shift 2 ;;
        --image) app_image=$2; shift 2 ;;
        --label) label=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --cpus) cpus=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --tag) tag=$2; shift 2 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [[ -n $app ]]; then
    [[ -f $app_image ]] || { echo "run.sh: --app needs --image ELF, an image that exists" >&2; exit 2; }
    build=${build:-$(dirname "$app_image")}
fi
[[ -n $build ]] || { echo "run.sh: --build DIR is required" >&2; exit 2; }
: "${QEMU:?QEMU is not set: run the tests through make test}"
: "${QEMU_ARGS:?QEMU_ARGS is not set: run the tests through make test}"

logs=$build/test-logs
rm -rf "$logs"
mkdir -p "$logs"

# The "runner:" lines of a source file, one run each.
runner_lines() {
    local lines
    lines=$(sed -n 's/^[ /*]*runner:[ ]*\(.*\)$/\1/p' "$1" | sed 's/[ ]*\*\/[ ]*$//')
    if [[ -z $lines ]]; then echo ""; else printf '%s\n' "$lines"; fi
}

# Runs a QEMU command line (the arguments) halted, with a gdb server on a
# socket of its own, drives it with gdb-multiarch running $script, and
# returns QEMU's exit status. gdb's output follows QEMU's in $console; why
# gdb could not do its part goes to $run_dir/gdb.failed.
boot_under_gdb() {
    local image=$1 console=$2 run_dir=$3 script=$4 timeout=$5
    shift 5
    local socket=$run_dir/gdb.sock
    timeout -k 5 "$timeout" "$@" -S -gdb "unix:$socket,server=on,wait=off" </dev/null >"$console" 2>&1 &
    local qemu=$!
    local deadline=$((SECONDS + timeout))
    while [[ ! -S $socket ]] && kill -0 "$qemu" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do
        sleep 0.1
    done
    # gdb exits with 0 even when the script raises: look for the traceback.
    if ! timeout -k 5 "$timeout" gdb-multiarch -nx -batch -ex "set pagination off" \
        -ex "source $root/scripts/gdb/coro.py" -ex "target remote $socket" \
        -x "$here/gdb/$script" "$image" </dev/null >"$run_dir/gdb.log" 2>&1; then
        echo "gdb failed: $(tail -n 1 "$run_dir/gdb.log")" >"$run_dir/gdb.failed"
    elif grep -q '^Traceback' "$run_dir/gdb.log"; then
        echo "the gdb script stopped: $(grep -A 100 '^Traceback' "$run_dir/gdb.log" |
            grep -m 1 -E '^[A-Za-z_][A-Za-z0-9_.]*: ')" >"$run_dir/gdb.failed"
    else
        # The script lets the image run to its end; a QEMU still halted
        # after that is stuck.
        for _ in $(seq 100); do
            kill -0 "$qemu" 2>/dev/null || break
            sleep 0.1
        done
    fi
    kill "$qemu" 2>/dev/null
    wait "$qemu"
    local rc=$?
    cat "$run_dir/gdb.log" >>"$console"
    return $rc
}

# Boots one image and judges the run; writes "ok" or "not ok # reason" as the
# first line of $report, then the console tail on a failure.
boot_and_judge() {
    local image=$1 report=$2 run_dir=$3
    local name="" args="" status=0 expect="" timeout=60 qemu="" hook="" meta="" gdb="" barriers=""
    eval "$4"
    local console=$run_dir/console.log
    local extra=() reason=""

    # shellcheck disable=SC2086
    if [[ -n $barriers ]] && ! reason=$("$root/scripts/check-barriers.sh" "$image" $barriers); then
        echo "not ok # $reason" >"$report"
        return
    fi

    if [[ -n $hook ]]; then
        # shellcheck disable=SC1090
        source "$here/hooks/$hook.sh"
        local setup_args
        if ! setup_args=$(RUN_DIR=$run_dir setup 2>"$run_dir/setup.log"); then
            { echo "not ok # hook $hook: setup failed"; sed 's/^/#   /' "$run_dir/setup.log"; } >"$report"
            return
        fi
        read -r -d '' -a extra <<<"$setup_args"     # every line: -d '' reads to the end
    fi
    local qemu_extra=() accel=()
    read -r -a qemu_extra <<<"$qemu"
    [[ " $qemu " == *" -icount "* ]] || read -r -a accel <<<"${QEMU_ACCEL:-}"

    local boot=()
    mapfile -t boot < <("$root/scripts/qemu-boot-args.sh" "$image" "$args")
    # shellcheck disable=SC2206
    local command=($QEMU $QEMU_ARGS "${accel[@]}" "${extra[@]}" "${qemu_extra[@]}" "${boot[@]}")
    if [[ -n $gdb ]]; then
        boot_under_gdb "$image" "$console" "$run_dir" "$gdb" "$timeout" "${command[@]}"
    else
        timeout -k 5 "$timeout" "${command[@]}" </dev/null >"$console" 2>&1
    fi
    local rc=$?
    tr -d '\r' <"$console" >"$console.tmp" && mv "$console.tmp" "$console"

    if [[ -s $run_dir/gdb.failed ]]; then
        reason=$(cat "$run_dir/gdb.failed")
    elif [[ $rc -eq 124 || $rc -eq 137 ]]; then
        reason="timed out after ${timeout}s"
    elif [[ $rc -ne $status ]]; then
        reason="$("$root/scripts/exit-status.sh" "$rc"), expected $status"
    elif [[ -n $expect ]] && ! grep -Eq -- "$expect" "$console"; then
        reason="console does not show /$expect/"
    elif [[ $status -eq 0 ]] && grep -q '^not ok' "$console"; then
        reason="the image reported a failed test"
    elif [[ $status -eq 0 ]] && grep -q '^KTAP version' "$console" && ! grep -Eq '^ok [0-9]+ all tests ran$' "$console"; then
        reason="the image stopped before its last test: no 'all tests ran'"
    elif [[ -n $hook ]] && ! RUN_DIR=$run_dir check >"$run_dir/check.log" 2>&1; then
        reason="hook $hook: check failed: $(tail -n 1 "$run_dir/check.log")"
    fi

    if [[ -z $reason ]]; then
        echo "ok" >"$report"
    else
        { echo "not ok # $reason"; tail -n 25 "$console" | sed 's/^/#   /'; } >"$report"
    fi
}

# One run: a normal one, or a meta run that expects the runner to report a
# failure matching a regex.
run_case() {
    local image=$1 spec=$2 report=$3 run_dir=$4
    local meta=""
    eval "$spec"
    mkdir -p "$run_dir"
    if [[ -z $meta ]]; then
        boot_and_judge "$image" "$report" "$run_dir" "$spec"
        return
    fi
    # Judge the image as an ordinary test that should pass, then check that
    # the runner failed it and said why.
    boot_and_judge "$image" "$run_dir/inner.report" "$run_dir" "$spec; status=0; expect=''; meta=''"
    if head -n 1 "$run_dir/inner.report" | grep -q '^ok'; then
        { echo "not ok # the runner passed a run it should have failed"; cat "$run_dir/inner.report"; } >"$report"
    elif ! grep -Eq -- "$meta" "$run_dir/inner.report"; then
        { echo "not ok # the runner's report does not show /$meta/"; sed 's/^/# /' "$run_dir/inner.report"; } >"$report"
    else
        echo "ok" >"$report"
    fi
}

# A source that must fail to link, with the linker's message.
check_nolink() {
    local src=$1 report=$2
    local log=$build/nolink/$(basename "$src" .c).log
    local expect=""
    eval "$(runner_lines "$src" | head -n 1)"
    if [[ ! -f $log ]]; then
        echo "not ok # $log is missing: build with make tests" >"$report"
    elif grep -q '^link-status: 0$' "$log"; then
        echo "not ok # $(basename "$src") linked, but it must not" >"$report"
    elif [[ -n $expect ]] && ! grep -Eq -- "$expect" "$log"; then
        { echo "not ok # the link failed without /$expect/"; sed 's/^/#   /' "$log"; } >"$report"
    else
        echo "ok" >"$report"
    fi
}

# Whether a source's "tags:" line names tag $2.
has_tag() {
    [[ " $(sed -n 's/^[ /*]*tags:[ ]*//p' "$1" | tr '\n' ' ') " == *" $2 "* ]]
}

# What a source requires that the board lacks, as words.
missing_features() {
    local feature
    for feature in $(sed -n 's/^[ /*]*requires:[ ]*//p' "$1"); do
        [[ " ${BOARD_FEATURES:-} " == *" $feature "* ]] || printf '%s ' "$feature"
    done
}

# A board.mk's setting $2, as written there (board $1).
board_setting() {
    sed -n "s/^$2[ ]*[:?]*=[ ]*//p" "$root/board/$1/board.mk" | head -n 1
}

# What a test left out needs (its missing features, the arguments) and the
# make command that runs it: on this board with more CPUs, or on the first
# board whose board.mk has all it needs.
how_to_run() {
    local needs="" feature candidate fits
    for feature in "$@"; do
        [[ $feature == smp ]] && feature="SMP>=2"
        needs+=" $feature"
    done
    for candidate in "${BOARD:-}" $(ls "$root/board"); do
        [[ -n $candidate && -f $root/board/$candidate/board.mk ]] || continue
        fits=1
        for feature in "$@"; do
            if [[ $feature == smp ]]; then
                [[ $(board_setting "$candidate" CPUS_MAX) -gt 1 ]] || fits=0
            else
                [[ " $(board_setting "$candidate" BOARD_FEATURES) " == *" $feature "* ]] || fits=0
            fi
        done
        if [[ $fits -eq 1 ]]; then
            local board_arg="" smp_arg=""
            [[ $candidate == "${BOARD:-}" ]] || board_arg="BOARD=$candidate "
            [[ " $* " != *" smp "* ]] || smp_arg="SMP=2 "
            echo "needs${needs}: make ${board_arg}${smp_arg}test"
            return
        fi
    done
    echo "needs${needs}: no board has it"
}

# Collect every run: "kind<TAB>busy CPUs<TAB>title<TAB>image or source<TAB>spec".
cases=()
left_out=()
untagged=0
if [[ -n $app ]]; then
    app_name=$(basename "$(cd "$app" && pwd)")
    specs=$(cat "$app"/*.c 2>/dev/null | runner_lines /dev/stdin | grep -v '^$')
    [[ -n $specs ]] || specs=" "
    while IFS= read -r spec; do
        name=""
        eval "$spec"
        cases+=("boot"$'\t'"$cpus"$'\t'"$app_name${name:+/$name}"$'\t'"$app_image"$'\t'"$spec")
    done <<<"$specs"
fi
for src in "$here"/*.c; do
    [[ -z $app ]] || break
    test_name=$(basename "$src" .c)
    # shellcheck disable=SC2053    # $only is a glob
    [[ -z $only || $test_name == $only ]] || continue
    if [[ -n $tag ]] && ! has_tag "$src" "$tag"; then
        untagged=$((untagged + 1))
        continue
    fi
    busy=1
    has_tag "$src" smp && busy=$cpus
    missing=$(missing_features "$src")
    if [[ -n $missing ]]; then
        # shellcheck disable=SC2086
        left_out+=("$test_name: $(how_to_run $missing)")
        continue
    fi
    while IFS= read -r spec; do
        name=""
        eval "$spec"
        title=$test_name${name:+/$name}
        cases+=("boot"$'\t'"$busy"$'\t'"$title"$'\t'"$build/tests/$test_name.elf"$'\t'"$spec")
    done < <(runner_lines "$src")
done
for src in "$here"/nolink/*.c; do
    [[ -e $src && -z $app && -z $tag ]] || continue
    test_name=nolink/$(basename "$src" .c)
    # shellcheck disable=SC2053
    [[ -z $only || ($only == nolink/* && $test_name == $only) ]] || continue
    cases+=("nolink"$'\t'"1"$'\t'"$test_name"$'\t'"$src"$'\t')
done

total=${#cases[@]}
left_out_note=""
[[ ${#left_out[@]} -eq 0 ]] || left_out_note="${#left_out[@]} left out"
say_left_out() {
    local line
    for line in "${left_out[@]}"; do
        echo "# ${label:+$label: }left out: $line"
    done
}
if [[ -n $only && $total -eq 0 && ${#left_out[@]} -gt 0 ]]; then
    say_left_out
    exit 0
fi
if [[ -n $only && $total -eq 0 ]]; then
    echo "run.sh: no test $only (--only takes the name of a tests/qemu/*.c file or a glob of them, or nolink/NAME)" >&2
    exit 2
fi
echo "# ${label:+$label: }$total runs on $jobs cores, an image of $cpus CPU(s)"
[[ -z $tag ]] || echo "# ${label:+$label: }only the tests tagged $tag: $untagged others not run"
say_left_out
echo "1..$total"

# Start runs while their busy CPUs fit in $jobs cores (one at least);
# report each as it ends, in order of ending.
passed=0
failed=0
reported=0
busy_now=0
running=0
declare -A pid_case pid_busy
report_finished() {
    local pid=$1 index=${pid_case[$1]}
    local title report first
    IFS=$'\t' read -r _ _ title _ _ <<<"${cases[$index]}"
    report=$logs/$title/report
    first=$(head -n 1 "$report" 2>/dev/null || echo "not ok # no report")
    reported=$((reported + 1))
    if [[ $first == ok* ]]; then
        passed=$((passed + 1))
        echo "ok $reported ${label:+$label/}$title"
    else
        failed=$((failed + 1))
        echo "not ok $reported ${label:+$label/}$title ${first#not ok }"
        tail -n +2 "$report"
        echo "#   (full console: $logs/$title/console.log)"
    fi
    busy_now=$((busy_now - pid_busy[$pid]))
    running=$((running - 1))
    unset "pid_case[$pid]" "pid_busy[$pid]"
    # RUN_FAIL_FAST (make mutate): the first failure ends the run, so a
    # bug that hangs every image costs one timeout, not one a run.
    if [[ -n ${RUN_FAIL_FAST:-} && $failed -gt 0 ]]; then
        for p in "${!pid_case[@]}"; do
            pkill -TERM -P "$p" 2>/dev/null
            kill "$p" 2>/dev/null
        done
        echo "${label:+$label: }$passed passed, $failed failed (stopped at the first failure)"
        exit 1
    fi
}

for index in "${!cases[@]}"; do
    IFS=$'\t' read -r kind busy title target spec <<<"${cases[$index]}"
    run_dir=$logs/$title
    mkdir -p "$run_dir"
    while [[ $running -gt 0 && $((busy_now + busy)) -gt $jobs ]]; do
        wait -n -p done_pid
        report_finished "$done_pid"
    done
    if [[ $kind == nolink ]]; then
        check_nolink "$target" "$run_dir/report" &
    elif [[ ! -f $target ]]; then
        echo "not ok # image $target is missing" >"$run_dir/report" &
    else
        run_case "$target" "$spec" "$run_dir/report" "$run_dir" &
    fi
    pid_case[$!]=$index
    pid_busy[$!]=$busy
    busy_now=$((busy_now + busy))
    running=$((running + 1))
done
while [[ $running -gt 0 ]]; do
    wait -n -p done_pid
    report_finished "$done_pid"
done
# The runner's own "all tests ran": a run it lost track of is a failure.
if [[ $reported -ne $total ]]; then
    echo "not ok # the runner reported $reported of its $total runs"
    failed=$((failed + total - reported))
fi

if [[ -n ${RESULTS_FILE:-} ]]; then
    echo "$passed $failed" >>"$RESULTS_FILE"
fi
echo "${label:+$label: }$passed passed, $failed failed${left_out_note:+; $left_out_note}"
[[ $failed -eq 0 && $total -gt 0 ]]
