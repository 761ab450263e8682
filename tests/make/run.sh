#!/usr/bin/env bash
# What an application writer does with make, tried on scratch applications
# outside the tree: settings from app.mk, two applications of one folder
# name, an application that is a KTAP test image (make test-app), what
# `make run` says of a failed run; and what make says before it builds (the
# tools a goal needs, APP, the board's limits), one test run alone, the
# debug and probe commands, help and compdb. Ends with "N passed, N failed".
#
#   tests/make/run.sh [OPT]        (make test-make)
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
opt=${1:-O2}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0
failed=0
n=0

result() {      # result OK NAME [WHY...]
    n=$((n + 1))
    if [[ $1 == 0 ]]; then
        passed=$((passed + 1)); echo "ok $n make/$2"
    else
        failed=$((failed + 1)); echo "not ok $n make/$2 # ${*:3}"
    fi
}

mk() {          # mk APP TARGET [VAR=VALUE...]: make in the tree, output in $scratch/out
    env -u RESULTS_FILE make -C "$root" --no-print-directory OPT="$opt" APP="$1" "$2" "${@:3}" >"$scratch/out" 2>&1
}

# A KTAP image whose pool size comes from its app.mk.
mkdir -p "$scratch/pool"
cat >"$scratch/pool/app.mk" <<'MK'
CO_POOL_SIZE       := 3
CO_POOL_STACK_SIZE := 2048
MK
cat >"$scratch/pool/main.c" <<'C'
#include "coro/coro.h"
#include "tests/qemu/lib/ktest.h"


static void idle(void *opaque)
{
    (void)opaque;
}

int main(void)
{
    int made = 0;

    kt_plan(1);
    while (co_create(idle, NULL) != NULL) {
        made++;
    }
    KT_EXPECT_EQ(made, 3, "app.mk's CO_POOL_SIZE sizes the pool");
    return kt_done();
}
C
mk "$scratch/pool" test-app
grep -q ' 1 passed, 0 failed$' "$scratch/out"
result $? "app.mk-sets-pool-size" "$(tail -n 3 "$scratch/out" | tr '\n' ' ')"

# A KTAP image with a failing test: make test-app must fail.
mkdir -p "$scratch/failing"
cat >"$scratch/failing/main.c" <<'C'
/* runner: name=planned-failure */
#include "tests/qemu/lib/ktest.h"

int main(void)
{
    kt_plan(1);
    KT_EXPECT_EQ(1 + 1, 3, "arithmetic");
    return kt_done();
}
C
if mk "$scratch/failing" test-app; then
    result 1 "test-app-fails-a-failing-image" "make test-app exited 0"
else
    grep -q '^not ok 1 .*failing/planned-failure' "$scratch/out"
    result $? "test-app-fails-a-failing-image" "no 'not ok' line for the run"
fi

# Two applications named "same": each its own build and its own output.
for parent in one two; do
    mkdir -p "$scratch/$parent/same"
    printf '#include <stdio.h>\nint main(void)\n{\n    printf("I am %s\\n");\n    return 0;\n}\n' \
        "$parent" >"$scratch/$parent/same/main.c"
    mk "$scratch/$parent/same" build
done
mk "$scratch/one/same" run
grep -q 'I am one' "$scratch/out"
result $? "same-folder-name-builds-apart" "the first application's image is the second's"

# A failed run says what its status means.
mkdir -p "$scratch/panics"
printf '#include "boot/kernel.h"\nint main(void)\n{\n    kernel_panic("on purpose");\n}\n' >"$scratch/panics/main.c"
if mk "$scratch/panics" run; then
    result 1 "run-explains-exit-status" "make run exited 0"
else
    grep -q '^make run: exit status 2: kernel panic' "$scratch/out"
    result $? "run-explains-exit-status" "no explanation of the status: $(tail -n 2 "$scratch/out" | tr '\n' ' ')"
fi

# A frame larger than ARMv7-M's 1 KiB stack guard could step over it
# unseen: it does not build for a Cortex-M board, and builds for
# qemu-virt, whose 4 KiB guards and stack probes catch any frame.
mkdir -p "$scratch/big_frame"
cat >"$scratch/big_frame/main.c" <<'C'
#include <string.h>

static __attribute__((noinline)) unsigned int fill(void)
{
    volatile unsigned char frame[2048];

    memset((void *)frame, 1, sizeof(frame));
    return frame[0];
}

