# Two disks for the error paths:
#   blk-err  2048 sectors of pattern 'p' behind blkdebug, which fails every
#            read that touches sector 1000 with EIO (the device says IOERR);
#   blk-4k   4 MiB with 4096-byte logical blocks, discard and write-zeroes
#            turned off.
# check(): neither image was written.
# shellcheck source=tests/qemu/hooks/blk_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/blk_lib.sh"

setup() {
    blk_make_disk "$RUN_DIR/err.img" 2048 2048 && blk_make_disk "$RUN_DIR/4k.img" 8192 8192 || return 1
    printf '[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "1000"\n' >"$RUN_DIR/blkdebug.conf"
    blk_drive "blkdebug:$RUN_DIR/blkdebug.conf:$RUN_DIR/err.img" de blk-err
    blk_drive "$RUN_DIR/4k.img" d4 blk-4k "" \
        logical_block_size=4096,physical_block_size=4096,discard=off,write-zeroes=off
}

check() {
    blk_expect_pattern "$RUN_DIR/err.img" p 0 2048 &&
        blk_expect_pattern "$RUN_DIR/4k.img" p 0 8192
}
