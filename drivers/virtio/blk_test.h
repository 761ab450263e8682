/*
 * For tests only: reach the device without the checks blk_*() make, to see
 * how the driver handles the statuses a well-behaved caller never causes.
 */
#ifndef DRIVERS_VIRTIO_BLK_TEST_H
#define DRIVERS_VIRTIO_BLK_TEST_H

#include "drivers/virtio/blk.h"

#include <stdint.h>

/* Sends a request of any type with no data buffer; returns what the
 * driver makes of the device's status (0, -EIO, -ENOTSUP). */
int blk_test_send_raw(struct blk_dev *dev, uint32_t type, uint64_t sector);

#endif
