/*
 * Coroutines ordered by deadline: a pairing heap linked through the
 * coroutines themselves, so it needs no storage of its own and no bound on
 * its size. Insert O(1); removing the earliest or any other O(log n)
 * amortised. Equal deadlines leave in the order they came. Not for
 * applications: coro/time.c uses it with IRQs masked.
 */
#ifndef CORO_DEADLINE_HEAP_H
#define CORO_DEADLINE_HEAP_H

#include "coro/co_types.h"

struct deadline_heap {
    struct co *root;    /* the earliest deadline */
    uint32_t next_seq;
};

void deadline_heap_insert(struct deadline_heap *heap, struct co *co);
void deadline_heap_remove(struct deadline_heap *heap, struct co *co);

static inline struct co *deadline_heap_first(const struct deadline_heap *heap)
{
    return heap->root;
}

#endif
