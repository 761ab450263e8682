# Two zeroed disks at once: blk-a (4096 sectors) and blk-b (8192 sectors).
# check(): each holds its own pattern where the guest wrote it, and
# nothing of the other's.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/a.img" 4096 0 && blk_make_disk "$RUN_DIR/b.img" 8192 0 || return 1
    blk_drive "$RUN_DIR/a.img" da blk-a
    blk_drive "$RUN_DIR/b.img" db blk-b
}

check() {
    blk_expect_pattern "$RUN_DIR/a.img" a 0 1024 &&
        blk_expect_zero "$RUN_DIR/a.img" 1024 3072 &&
        blk_expect_pattern "$RUN_DIR/b.img" b 0 1024 &&
        blk_expect_zero "$RUN_DIR/b.img" 1024 7168
}
