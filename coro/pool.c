/*
 * The coroutine pool, for code that creates coroutines at run time: a fixed
 * number of stacks sized at build time (make CO_POOL_SIZE=n
 * CO_POOL_STACK_SIZE=bytes), handed out and taken back, never allocated.
 */
#include "coro/internal.h"

#ifndef CO_POOL_SIZE
#define CO_POOL_SIZE 16
#endif
#ifndef CO_POOL_STACK_SIZE
#define CO_POOL_STACK_SIZE 4096
#endif
_Static_assert(CO_POOL_STACK_SIZE % 8 == 0 && CO_POOL_STACK_SIZE >= CO_STACK_MIN,
               "CO_POOL_STACK_SIZE must be a multiple of 8 and at least CO_STACK_MIN");

GUARDED_STACKS(pool_stacks, "pool", CO_POOL_SIZE, CO_POOL_STACK_SIZE);
static struct co pool_slots[CO_POOL_SIZE];
static struct co *pool_free_list;
static unsigned int pool_free_count;
static bool pool_ready;
static struct spinlock pool_lock = SPINLOCK_INIT("pool");

/* Lock held: on first use. */
static void pool_setup(void)
{
    if (pool_ready) {
        return;
    }
    co_array_setup(pool_slots, CO_POOL_SIZE, "pool", GUARDED_STACK(pool_stacks, 0), sizeof(pool_stacks[0]),
                   CO_POOL_STACK_SIZE);
    for (unsigned int i = CO_POOL_SIZE; i-- > 0;) {
        struct co *co = &pool_slots[i];
        co->in_pool = 1;
        co->ready_next = pool_free_list;
        pool_free_list = co;
    }
    pool_free_count = CO_POOL_SIZE;
    pool_ready = true;
}

struct co *co_create_at(co_fn fn, void *opaque, const struct co_site *site)
{
    irq_flags_t flags = spin_lock_irqsave(&pool_lock);
    pool_setup();
    struct co *co = pool_free_list;
    if (co) {
        pool_free_list = co->ready_next;
        pool_free_count--;
    }
    spin_unlock_irqrestore(&pool_lock, flags);
    if (!co) {
        return NULL;
    }
    co->name = "pool";
    return co_prepare(co, fn, opaque, site);
}

void co_pool_release(struct co *co)
{
    irq_flags_t flags = spin_lock_irqsave(&pool_lock);
    co->ready_next = pool_free_list;
    pool_free_list = co;
    pool_free_count++;
    spin_unlock_irqrestore(&pool_lock, flags);
}

unsigned int co_pool_free(void)
{
    irq_flags_t flags = spin_lock_irqsave(&pool_lock);
    pool_setup();
    unsigned int free = pool_free_count;
    spin_unlock_irqrestore(&pool_lock, flags);
    return free;
}
