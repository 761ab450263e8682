#!/usr/bin/env python3
"""Writes the seed inputs of tests/fuzz/corpus/, in the scripts the
harnesses read (ring_fuzz.c, blk_check_fuzz.c): a few small cases each,
valid and hostile, for libFuzzer to start from. Run it again after
changing how a harness reads its input."""
import os
import struct

here = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(here, 'corpus', target), exist_ok=True)
    with open(os.path.join(here, 'corpus', target, name), 'wb') as f:
        f.write(data)


# ring_fuzz.c: a configuration byte (size 2 << (bits 0-2), 8 EVENT_IDX,
# 16 indirect), the 16-bit index the ring starts at, then steps.
EVENT_IDX, INDIRECT = 8, 16


def ring(config, start, *steps):
    return bytes([config]) + struct.pack('<H', start) + b''.join(steps)


def add(n, writes, table=False):
    """A chain of n buffers; bit i of writes: the device writes buffer i."""
    step = bytes([0, (n - 1) | (4 if table else 0), writes])
    for i in range(n):
        step += struct.pack('<QI', 0x40100000 + 0x1000 * i, (16, 4096, 1, 1)[i])
    return step


def complete(pick=0, length_plus_one=False, bad_id=None):
    """The device completes the pick-th chain it holds (or names bad_id)."""
    if bad_id is not None:
        return bytes([1, 1, pick]) + struct.pack('<I', bad_id)
    return bytes([1, 2 if length_plus_one else 0, pick])


def move_used_index(delta):
    return bytes([2, 0, delta & 0xff])


TAKE, KICK = bytes([3]), bytes([5])


def free(pick=0):
    return bytes([4, pick << 1])


# A read request's chain (header, data, status) on a ring of 8: added,
# notified, completed, taken (then the ring found empty), freed.
write('ring', 'request', ring(2, 0, add(3, 0b110), KICK, complete(), TAKE, TAKE, free()))
# EVENT_IDX and indirect tables, across the 16-bit wrap: two requests in
# flight, completed out of order, one with a length past its buffers.
write('ring', 'event_idx_indirect',
      ring(2 | EVENT_IDX | INDIRECT, 0xfffe, add(3, 0b110, True), add(2, 0b10, True), KICK,
           complete(1), complete(0, length_plus_one=True), TAKE, TAKE, TAKE, free(), free(), KICK))
# A device that names a chain it was never given: the ring breaks, the
# chains in flight come back failed, a new one is refused.
write('ring', 'bad_id', ring(1, 0, add(2, 0b10), add(1, 0b1), complete(bad_id=0x1000),
                             TAKE, TAKE, TAKE, free(), free(), add(1, 0)))
# A used index moved past the ring.
write('ring', 'bad_index', ring(1, 0, add(1, 0b1), move_used_index(100), TAKE, TAKE, free()))

# blk_check_fuzz.c: a shape byte (block of 1 << (bits 0-2) sectors, 8 the
# device writes, 16 programmed I/O), the capacity, the driver's memory (near an edge) and its
# size, then the buffer, the sector and the count, each near an edge of
# its own (the harness's lists): the edge's number, then a 64-bit offset.
DEVICE_WRITES = 8
PIO = 16
OWN_AT_DMA_START = 1
BUF_AT_DMA_START, BUF_AT_DMA_END, BUF_AT_OWN = 1, 3, 4
SECTOR_AT_ZERO, SECTOR_AT_CAPACITY = 0, 1
COUNT_AT_ZERO, COUNT_TO_CAPACITY, COUNT_AT_SIZE_MAX = 0, 1, 4


def near(edge, offset):
    return bytes([edge]) + struct.pack('<Q', offset % 2**64)


def transfer(shape, capacity, buf, sector, count):
    own = near(OWN_AT_DMA_START, 0x100000) + struct.pack('<I', 0x80000)
    return bytes([shape]) + struct.pack('<Q', capacity) + own + buf + sector + count


# 8 sectors read into RAM from a 16 MiB disk: accepted.
write('blk_check', 'read', transfer(DEVICE_WRITES, 32768, near(BUF_AT_DMA_START, 0x200000),
                                    near(SECTOR_AT_ZERO, 8), near(COUNT_AT_ZERO, 8)))
# A read into the code at the start of RAM: -EFAULT.
write('blk_check', 'read_into_code', transfer(DEVICE_WRITES, 32768, near(BUF_AT_DMA_START, 0),
                                              near(SECTOR_AT_ZERO, 0), near(COUNT_AT_ZERO, 8)))
# The disk's last 4 KiB block written from the DMA region's last 4 KiB: accepted.
write('blk_check', 'write_at_the_ends', transfer(3, 32768, near(BUF_AT_DMA_END, -4096),
                                                 near(SECTOR_AT_CAPACITY, -8),
                                                 near(COUNT_TO_CAPACITY, 0)))
# A count whose bytes do not fit in a size_t: -EFAULT.
write('blk_check', 'wrap', transfer(0, 2**64 - 1, near(BUF_AT_DMA_START, 0x200000),
                                    near(SECTOR_AT_ZERO, 0), near(COUNT_AT_SIZE_MAX, 1)))
# Programmed I/O from below the DMA region, where no device reaches: accepted.
write('blk_check', 'pio_outside_dma', transfer(PIO, 32768, near(BUF_AT_DMA_START, -0x10000),
                                               near(SECTOR_AT_ZERO, 0), near(COUNT_AT_ZERO, 8)))
# A buffer whose last sector is the driver's first: -EFAULT.
write('blk_check', 'overlap', transfer(0, 32768, near(BUF_AT_OWN, -512), near(SECTOR_AT_ZERO, 0),
                                       near(COUNT_AT_ZERO, 2)))
