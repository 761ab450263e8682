# One 8 MiB disk, serial blk-disk0: sectors 0-8191 hold the host's pattern
# 'p', the rest is zero. check(): the pattern is intact, the guest's 'w'
# writes (8192-10239) and its write-zeroes (12288-12543) are on the image.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/disk.img" 16384 8192 || return 1
    blk_drive "$RUN_DIR/disk.img" d0 blk-disk0
}

check() {
    blk_expect_pattern "$RUN_DIR/disk.img" p 0 8192 &&
        blk_expect_pattern "$RUN_DIR/disk.img" w 8192 2048 &&
        blk_expect_zero "$RUN_DIR/disk.img" 12288 256
}