int main(void)
{
    return (int)fill() - 1;
}
C
if mk "$scratch/big_frame" build BOARD=mps2-an386; then
    result 1 "cortex-m-refuses-a-frame-over-its-guard" "a 2 KiB frame built for mps2-an386"
else
    grep -q 'frame size of [0-9]* bytes is larger than 1024 bytes' "$scratch/out"
    result $? "cortex-m-refuses-a-frame-over-its-guard" "no frame-size error: $(grep -m 1 error "$scratch/out")"
fi
mk "$scratch/big_frame" run
result $? "qemu-virt-builds-and-runs-a-large-frame" "$(tail -n 2 "$scratch/out" | tr '\n' ' ')"

# A PATH without the commands named: every other command of PATH linked
# into one folder, with an apt-get and a sudo that only note that they
# were called (in $scratch/installs).
path_without() {
    local bin=$scratch/path-without-${*// /-} dir tool
    if [[ ! -d $bin ]]; then
        mkdir -p "$bin"
        IFS=: read -ra dirs <<<"$PATH"
        for dir in "${dirs[@]}"; do
            for tool in "$dir"/*; do
                [[ -x $tool && ! -e $bin/${tool##*/} && " $* apt-get sudo " != *" ${tool##*/} "* ]] || continue
                ln -s "$tool" "$bin/${tool##*/}"
            done
        done
        for tool in apt-get sudo; do
            printf '#!/bin/sh\necho "%s $*" >>"%s/installs"\n' "$tool" "$scratch" >"$bin/$tool"
            chmod +x "$bin/$tool"
        done
    fi
    echo "$bin"
}

# A goal needs only its own tools: `make -n run` neither misses the linter
# and the fuzzer's compiler nor installs them, and says nothing of tools.
rm -f "$scratch/installs"
PATH=$(path_without cppcheck clang) mk "$scratch/one/same" run -n
status=$?
if [[ $status -ne 0 || -e $scratch/installs ]] || grep -Eq 'install|missing|cppcheck|clang' "$scratch/out"; then
    result 1 "run-needs-only-its-tools" "status $status; $(cat "$scratch/installs" 2>/dev/null) $(grep -m 2 -E 'install|missing' "$scratch/out" | tr '\n' ' ')"
else
    result 0 "run-needs-only-its-tools"
fi

# A tool missing for the goal: make says which and how to get it, in one
# line, and installs nothing.
rm -f "$scratch/installs"
if PATH=$(path_without cppcheck clang) mk "$scratch/one/same" lint; then
    result 1 "missing-tool-named-not-installed" "make lint passed without cppcheck"
else
    [[ ! -e $scratch/installs ]] &&
        grep -q "missing cppcheck: run 'make deps' (every tool), or 'sudo apt-get install cppcheck'" "$scratch/out"
    result $? "missing-tool-named-not-installed" "$(cat "$scratch/installs" 2>/dev/null) $(tail -n 1 "$scratch/out")"
fi

# make deps installs every goal's tools, those of lint, fuzz and debug too.
rm -f "$scratch/installs"
PATH=$(path_without cppcheck clang gdb-multiarch) mk "$scratch/one/same" deps
grep -q 'apt-get install .*gdb-multiarch cppcheck clang' "$scratch/installs" 2>/dev/null
result $? "deps-installs-every-tool" "$(cat "$scratch/installs" 2>/dev/null) $(tail -n 1 "$scratch/out")"

# APP names no folder, or one without C sources: said before the link.
if mk /nonexistent run; then
    result 1 "app-that-does-not-exist" "make APP=/nonexistent run exited 0"
else
    grep -q '^Makefile:[0-9]*: \*\*\* APP=/nonexistent: the folder does not exist' "$scratch/out"
    result $? "app-that-does-not-exist" "$(tail -n 1 "$scratch/out")"
fi
mkdir -p "$scratch/empty"
if mk "$scratch/empty" build; then
    result 1 "app-without-sources" "an empty APP built"
else
    grep -q "APP=$scratch/empty: the folder has no .c files" "$scratch/out"
    result $? "app-without-sources" "$(tail -n 1 "$scratch/out")"
fi

