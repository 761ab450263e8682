#include "coro/deadline_heap.h"

#include <stddef.h>

static int earlier(const struct co *a, const struct co *b)
{
    if (a->deadline_ns != b->deadline_ns) {
        return a->deadline_ns < b->deadline_ns;
    }
    return (int32_t)(a->timer_seq - b->timer_seq) < 0;
}

/* Joins two heaps (roots without siblings); the later root becomes the
 * first child of the earlier one. */
static struct co *meld(struct co *a, struct co *b)
{
    if (!a) {
        return b;
    }
    if (!b) {
        return a;
    }
    if (earlier(b, a)) {
        struct co *t = a;
        a = b;
        b = t;
    }
    b->timer_prev = a;
    b->timer_sibling = a->timer_child;
    if (a->timer_child) {
        a->timer_child->timer_prev = b;
    }
    a->timer_child = b;
    return a;
}

/* The standard two passes over a list of sibling heaps: meld them in pairs
 * left to right, then the pairs right to left. Iterative: no recursion on
 * whatever stack we are on. */
static struct co *merge_siblings(struct co *first)
{
    struct co *pairs = NULL;

    while (first) {
        struct co *a = first;
        struct co *b = a->timer_sibling;
        first = b ? b->timer_sibling : NULL;
        a->timer_sibling = a->timer_prev = NULL;
        if (b) {
            b->timer_sibling = b->timer_prev = NULL;
            a = meld(a, b);
        }
        a->timer_sibling = pairs;
        pairs = a;
    }
    struct co *result = NULL;
    while (pairs) {
        struct co *next = pairs->timer_sibling;
        pairs->timer_sibling = NULL;
        result = meld(result, pairs);
        pairs = next;
    }
    return result;
}

void deadline_heap_insert(struct deadline_heap *heap, struct co *co)
{
    co->timer_child = co->timer_sibling = co->timer_prev = NULL;
    co->timer_seq = heap->next_seq++;
    heap->root = meld(heap->root, co);
}

void deadline_heap_remove(struct deadline_heap *heap, struct co *co)
{
    struct co *children = merge_siblings(co->timer_child);

    co->timer_child = NULL;
    if (co == heap->root) {
        heap->root = children;
        return;
    }
    /* Unlink co from its parent's list of children. */
    if (co->timer_prev->timer_child == co) {
        co->timer_prev->timer_child = co->timer_sibling;
    } else {
        co->timer_prev->timer_sibling = co->timer_sibling;
    }
    if (co->timer_sibling) {
        co->timer_sibling->timer_prev = co->timer_prev;
    }
    co->timer_sibling = co->timer_prev = NULL;
    heap->root = meld(heap->root, children);
}
