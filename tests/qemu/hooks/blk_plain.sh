# One small disk, serial blk-plain, all pattern 'p'. check(): unchanged.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/disk.img" 2048 2048 || return 1
    blk_drive "$RUN_DIR/disk.img" d0 blk-plain
}

check() {
    blk_expect_pattern "$RUN_DIR/disk.img" p 0 2048
}
