# One 8 MiB disk as in blk_disk.sh. check(): the host's pattern is intact
# and the final pattern 'f' every stress worker wrote over its region
# (sectors 8192-12287) and flushed is on the image: nothing lost.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/disk.img" 16384 8192 || return 1
    blk_drive "$RUN_DIR/disk.img" d0 blk-stress
}

check() {
    blk_expect_pattern "$RUN_DIR/disk.img" p 0 8192 &&
        blk_expect_pattern "$RUN_DIR/disk.img" f 8192 4096 &&
        blk_expect_zero "$RUN_DIR/disk.img" 12288 4096
}
