#!/usr/bin/env bash
# Says what an image's exit status means (boot/kernel.h, enum
# kernel_exit_status): used by `make run` and the test runner.
#
#   scripts/exit-status.sh STATUS
case ${1:?usage: exit-status.sh STATUS} in
    0) echo "exit status 0: main() returned 0" ;;
    1) echo "exit status 1: the application or a test failed (main() returned 1)" ;;
    2) echo "exit status 2: kernel panic: API misuse or a broken invariant (see PANIC above)" ;;
    3) echo "exit status 3: fault: abort, undefined instruction or stray exception (see FAULT above)" ;;
    124 | 137) echo "exit status $1: the run timed out" ;;
    *) echo "exit status $1: main() returned $1, or QEMU itself failed" ;;
esac
