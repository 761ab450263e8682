/*
 * What the fuzz harnesses share: the input read as a script of numbers,
 * and a check that stops the run, so that libFuzzer reports it as a crash
 * and keeps the input that caused it.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* libFuzzer calls this once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

struct fuzz_input {
    const uint8_t *data;
    size_t size;
};

static inline bool fuzz_more(const struct fuzz_input *in)
{
    return in->size > 0;
}

/* The next `bytes` bytes (1 to 8) as a little-endian number; zeroes past
 * the end, so that every input is a whole script. */
static inline uint64_t fuzz_take(struct fuzz_input *in, unsigned int bytes)
{
    uint64_t value = 0;

    for (unsigned int i = 0; i < bytes && in->size > 0; i++) {
        value |= (uint64_t)in->data[0] << (8 * i);
        in->data++;
        in->size--;
    }
    return value;
}

#endif
