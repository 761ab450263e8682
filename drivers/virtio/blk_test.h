/*
 * For tests only: reach the device without the checks the block layer makes, to see
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

/* Mutes the device as one would that says it polls the ring and never
 * does (the used ring's NO_NOTIFY flag, and an avail_event it has passed,
 * written in its half of the ring): the driver tells it of no request
 * from now on, until the device is reset. What is sent stays in the ring
 * for blk_test_answer() or the timeout. */
void blk_test_mute(struct blk_dev *dev);

/* Plays a muted device for the request sent last: puts it on the used
 * ring saying len bytes were written, writes its status byte unless
 * status is negative (its data never), and runs the interrupt handler as
 * the device's interrupt would. Again for the same request: a second
 * completion of it. */
void blk_test_answer(struct blk_dev *dev, uint32_t len, int status);

#endif
