/*
 * The virtio-mmio transport on its own (hooks/blk_plain.sh): the block
 * device is found in its slot with the expected transport version; a
 * handshake that cannot succeed (we require the packed ring, which QEMU
 * does not offer) leaves FAILED set with a message; a good one negotiates
 * VIRTIO_F_VERSION_1 on a modern device only and sets FEATURES_OK there;
 * queue sizes and layouts are checked; afterwards the block driver resets
 * the device and uses it.
 *
 * requires: virtio
 * runner: name=legacy hook=blk_plain args='version=1' expect='feature negotiation failed: status FAILED'
 * runner: name=modern hook=blk_plain args='version=2' qemu='-global virtio-mmio.force-legacy=false' expect='feature negotiation failed: status FAILED'
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "drivers/virtio/blk.h"
#include "drivers/virtio/mmio.h"
#include "tests/qemu/blk_common.h"
#include "tests/qemu/lib/ktest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

CO_DEFINE(reader, 8192);

static uint8_t buf[4 * BLK_SECTOR_SIZE];
static int read_result = 1;

static void read_some(void *opaque)
{
    read_result = blk_read(opaque, 4, buf, 4);
}

/* The transport QEMU put the disk in. */
static bool find_disk(struct virtio_mmio *m)
{
    for (unsigned int i = 0; i < virtio_mmio_transport_count(); i++) {
        if (virtio_mmio_probe(m, virtio_mmio_transport(i)) == 0 && m->device_id == VIRTIO_ID_BLOCK) {
            return true;
        }
    }
    return false;
}

int main(void)
{
    const char *version_arg = strstr(kernel_cmdline(), "version=");
    uint32_t version = version_arg != NULL ? (uint32_t)atoi(version_arg + 8) : 0;
    struct virtio_mmio m;

    kt_plan(24);
    if (!KT_EXPECT(find_disk(&m), "a block device in some slot")) {
        return kt_done();
    }
    KT_EXPECT_EQ(m.version, version, "transport version");

    KT_EXPECT_EQ(virtio_mmio_negotiate(&m, 0, VIRTIO_BIT(VIRTIO_F_RING_PACKED)), -ENOTSUP,
                 "requiring a feature the device lacks fails");
    KT_EXPECT(virtio_mmio_status(&m) & VIRTIO_STATUS_FAILED, "and sets FAILED");

    uint64_t wanted = VIRTIO_BIT(VIRTIO_F_EVENT_IDX);
    KT_EXPECT_EQ(virtio_mmio_negotiate(&m, wanted, 0), 0, "a handshake that can succeed");
    uint32_t status = virtio_mmio_status(&m);
    KT_EXPECT((status & VIRTIO_STATUS_FAILED) == 0, "the reset cleared FAILED");
    KT_EXPECT((status & (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER)) ==
                  (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER),
              "ACKNOWLEDGE and DRIVER");
    KT_EXPECT_EQ((status & VIRTIO_STATUS_FEATURES_OK) != 0, version == 2,
                 "FEATURES_OK on modern only");
    KT_EXPECT_EQ(virtio_mmio_has(&m, VIRTIO_F_VERSION_1), version == 2, "VERSION_1 on modern only");
    KT_EXPECT(virtio_mmio_has(&m, VIRTIO_F_EVENT_IDX), "EVENT_IDX accepted");
    KT_EXPECT((m.features & ~(wanted | VIRTIO_BIT(VIRTIO_F_VERSION_1))) == 0,
              "nothing we did not ask for");
    KT_EXPECT_EQ(virtio_mmio_config_read64(&m, 0), 2048, "capacity from the config space");

    KT_EXPECT(virtio_mmio_queue_max(&m, 0) >= 2, "queue 0 exists");
    KT_EXPECT_EQ(virtio_mmio_queue_max(&m, 7), 0, "queue 7 does not");
    KT_EXPECT_EQ(virtio_mmio_queue_setup(&m, 0, 3, 0x40100000, 0x40100030, 0x40101000), -EINVAL,
                 "a queue size that is not a power of two");
    if (version == 1) {
        KT_EXPECT_EQ(virtio_mmio_queue_setup(&m, 0, 4, 0x40100000, 0x40100040, 0x40100100),
                     -EINVAL, "legacy: a used ring off the page boundary");
    } else {
        KT_EXPECT_EQ(virtio_mmio_queue_setup(&m, 7, 4, 0x40100000, 0x40100040, 0x40100100),
                     -EINVAL, "modern: a queue that does not exist");
    }
    KT_EXPECT((virtio_mmio_status(&m) & VIRTIO_STATUS_DRIVER_OK) == 0, "not started");

    KT_EXPECT_EQ(blk_probe(), 1, "the block driver takes the device over");
    co_enter(co_init(&reader, read_some, blk_get(0)));
    KT_EXPECT_EQ(co_run(), 0, "co_run");
    KT_EXPECT_EQ(read_result, 0, "and reads");
    KT_EXPECT_EQ(blkt_check(buf, 4, 4, 'p'), -1, "the right data");
    blkt_expect_idle(blk_get(0), "idle, nothing leaked");
    return kt_done();
}
