#!/usr/bin/env bash
# What an application writer does with make, tried on scratch applications
# outside the tree: settings from app.mk, two applications of one folder
# name, an application that is a KTAP test image (make test-app), and what
# `make run` says of a failed run. Ends with "N passed, N failed".
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
