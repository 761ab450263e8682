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

/* Puts the driver's count of used entries the ring's size plus one behind
 * the device's, as if the device had moved its used index past the ring:
 * the next completion finds the ring broken. */
void blk_test_skew_used_index(struct blk_dev *dev);

#endif
