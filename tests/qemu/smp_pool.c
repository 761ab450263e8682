/*
 * Pool slots handed between CPUs. A coroutine from the pool gives its slot
 * back before its last switch off its stack, so another CPU may take the
 * slot at once: it must not repaint the stack (co_prepare()) or run on it
 * before that switch has saved sp (on_cpu, coro/internal.h). Otherwise
 * the old coroutine's CPU returns through a repainted frame, or the new
 * coroutine finds its stack written under it or starts at the old one's
 * sp: a fault, "terminated coroutine 'pool' was resumed", or a check
 * below.
 *
 * Spawners, one pinned to each CPU, call co_create() without pause, all
 * at once, so that a slot given back on one CPU is taken at once by
 * another (the free list is last-in-first-out). One run a way of starting
 * the children:
 *   nested    co_enter() from the spawner: they end on its CPU;
 *   unpinned  co_wake(): they run wherever a main loop takes them;
 *   pinned    spawners on the even CPUs only, each child pinned to the odd
 *             CPU after its spawner's: every slot is given back on one CPU
 *             and taken on another, as soon as a token lets the spawner;
 *   sleeping  co_wake(), and a sleep halfway, resumed on whichever CPU.
 * Every child fills a pattern on its stack, keeps it a while, and checks
 * it, its co_self() and its argument before it returns; each runs exactly
 * once, and the pool is full again at the end and never ran dry (each
 * spawner keeps few enough children alive that it cannot).
 *
 * requires: smp
 * tags: smp
 * runner: name=nested args=nested
 * runner: name=unpinned args=unpinned
 * runner: name=pinned args=pinned
 * runner: name=sleeping args=sleeping
 */
#include "boot/kernel.h"
#include "coro/coro.h"
#include "coro/semaphore.h"
#include "coro/time.h"
#include "tests/qemu/lib/ktest.h"

#include <stdio.h>
#include <string.h>

#define CHILDREN 10000u         /* per spawner */
/* Each sleeping child's sleep goes through CPU 0's timer: 10,000 a
 * spawner took 27 s on four CPUs, and this run fails in every boot
 * without the on_cpu wait with far fewer. */
#define CHILDREN_SLEEPING 2000u
#define PATTERN_WORDS 64u
#define HOLD_SPINS 64u          /* reads of the pattern between filling and checking it */
#define SLOTS_SEEN_MAX 64u

CO_DEFINE_ARRAY(spawners, CONFIG_CPUS, 2048);

enum round { NESTED, UNPINNED, PINNED, SLEEPING, ROUNDS };

static const char *const round_names[ROUNDS] = { "nested", "unpinned", "pinned", "sleeping" };
static enum round round;

struct child {
    struct co *co;              /* written by the spawner before it starts the child */
    uint32_t serial;
    uint8_t spawner;
    uint8_t runs;               /* times the child got to the end of its checks */
};

static struct child children[CONFIG_CPUS][CHILDREN];
static unsigned int children_each;      /* per spawner, this round */
static struct co_semaphore tokens[CONFIG_CPUS];     /* children a spawner may still start */

/* Counted from every CPU. */
static unsigned int wrong_self;
static unsigned int wrong_arg;
static unsigned int wrong_pattern;
static unsigned int pool_dry;
static unsigned int reused_elsewhere;   /* slot taken on another CPU than its last coroutine ended on */
static unsigned int ended_elsewhere;    /* child ended on another CPU than its spawner's */

/* Each slot seen, and the CPU its last coroutine ended on (+1; 0: none). */
static struct {
    struct co *co;
    unsigned int cpu;
} slots[SLOTS_SEEN_MAX];

static void count(unsigned int *counter, bool event)
{
    if (event) {
        __atomic_fetch_add(counter, 1u, __ATOMIC_RELAXED);
    }
}

static uint32_t serial_of(unsigned int spawner, unsigned int i)
{
    return (uint32_t)(spawner << 24 | i) * 2654435761u;
}

static uint32_t pattern_word(uint32_t serial, unsigned int w)
{
    return serial ^ (w * 0x01010101u);
}

/* Whether spawner id runs in this round. */
static bool spawns(unsigned int id)
{
    return round != PINNED || id % 2 == 0;
}

/* The entry of co in slots[], added if it is new; NULL once the table is
 * full (a pool larger than SLOTS_SEEN_MAX: its other slots go uncounted). */
static unsigned int *slot_cpu(struct co *co)
{
    for (unsigned int i = 0; i < SLOTS_SEEN_MAX; i++) {
        struct co *seen = __atomic_load_n(&slots[i].co, __ATOMIC_ACQUIRE);
        if (seen == NULL) {
            struct co *none = NULL;
            if (__atomic_compare_exchange_n(&slots[i].co, &none, co, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE)) {
                return &slots[i].cpu;
            }
            seen = none;
        }
        if (seen == co) {
            return &slots[i].cpu;
        }
    }
    return NULL;
}

