# One 8 MiB disk, serial blk-pattern, for tests that only read: sectors
# 0-8191 hold the host's pattern 'p'. check(): it is still there.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/disk.img" 16384 8192 || return 1
    blk_drive "$RUN_DIR/disk.img" d0 blk-pattern
}

check() {
    blk_expect_pattern "$RUN_DIR/disk.img" p 0 8192
}