# The board's limits, from its board.mk, refused before anything builds,
# each in one line; an unknown board lists the boards.
refused() {     # refused NAME EXPECTED-REGEX VAR=VALUE...: make build fails at once, saying so
    if mk "$scratch/one/same" build "${@:3}"; then
        result 1 "$1" "make ${*:3} build exited 0"
    elif [[ $(wc -l <"$scratch/out") -ne 1 ]] || ! grep -Eq -- "$2" "$scratch/out"; then
        result 1 "$1" "not the one line /$2/: $(head -n 2 "$scratch/out" | tr '\n' ' ')"
    else
        result 0 "$1"
    fi
}
refused "smp-over-the-board-maximum" 'SMP=5: board qemu-virt has at most 4 CPUs' SMP=5
refused "smp-on-a-one-cpu-board" 'SMP=2: board mps2-an386 has at most 1 CPU ' BOARD=mps2-an386 SMP=2
refused "soft-float-where-the-board-cannot" 'FLOAT=soft: board qemu-virt is built only with its own float ABI' FLOAT=soft
refused "unknown-board-lists-the-boards" 'BOARD=nosuch: .*the boards are: mps2-an386 netduinoplus2 qemu-virt' BOARD=nosuch
refused "tag-no-test-has" 'TAG=nosuch: no test has that tag; the tags are: .*smp' TAG=nosuch

# One test alone (T=, or ONLY=), its logs in a folder named after it.
logs=$root/build/qemu-virt-$opt/test-logs
mk "$scratch/one/same" test T=boot
if ! grep -q '^1\.\.2$' "$scratch/out" || ! grep -q "^ok [12] qemu-virt-$opt/boot$" "$scratch/out"; then
    result 1 "test-only-one" "not boot's two runs alone: $(grep -m 3 -E '^(1\.\.|ok|not ok)' "$scratch/out" | tr '\n' ' ')"
else
    result 0 "test-only-one"
fi
[[ -s $logs/boot/console.log && -s $logs/boot/exit-status/console.log ]]
result $? "test-logs-named-by-test" "no $logs/boot/console.log: $(ls "$logs" 2>/dev/null | head -n 3 | tr '\n' ' ')"

# A glob of tests that this build leaves out: each said, with the make
# command that runs it; nothing else runs.
mk "$scratch/one/same" test "ONLY=smp_[bf]*"
status=$?
if [[ $status -ne 0 ]] || grep -q '^ok' "$scratch/out"; then
    result 1 "test-glob-left-out-says-how-to-run" "status $status, or other tests ran: $(grep -m 2 '^ok' "$scratch/out")"
else
    grep -q "left out: smp_boot: needs SMP>=2: make SMP=2 test$" "$scratch/out" &&
        grep -q "left out: smp_fifo: needs SMP>=2: make SMP=2 test$" "$scratch/out"
    result $? "test-glob-left-out-says-how-to-run" "$(grep -m 2 'left out' "$scratch/out" | tr '\n' ' ')"
fi
mk "$scratch/one/same" test ONLY=smp_boot BOARD=mps2-an386
grep -q "left out: smp_boot: needs SMP>=2 armv7a: make BOARD=qemu-virt SMP=2 test$" "$scratch/out"
result $? "left-out-names-the-board-that-runs-it" "$(grep -m 1 'left out' "$scratch/out")"

# make debug: a command to copy (nothing left for the shell to expand),
# an image at -O0 unless OPT is given, and how to quit QEMU.
env -u RESULTS_FILE make -C "$root" --no-print-directory -n APP="$scratch/one/same" debug >"$scratch/out" 2>&1
if grep -q '\$(' "$scratch/out"; then
    result 1 "debug-command-is-expanded" "$(grep -m 1 '\$(' "$scratch/out")"
else
    grep -q 'make debug: qemu-system-arm .* -S -gdb tcp::[0-9]* -kernel build/qemu-virt-O0/app/' "$scratch/out" &&
        grep -q 'Ctrl-a x' "$scratch/out"
    result $? "debug-command-is-expanded" "no 'make debug: ...' at O0, or no Ctrl-a x: $(grep -m 1 'make debug' "$scratch/out")"
fi
mk "$scratch/one/same" debug -n
grep -q "make debug: .*-kernel build/qemu-virt-$opt/app/" "$scratch/out"
result $? "debug-keeps-a-given-opt" "$(grep -m 1 'make debug' "$scratch/out")"

