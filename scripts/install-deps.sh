#!/usr/bin/env bash
# The tools this project builds, runs and checks with, as Debian's or
# Ubuntu's packages, in groups by what needs them.
#
#   scripts/install-deps.sh [GROUP...]          install what is missing (make deps: every group)
#   scripts/install-deps.sh --check GROUP...    say in one line what is missing, install nothing
#
# make runs --check with the groups of the goals it was given, so a goal
# needs only its own tools, and says nothing when they are all there.
set -euo pipefail

# group  package                 the command (or file, a glob) that shows it is installed
wanted=(
    "arm     make                    make"
    "arm     gcc-arm-none-eabi       arm-none-eabi-gcc"
    "arm     libnewlib-arm-none-eabi /usr/lib/arm-none-eabi/newlib/libc_nano.a"
    "qemu    qemu-system-arm         qemu-system-arm"
    # the disk images of app/demo and of the block benchmarks
    "qemu    qemu-utils              qemu-img"
    # make debug and the tests driven by gdb (tests/qemu/gdb/)
    "gdb     gdb-multiarch           gdb-multiarch"
    # make flash and make debug-hw: a real board through its debug probe
    "probe   openocd                 openocd"
    "lint    cppcheck                cppcheck"
    # make fuzz: the host's compiler, and its libFuzzer and sanitizer runtimes
    "fuzz    clang                   clang"
    "fuzz    libclang-rt-14-dev      /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a"
)

check=0
if [[ ${1:-} == --check ]]; then
    check=1
    shift
fi
groups=" $* "

missing=()
missing_probes=()
for entry in "${wanted[@]}"; do
    read -r group package probe <<<"$entry"
    [[ $groups == "  " || $groups == *" $group "* ]] || continue
    if [[ $probe == /* ]]; then
        compgen -G "$probe" >/dev/null && continue
    else
        command -v "$probe" >/dev/null 2>&1 && continue
    fi
    missing+=("$package")
    missing_probes+=("${probe##*/}")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi
if [[ $check -eq 1 ]]; then
    echo "missing ${missing_probes[*]}: run 'make deps' (every tool), or 'sudo apt-get install ${missing[*]}'"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
