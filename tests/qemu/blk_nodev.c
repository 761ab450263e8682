/*
 * No block device attached: the probe looks at every slot, says so, and
 * returns -ENODEV, every time it is asked; other virtio devices (an RNG
 * here) are not mistaken for disks, and the block layer has no device to
 * give: calls on the NULL it gives return -ENODEV.
 *
 * requires: virtio
 * runner: name=legacy expect='virtio-blk: no block device on any of the 32 virtio-mmio transports'
 * runner: name=modern qemu='-global virtio-mmio.force-legacy=false' expect='virtio-blk: no block device on any of the 32 virtio-mmio transports'
 * runner: name=legacy-rng-only qemu='-device virtio-rng-device' expect='virtio-blk: no block device.*other virtio devices: 1'
 * runner: name=modern-rng-only qemu='-global virtio-mmio.force-legacy=false -device virtio-rng-device' expect='virtio-blk: no block device.*other virtio devices: 1'
 */
#include "drivers/virtio/blk.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>

int main(void)
{
    static char buf[512];

    kt_plan(7);
    KT_EXPECT_EQ(blk_probe(), -ENODEV, "probe: -ENODEV");
    KT_EXPECT_EQ(blk_probe(), -ENODEV, "probe again: the same answer");
    KT_EXPECT_EQ(blk_count(), 0, "no devices");
    KT_EXPECT(blk_get(0) == NULL, "blk_get(0) is NULL");
    KT_EXPECT_EQ(blk_read(blk_get(0), 0, buf, 1), -ENODEV, "read from it: -ENODEV");
    KT_EXPECT_EQ(blk_write(blk_get(0), 0, buf, 1), -ENODEV, "write to it: -ENODEV");
    KT_EXPECT_EQ(blk_flush(blk_get(0)), -ENODEV, "flush it: -ENODEV");
    return kt_done();
}