# make debug-hw: gdb starts OpenOCD for the board's probe and loads the
# coroutine commands; without OpenOCD, or on a board with no probe, make
# says so before it builds.
mk "$scratch/one/same" debug-hw -n BOARD=netduinoplus2
grep -q "target extended-remote | openocd -f interface/stlink.cfg -f target/stm32f4x.cfg -c \"gdb_port pipe" "$scratch/out" &&
    grep -q 'source .*/scripts/gdb/coro.py' "$scratch/out" && grep -q '^gdb-multiarch -x build/gdbinit-hw$' "$scratch/out"
result $? "debug-hw-starts-openocd-and-coro-py" "$(grep -m 2 -E 'gdbinit-hw|openocd' "$scratch/out" | tr '\n' ' ')"
PATH=$(path_without openocd) mk "$scratch/one/same" debug-hw -n BOARD=netduinoplus2
grep -q "missing openocd: run 'make deps'" "$scratch/out"
result $? "debug-hw-without-openocd" "$(tail -n 1 "$scratch/out")"
mk "$scratch/one/same" debug-hw -n
grep -q 'board qemu-virt has no real board to reach .*boards with one: netduinoplus2' "$scratch/out"
result $? "debug-hw-on-a-board-without-a-probe" "$(tail -n 1 "$scratch/out")"

# make flash with no probe plugged in: one line that says what to check.
mkdir -p "$scratch/no-probe"
printf '#!/bin/sh\necho "Open On-Chip Debugger"\necho "Error: open failed"\nexit 1\n' >"$scratch/no-probe/openocd"
chmod +x "$scratch/no-probe/openocd"
mk "$scratch/one/same" build BOARD=netduinoplus2
if PATH=$scratch/no-probe:$PATH mk "$scratch/one/same" flash BOARD=netduinoplus2; then
    result 1 "flash-without-a-probe" "make flash exited 0"
else
    # What is said besides the command and make's own last word.
    grep -v -E -e '^make flash: openocd ' -e '^make(\[[0-9]+\])?: \*\*\*' "$scratch/out" >"$scratch/said"
    [[ $(wc -l <"$scratch/said") -eq 1 ]] && grep -q '(Error: open failed): check the USB cable of the probe, and that lsusb lists it' "$scratch/said"
    result $? "flash-without-a-probe" "$(tr '\n' ' ' <"$scratch/said")"
fi

# make help names the boards, the layouts and the variables.
mk "$scratch/one/same" help
missing_help=""
for word in "mps2-an386 netduinoplus2 qemu-virt" "LAYOUT=ram" "ram flash" OPT= SMP= FLOAT= ONLY= TAG=; do
    grep -q -- "$word" "$scratch/out" || missing_help+=" '$word'"
done
[[ -z $missing_help ]]
result $? "help-lists-boards-layouts-variables" "make help does not show$missing_help"

# make compdb: a compile_commands.json with every source's command.
rm -f "$root/compile_commands.json"
mk app/demo compdb
[[ $(head -c 1 "$root/compile_commands.json" 2>/dev/null) == "[" ]] &&
    grep -q '"file": "coro/coro.c", "command": "arm-none-eabi-gcc .*-DCONFIG_CPUS=1 .*-c coro/coro.c"' "$root/compile_commands.json" &&
    grep -q '"file": "app/demo/main.c"' "$root/compile_commands.json"
result $? "compdb-writes-compile-commands" "$(tail -n 1 "$scratch/out")"

# make IRQ_HOOK=1: the interrupt layer's hook point runs before each
# handler, on the line dispatched; an application defines it here.
mkdir -p "$scratch/irq_hook"
cat >"$scratch/irq_hook/main.c" <<'C'
#include "board/facts.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/ktest.h"

#include <stddef.h>

static volatile unsigned int hooked, hooked_first, handled;

void irq_dispatch_hook(unsigned int irq);
void irq_dispatch_hook(unsigned int irq)
{
    hooked += irq == BOARD_TEST_SOFT_IRQ(0);
    hooked_first += handled == hooked - 1;
}

static void count(void *arg)
{
    (void)arg;
    handled++;
}

