/*
 * QEMU's coroutine semantics, after its tests/unit/test-coroutine.c:
 * create, in_coroutine, self, entered, nesting, yield ping-pong, the exact
 * order of events, lifecycle and reuse, no access after termination, and
 * the ready queue. Every coroutine a main loop resumes here is pinned to
 * CPU 0: the order they run in is defined on one CPU only.
 *
 * tags: smp
 */
#include "board/facts.h"
#include "coro/coro.h"
#include "coro/queue.h"
#include "tests/qemu/lib/ktest.h"

#include <string.h>

/* 128 deep, or 16 where that would not fit: a 192 KiB board (each takes
 * 2.2 KiB with its guard on ARMv7-M). */
#define NEST_DEPTH (BOARD_IMAGE_RAM_SIZE >= 0x100000 ? 128 : 16)

CO_DEFINE(worker, 2048);
CO_DEFINE(helper, 2048);
CO_DEFINE(spinner, 2048);
CO_DEFINE(twice, 2048);
CO_DEFINE(outer, 2048);
CO_DEFINE(inner, 2048);
CO_DEFINE_ARRAY(nest, NEST_DEPTH, 1024);

static void noop(void *opaque)
{
    (void)opaque;
}

/* --- in_coroutine, self, entered */

static bool seen_in_coroutine;
static struct co *seen_self;
static bool seen_entered_self;
static bool seen_worker_entered_from_helper;

static void observe(void *opaque)
{
    (void)opaque;
    seen_in_coroutine = co_in_coroutine();
    seen_self = co_self();
    seen_entered_self = co_entered(co_self());
}

static void enter_worker(void *opaque)
{
    (void)opaque;
    co_enter(&worker);
    seen_worker_entered_from_helper = co_entered(&helper);
}

/* --- nesting: each coroutine enters the next, down to NEST_DEPTH */

static unsigned int nest_max_depth;
static bool nest_chain_ok = true;

static void nest_down(void *opaque)
{
    unsigned int depth = (unsigned int)(uintptr_t)opaque;

    if (co_self() != &nest[depth] || !co_entered(&nest[depth])) {
        nest_chain_ok = false;
    }
    if (depth > nest_max_depth) {
        nest_max_depth = depth;
    }
    if (depth + 1 < NEST_DEPTH) {
        co_enter(co_init_element(nest, depth + 1, nest_down, (void *)(uintptr_t)(depth + 1)));
        /* Back from the whole chain below: we are still ourselves. */
        if (co_self() != &nest[depth]) {
            nest_chain_ok = false;
        }
    }
}

/* --- yield ping-pong */

static void count_yields(void *opaque)
{
    unsigned int *counter = opaque;

    for (;;) {
        (*counter)++;
        co_yield();
    }
}

/* --- order of events, as QEMU's test_order */

static int order[8];
static int order_len;

static void record(int step)
{
    order[order_len++] = step;
}

static void order_test(void *opaque)
{
    (void)opaque;
    record(21);
    co_yield();
    record(22);
}

/* --- ready queue */

static struct co *on_cpu0(struct co *co)
{
    co_set_cpu(co, 0);
    return co;
}

static char woken[8];

static void note_woken(void *opaque)
{
    strncat(woken, opaque, 1);
}

/* A coroutine that blocks below the first level of nesting: control goes
 * back to the coroutine that entered it, not to main. */
static struct co_queue inner_gate = CO_QUEUE_INITIALIZER;
static char nest_trace[8];

static void nest_note(char c)
{
    size_t len = strlen(nest_trace);
    nest_trace[len] = c;
    nest_trace[len + 1] = '\0';
}

static void inner_blocks(void *opaque)
{
    (void)opaque;
    nest_note('i');
    co_queue_wait(&inner_gate);
    nest_note('j');
}

static void outer_enters(void *opaque)
{
    (void)opaque;
    nest_note('a');
    co_enter(on_cpu0(co_init(&inner, inner_blocks, NULL)));
    nest_note('b');
}

/* Two waits in a row: the first ended by its own completion, the second
 * left pending for main to end. */
static co_ticket_t first_ticket;
static co_ticket_t second_ticket;
static int first_result;
static int second_result;

static void wait_twice(void *opaque)
{
    (void)opaque;
    first_ticket = co_wait_begin(CO_WAIT_COROUTINE);
    co_wait_complete(co_self(), first_ticket, 5);
    first_result = co_wait_end(first_ticket, CO_NO_DEADLINE);
    second_ticket = co_wait_begin(CO_WAIT_COROUTINE);
    second_result = co_wait_end(second_ticket, CO_NO_DEADLINE);
}

