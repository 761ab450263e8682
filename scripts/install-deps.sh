#!/usr/bin/env bash
# Installs the tools this project builds and runs with, from Debian's or
# Ubuntu's archive by package name, and only those that are missing.
# `make` calls it by itself when a tool is missing; run it by hand to set up.
set -euo pipefail

# package           the command (or file, a glob) that shows it is installed
wanted=(
    "gcc-arm-none-eabi       arm-none-eabi-gcc"
    "libnewlib-arm-none-eabi /usr/lib/arm-none-eabi/newlib/libc_nano.a"
    "qemu-system-arm         qemu-system-arm"
    "qemu-utils              qemu-img"
    "make                    make"
    "gdb-multiarch           gdb-multiarch"
    "cppcheck                cppcheck"
    # make fuzz: the host's compiler, and its libFuzzer and sanitizer runtimes
    "clang                   clang"
    "libclang-rt-14-dev      /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a"
)

missing=()
for entry in "${wanted[@]}"; do
    read -r package probe <<<"$entry"
    if [[ $probe == /* ]]; then
        compgen -G "$probe" >/dev/null && continue
    else
        command -v "$probe" >/dev/null 2>&1 && continue
    fi
    missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
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