static void child(void *opaque)
{
    struct child *c = opaque;
    struct co *self = co_self();
    /* volatile: in memory, on this stack, where a CPU still switching off
     * the slot's last coroutine, or one repainting the slot, would write. */
    volatile uint32_t pattern[PATTERN_WORDS];
    unsigned int index = (unsigned int)(c - &children[0][0]);
    unsigned int parent = index / CHILDREN;

    count(&wrong_arg, index >= CONFIG_CPUS * CHILDREN || c->spawner != parent ||
                          c->serial != serial_of(parent, index % CHILDREN));
    count(&wrong_self, c->co != self);
    for (unsigned int w = 0; w < PATTERN_WORDS; w++) {
        pattern[w] = pattern_word(c->serial, w);
    }
    if (round == SLEEPING) {
        co_sleep_us(1);     /* resumed by whichever CPU takes it first */
    } else {
        for (unsigned int spin = 0; spin < HOLD_SPINS; spin++) {
            (void)pattern[spin % PATTERN_WORDS];
        }
    }
    bool intact = true;
    for (unsigned int w = 0; w < PATTERN_WORDS; w++) {
        intact &= pattern[w] == pattern_word(c->serial, w);
    }
    count(&wrong_pattern, !intact);
    count(&wrong_self, co_self() != self || c->co != self);
    count(&ended_elsewhere, co_cpu_id() != parent);
    c->runs++;

    /* Nothing switches from here to the end: this is the CPU it ends on. */
    unsigned int *last = slot_cpu(self);
    if (last != NULL) {
        __atomic_store_n(last, co_cpu_id() + 1, __ATOMIC_RELEASE);
    }
    if (round != NESTED) {
        co_semaphore_post(&tokens[parent]);
    }
}

static void spawner(void *opaque)
{
    unsigned int id = (unsigned int)(uintptr_t)opaque;

    for (unsigned int i = 0; i < children_each; i++) {
        struct child *c = &children[id][i];

        if (round != NESTED) {
            co_semaphore_wait(&tokens[id]);
        }
        c->serial = serial_of(id, i);
        c->spawner = (uint8_t)id;
        c->runs = 0;
        struct co *co;
        while ((co = co_create(child, c)) == NULL) {
            count(&pool_dry, true);
            co_sleep_us(10);
        }
        const unsigned int *last = slot_cpu(co);
        if (last != NULL) {
            unsigned int ended_on = __atomic_load_n(last, __ATOMIC_ACQUIRE);
            count(&reused_elsewhere, ended_on != 0 && ended_on != co_cpu_id() + 1);
        }
        c->co = co;
        switch (round) {
        case NESTED:
            co_enter(co);   /* runs to its end here; then its slot is free */
            break;
        case PINNED:
            co_set_cpu(co, (int)((id + 1) % co_cpu_count()));
            co_wake(co);
            break;
        default:
            co_wake(co);
            break;
        }
    }
}

int main(void)
{
    const char *which = kernel_cmdline();

    for (round = NESTED; round < ROUNDS && strcmp(which, round_names[round]) != 0; round++) {
    }
    if (round == ROUNDS) {
        printf("smp_pool: no round '%s'\n", which);
        return 1;
    }
    /* Pinned children end on another CPU than the one that takes their
     * slot next. Nested ones end on their spawner's CPU, which takes the
     * slot back itself unless another CPU comes first, and unpinned ones
     * mostly run where they were woken: those runs count few such takes. */
    bool must_cross = round == PINNED || round == SLEEPING;
    children_each = round == SLEEPING ? CHILDREN_SLEEPING : CHILDREN;
    kt_plan(must_cross ? 4 : 3);

    unsigned int cpus = co_cpu_count();
    unsigned int pool_before = co_pool_free();
    unsigned int spawning = 0;
    for (unsigned int id = 0; id < cpus; id++) {
        spawning += spawns(id);
    }
    /* Slots in use at once: the children each spawner keeps alive, and at
     * most one a CPU that has posted its token and not yet given its slot
     * back. */
    unsigned int per_spawner = pool_before > cpus + spawning ? (pool_before - cpus) / spawning : 1;

    for (unsigned int id = 0; id < cpus; id++) {
        if (spawns(id)) {
            co_semaphore_init(&tokens[id], per_spawner, CO_WAIT_COROUTINE);
            struct co *co = co_init_element(spawners, id, spawner, (void *)(uintptr_t)id);
            co_set_cpu(co, (int)id);
            co_wake(co);
        }
    }
    KT_EXPECT_EQ(co_run(), 0, "co_run() returns 0 (no wakeup lost)");

    unsigned int once = 0;
    for (unsigned int id = 0; id < cpus; id++) {
        for (unsigned int i = 0; spawns(id) && i < children_each; i++) {
            once += children[id][i].runs == 1;
        }
    }
    printf("# %s: %u CPUs, %u pool slots, %u children, at most %u alive per spawner; %u ended on another CPU "
           "than their spawner's; %u slots taken on another CPU than they were given back on\n",
           which, cpus, pool_before, spawning * children_each, per_spawner, ended_elsewhere, reused_elsewhere);
    kt_result(once == spawning * children_each && wrong_self == 0 && wrong_arg == 0 && wrong_pattern == 0,
              "each child ran once, as itself, with its argument and its stack intact", __FILE__, __LINE__,
              "%u of %u children ran once; %u saw another co_self(), %u another argument, %u their stack "
              "pattern changed",
              once, spawning * children_each, wrong_self, wrong_arg, wrong_pattern);
    kt_result(co_pool_free() == pool_before && pool_dry == 0, "the pool is full again and never ran dry",
              __FILE__, __LINE__, "%u pool slots free, %u before; it ran dry %u times", co_pool_free(),
              pool_before, pool_dry);
    if (must_cross) {
        /* Otherwise the run did not test what it is for. */
        kt_result(reused_elsewhere >= spawning * children_each / 4, "slots given back on one CPU are taken on another",
                  __FILE__, __LINE__, "%u times in %u", reused_elsewhere, spawning * children_each);
    }
    return kt_done();
}