int main(void)
{
    kt_plan(25);

    co_enter(co_init(&worker, observe, NULL));
    KT_EXPECT(!co_in_coroutine(), "not in a coroutine in main");
    KT_EXPECT(seen_in_coroutine, "in a coroutine inside one");
    KT_EXPECT(seen_self == &worker, "self is the running coroutine");
    KT_EXPECT(co_self() != NULL && !co_entered(co_self()), "self in main is the main context");
    KT_EXPECT(seen_entered_self, "a running coroutine is entered");
    KT_EXPECT(co_terminated(&worker) && !co_entered(&worker), "a returned coroutine is terminated");

    co_init(&worker, observe, NULL);
    co_enter(co_init(&helper, enter_worker, NULL));
    KT_EXPECT(seen_worker_entered_from_helper, "the caller stays entered while its callee runs");

    co_enter(co_init_element(nest, 0, nest_down, (void *)0));
    KT_EXPECT_EQ(nest_max_depth, NEST_DEPTH - 1, "nesting NEST_DEPTH deep");
    KT_EXPECT(nest_chain_ok, "self and entered are right at every depth");

    unsigned int yields = 0;
    co_init(&worker, count_yields, &yields);
    for (unsigned int i = 0; i < 10000; i++) {
        co_enter(&worker);
    }
    KT_EXPECT_EQ(yields, 10000, "yield ping-pong 10000 times");
    KT_EXPECT_EQ(co_switch_count(&worker), 10000, "switch count");

    co_init(&helper, order_test, NULL);
    record(11);
    co_enter(&helper);
    record(12);
    co_enter(&helper);
    record(13);
    static const int expected_order[] = { 11, 21, 12, 22, 13 };
    KT_EXPECT(order_len == 5 && memcmp(order, expected_order, sizeof(expected_order)) == 0,
              "enter, yield and terminate happen in exactly that order");

    /* Lifecycle: a pool slot comes back when its coroutine terminates. */
    unsigned int free_before = co_pool_free();
    struct co *first = co_create(noop, NULL);
    co_enter(first);
    bool reused = true;
    for (int i = 0; i < 1000; i++) {
        struct co *co = co_create(noop, NULL);
        reused &= co == first;
        co_enter(co);
    }
    KT_EXPECT(reused, "a terminated pool coroutine's slot is reused 1000 times");
    KT_EXPECT_EQ(co_pool_free(), free_before, "no pool slot leaks");

    struct co *all[64];
    unsigned int taken = 0;
    while (taken < 64 && (all[taken] = co_create(noop, NULL)) != NULL) {
        taken++;
    }
    KT_EXPECT_EQ(taken, free_before, "the pool hands out exactly its size, then NULL");
    for (unsigned int i = 0; i < taken; i++) {
        co_enter(all[i]);
    }
    KT_EXPECT_EQ(co_pool_free(), free_before, "and takes every slot back");

    /* No access after termination: scribble over a terminated coroutine's
     * stack and keep switching; the kernel must not look at it again. */
    co_enter(co_init(&helper, noop, NULL));
    memset(helper.stack, 0x5a, helper.stack_size);
    co_init(&spinner, count_yields, &yields);
    for (int i = 0; i < 100; i++) {
        co_enter(&spinner);
    }
    KT_EXPECT(co_terminated(&helper), "a terminated coroutine stays untouched");

    /* The ready queue: woken coroutines run from the main loop, in order. */
    struct co *a = on_cpu0(co_create(note_woken, "a"));
    struct co *b = on_cpu0(co_create(note_woken, "b"));
    struct co *c = on_cpu0(co_create(note_woken, "c"));
    co_wake(b);
    co_wake(a);
    co_wake(c);
    co_wake(a);     /* already scheduled: a no-op */
    KT_EXPECT(woken[0] == '\0', "co_wake does not run the coroutine");
    KT_EXPECT_EQ(co_run(), 0, "co_run returns once nothing is left");
    KT_EXPECT(strcmp(woken, "bac") == 0, "woken coroutines run once each, in order");

    co_enter(co_init(&outer, outer_enters, NULL));
    nest_note('m');
    co_queue_next(&inner_gate);
    co_run();
    KT_EXPECT(strcmp(nest_trace, "aibmj") == 0, "a nested coroutine that blocks returns to the one that entered it");

    /* A completion for an older wait, while a newer one is pending, ends
     * nothing: only the current ticket does. */
    co_enter(on_cpu0(co_init(&twice, wait_twice, NULL)));
    KT_EXPECT(first_result == 5 && second_ticket != first_ticket, "a completion before co_wait_end is kept");
    KT_EXPECT(!co_wait_complete(&twice, first_ticket, 7), "a stale ticket completes nothing");
    co_run_ready();
    KT_EXPECT(!co_terminated(&twice), "and the newer wait goes on");
    KT_EXPECT(co_wait_complete(&twice, second_ticket, 9) && co_run_ready() == 1 &&
                  co_terminated(&twice) && second_result == 9,
              "the current ticket ends it, with its result");
    return kt_done();
}