int main(void)
{
    kt_plan(2);
    irq_register(BOARD_TEST_SOFT_IRQ(0), count, NULL);
    for (int i = 0; i < 10; i++) {
        irq_raise(BOARD_TEST_SOFT_IRQ(0));
    }
    KT_EXPECT(hooked == 10 && handled == 10, "the hook saw every interrupt, by its line");
    KT_EXPECT_EQ(hooked_first, 10, "each time before the handler");
    return kt_done();
}
C
mk "$scratch/irq_hook" test-app IRQ_HOOK=1
grep -q ' 1 passed, 0 failed$' "$scratch/out"
result $? "irq-hook-runs-before-each-handler" "$(tail -n 3 "$scratch/out" | tr '\n' ' ')"

# docs/porting.md's worked example, step by step: a copy of mps2-an386
# named "mine" builds and passes a test. The copy lives in the tree only
# while this runs.
mine_cleanup() { rm -rf "$root/board/mine" "$root/linker/mine-ram.ld.S" "$root/build/mine-$opt"; }
mine_cleanup
cp -r "$root/board/mps2-an386" "$root/board/mine" &&
    cp "$root/linker/mps2-an386-ram.ld.S" "$root/linker/mine-ram.ld.S" &&
    sed -i 's|^LDSCRIPT .*|LDSCRIPT       = linker/mine-$(LAYOUT).ld.S|' "$root/board/mine/board.mk" &&
    sed -i -e 's|"mps2-an386"|"mine"|' -e 's|BOARD_IS_MPS2_AN386|BOARD_IS_MINE|' "$root/board/mine/platform.h"
env -u RESULTS_FILE make -C "$root" --no-print-directory OPT="$opt" BOARD=mine test ONLY=boot >"$scratch/out" 2>&1
grep -Eq "^mine-$opt: [1-9][0-9]* passed, 0 failed" "$scratch/out"
result $? "porting-worked-example" "$(tail -n 2 "$scratch/out" | tr '\n' ' ')"
mine_cleanup

# The applications docs/ shows, built and run as a reader would, with the
# output each page promises (tests/make/doc_examples.py).
while read -r verdict name why; do
    [[ $verdict == ok ]]
    result $? "$name" "$why"
done < <("$root/tests/make/doc_examples.py" "$root" "$scratch" "$opt" | grep -E '^(ok|not ok) ' | sed 's/^not ok /not-ok /; s/ # / /')

# The STM32F4's layout is the chip's 128 KiB of SRAM, not QEMU's 192 KiB:
# the board's own application fits it and `make size` says by how much;
# 64 KiB more of data, which QEMU would hold, does not link, with a
# message that names the chip's SRAM, and `make flash` refuses it before
# its command runs. The same image links for mps2-an386 (4 MiB of RAM).
mk app/ticker size BOARD=netduinoplus2
grep -Eq '^ +sram: +[0-9]+ [KM]?B +128 KB' "$scratch/out" && ! grep -q '/tests/' "$scratch/out"
result $? "stm32f4-image-fits-the-chips-sram" "$(grep -m 1 -E 'sram|error' "$scratch/out")"
mkdir -p "$scratch/too_big"
cat >"$scratch/too_big/main.c" <<'C'
static volatile unsigned char planted[64 * 1024];

int main(void)
{
    planted[sizeof(planted) - 1] = 1;
    return planted[0];
}
C
sram_message="data and stacks do not fit in the STM32F405's 128 KiB of SRAM"
if mk "$scratch/too_big" build BOARD=netduinoplus2; then
    result 1 "stm32f4-refuses-an-image-over-128k-of-sram" "an image with 64 KiB more data linked for netduinoplus2"
else
    grep -q "$sram_message" "$scratch/out"
    result $? "stm32f4-refuses-an-image-over-128k-of-sram" "no message naming the SRAM: $(grep -m 1 'ld:' "$scratch/out")"
fi
if mk "$scratch/too_big" flash BOARD=netduinoplus2; then
    result 1 "flash-refuses-an-image-too-big-for-the-chip" "make flash exited 0"
else
    grep -q "$sram_message" "$scratch/out" && ! grep -q '^make flash: ' "$scratch/out"
    result $? "flash-refuses-an-image-too-big-for-the-chip" "$(tail -n 2 "$scratch/out" | tr '\n' ' ')"
fi
mk "$scratch/too_big" build BOARD=mps2-an386
result $? "the-same-image-links-with-more-ram" "$(grep -m 1 'ld:' "$scratch/out")"

if [[ -n ${RESULTS_FILE:-} ]]; then
    echo "$passed $failed" >>"$RESULTS_FILE"
fi
echo "make: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
