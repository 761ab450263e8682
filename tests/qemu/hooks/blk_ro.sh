# A read-only disk (readonly=on), serial blk-ro, all pattern 'p'.
# check(): the image is exactly as the host made it.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/ro.img" 2048 2048 || return 1
    blk_drive "$RUN_DIR/ro.img" d0 blk-ro readonly=on
}

check() {
    blk_expect_pattern "$RUN_DIR/ro.img" p 0 2048
}
