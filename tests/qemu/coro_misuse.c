/*
 * Each misuse of the coroutine API stops the kernel with a message naming
 * the coroutine, the file and the line, and exit status 2. One run a case.
 *
 * runner: name=enter-running args=enter-running status=2 expect='PANIC: co_enter of a running coroutine \(already entered\): coroutine .selfish. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=enter-terminated args=enter-terminated status=2 expect='PANIC: co_enter of a terminated coroutine: coroutine .victim. \(terminated\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=enter-uninitialised args=enter-uninitialised status=2 expect='PANIC: co_enter of a coroutine that was never initialised: coroutine .victim. \(new\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=enter-waiting args=enter-waiting status=2 expect='PANIC: co_enter of a coroutine blocked in a wait: coroutine .victim. \(waiting\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=enter-uninitialised-element args=enter-uninitialised-element status=2 expect='PANIC: co_enter of a coroutine that was never initialised: coroutine .crowd. \(new\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=enter-main args=enter-main status=2 expect='PANIC: co_enter of the main context: coroutine .main. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=yield-outside args=yield-outside status=2 expect='PANIC: co_yield outside a coroutine: coroutine .main. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=sleep-outside args=sleep-outside status=2 expect='PANIC: blocking outside a coroutine \(the main context and interrupt handlers cannot wait\): coroutine .main. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-yield args=irq-yield status=2 expect='PANIC: co_yield in an interrupt handler: coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-enter args=irq-enter status=2 expect='PANIC: a coroutine switch in an interrupt handler \(called from 0x[0-9a-f]+\)'
 * runner: name=irq-sleep args=irq-sleep status=2 expect='PANIC: blocking outside a coroutine .*: coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=pool-reinit args=pool-reinit status=2 expect='PANIC: co_init of a pool coroutine \(co_create takes a fresh one\): coroutine .pool. \(terminated\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=wait-twice args=wait-twice status=2 expect='PANIC: co_wait_begin while this coroutine.s last wait has not ended: coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=sleep-forever args=sleep-forever status=1 expect='co_run: 1 coroutine\(s\) blocked with nothing left to wake them'
 * runner: name=init-live args=init-live status=2 expect='PANIC: co_init of a coroutine that has not terminated: coroutine .victim. \(suspended\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=wake-waiting args=wake-waiting status=2 expect='PANIC: co_wake of a coroutine that is not suspended: coroutine .victim. \(waiting\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=unlock-not-owner args=unlock-not-owner status=2 expect='PANIC: co_mutex_unlock by a coroutine that does not own the mutex: coroutine .intruder. at tests/qemu/coro_misuse.c:[0-9]+ \(owner: victim\)$'
 * runner: name=lock-twice args=lock-twice status=2 expect='PANIC: co_mutex_lock of a mutex this coroutine already holds: coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=rwlock-unlock-free args=rwlock-unlock-free status=2 expect='PANIC: co_rwlock_unlock of a lock nobody holds: coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=rwlock-unlock-writer args=rwlock-unlock-writer status=2 expect='PANIC: co_rwlock_unlock of a write lock another coroutine holds: coroutine .intruder. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=rwlock-unlock-reader args=rwlock-unlock-reader status=2 expect='PANIC: co_rwlock_unlock of a read lock this coroutine does not hold: coroutine .intruder. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=rwlock-unlock-other-reader args=rwlock-unlock-other-reader status=2 expect='PANIC: co_rwlock_unlock of a read lock this coroutine does not hold: coroutine .intruder. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=rwlock-lock-outside args=rwlock-lock-outside status=2 expect='PANIC: co_rwlock lock outside a coroutine: coroutine .main. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=rwlock-too-many-readers args=rwlock-too-many-readers status=2 expect='PANIC: co_rwlock_rdlock beyond CO_READ_LOCKS_MAX read locks held at once: coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=return-holding-lock args=return-holding-lock status=2 expect='PANIC: coroutine .victim. returned holding 1 lock\(s\): nobody can release them now'
 * runner: name=deadlock args=deadlock status=1 expect='co_run: 1 coroutine\(s\) blocked with nothing left to wake them'
 * runner: name=semaphore-wait-outside args=semaphore-wait-outside status=2 expect='PANIC: co_semaphore_wait outside a coroutine: coroutine .main. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-semaphore-post args=irq-semaphore-post status=2 expect='PANIC: co_semaphore_post in an interrupt handler of a semaphore defined as posted by coroutines \(CO_WAIT_COROUTINE\): coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-wake args=irq-wake status=2 expect='PANIC: co_wake in an interrupt handler \(complete a wait with co_wait_complete\(\)\): coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-mutex-trylock args=irq-mutex-trylock status=2 expect='PANIC: co_mutex_trylock outside a coroutine: coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-queue-next args=irq-queue-next status=2 expect='PANIC: co_queue_next in an interrupt handler \(complete a wait with co_wait_complete\(\), or post a semaphore defined CO_WAIT_IRQ\): coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=irq-queue-restart-all args=irq-queue-restart-all status=2 expect='PANIC: co_queue_restart_all in an interrupt handler \(complete each wait with co_wait_complete\(\)\): coroutine .interrupt handler. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=mutex-trylock-outside args=mutex-trylock-outside status=2 expect='PANIC: co_mutex_trylock outside a coroutine: coroutine .main. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=block-irqs-masked args=block-irqs-masked status=2 expect='PANIC: blocking with IRQs masked \(irq_save\(\), or a spinlock held across the call\): coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=block-spinlock-held args=block-spinlock-held status=2 expect='PANIC: blocking with IRQs masked \(irq_save\(\), or a spinlock held across the call\): coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=run-in-coroutine args=run-in-coroutine status=2 expect='PANIC: co_run outside the main context: coroutine .victim. \(running\) at tests/qemu/coro_misuse.c:[0-9]+$'
 * runner: name=no-misuse args=none status=0 expect='^no misuse$'
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "boot/spinlock.h"
#include "coro/coro.h"
#include "coro/mutex.h"
#include "coro/queue.h"
#include "coro/rwlock.h"
#include "coro/semaphore.h"
#include "coro/time.h"
#include "drivers/irq.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

CO_DEFINE(selfish, 2048);
CO_DEFINE(victim, 2048);
CO_DEFINE(intruder, 2048);
CO_DEFINE_ARRAY(crowd, 2, 1024);

static struct co_mutex mutex = CO_MUTEX_INITIALIZER;
static struct co_rwlock rwlock = CO_RWLOCK_INITIALIZER;
static struct co_rwlock other_rwlocks[CO_READ_LOCKS_MAX] = {
    [0 ... CO_READ_LOCKS_MAX - 1] = CO_RWLOCK_INITIALIZER,
};
static struct co_queue queue = CO_QUEUE_INITIALIZER;
static struct co_semaphore semaphore = CO_SEMAPHORE_INITIALIZER(0, CO_WAIT_COROUTINE);

static void enter_self(void *opaque)
{
    (void)opaque;
    co_enter(co_self());
}

static void do_nothing(void *opaque)
{
    (void)opaque;
}

static void yield_once(void *opaque)
{
    (void)opaque;
    co_yield();
}

static void wait_forever(void *opaque)
{
    (void)opaque;
    co_queue_wait(&queue);
}

static void lock_and_yield(void *opaque)
{
    (void)opaque;
    co_mutex_lock(&mutex);
    co_yield();
}

static void unlock_not_mine(void *opaque)
{
    (void)opaque;
    co_mutex_unlock(&mutex);
}

static void lock_twice(void *opaque)
{
    (void)opaque;
    co_mutex_lock(&mutex);
    co_mutex_lock(&mutex);
}

static void unlock_free_rwlock(void *opaque)
{
    (void)opaque;
    co_rwlock_unlock(&rwlock);
}

/* Takes the rwlock, for writing if opaque is not NULL, and keeps it. */
// cppcheck-suppress constParameter ; the signature is co_fn's
static void hold_rwlock(void *opaque)
{
    if (opaque != NULL) {
        co_rwlock_wrlock(&rwlock);
    } else {
        co_rwlock_rdlock(&rwlock);
    }
    co_yield();
}

/* Holds a read lock on another rwlock, then unlocks `rwlock`, which
 * only someone else holds for reading. */
static void unlock_with_other_read_lock(void *opaque)
{
    (void)opaque;
    co_rwlock_rdlock(&other_rwlocks[0]);
    co_rwlock_unlock(&rwlock);
}

static void read_lock_too_many(void *opaque)
{
    (void)opaque;
    for (unsigned int i = 0; i < CO_READ_LOCKS_MAX; i++) {
        co_rwlock_rdlock(&other_rwlocks[i]);
    }
    co_rwlock_rdlock(&rwlock);
}

static void lock_and_return(void *opaque)
{
    (void)opaque;
    co_mutex_lock(&mutex);
}

static void wait_twice(void *opaque)
{
    (void)opaque;
    co_wait_begin(CO_WAIT_COROUTINE);
    co_wait_begin(CO_WAIT_COROUTINE);
}

/* A critical section that blocks: another coroutine would run inside it. */
static void sleep_irqs_masked(void *opaque)
{
    (void)opaque;
    irq_flags_t flags = irq_save();
    co_sleep_ms(1);
    irq_restore(flags);
}

static struct spinlock app_lock = SPINLOCK_INIT("app lock");

static void queue_wait_holding_spinlock(void *opaque)
{
    (void)opaque;
    irq_flags_t flags = spin_lock_irqsave(&app_lock);
    co_queue_wait(&queue);
    spin_unlock_irqrestore(&app_lock, flags);
}

static void run_main_loop(void *opaque)
{
    (void)opaque;
    co_run();
}

static void sleep_forever(void *opaque)
{
    (void)opaque;
    co_sleep_until(CO_NO_DEADLINE);
}

/* Interrupt handlers that misuse the coroutine API. */
#define SOFT_MISUSE BOARD_TEST_SOFT_IRQ(3)

static void yield_in_handler(void *arg)
{
    (void)arg;
    co_yield();
}

static void enter_in_handler(void *arg)
{
    co_enter((struct co *)arg);
}

static void sleep_in_handler(void *arg)
{
    (void)arg;
    co_sleep_ms(1);
}

static void post_in_handler(void *arg)
{
    (void)arg;
    co_semaphore_post(&semaphore);
}

static void wake_in_handler(void *arg)
{
    co_wake((struct co *)arg);
}

static void trylock_in_handler(void *arg)
{
    (void)arg;
    co_mutex_trylock(&mutex);
}

static void queue_next_in_handler(void *arg)
{
    (void)arg;
    co_queue_next(&queue);
}

static void queue_restart_all_in_handler(void *arg)
{
    (void)arg;
    co_queue_restart_all(&queue);
}

static void misuse_in_handler(irq_handler_fn handler)
{
    co_init(&victim, yield_once, NULL);
    irq_register(SOFT_MISUSE, handler, &victim);
    irq_raise(SOFT_MISUSE);
}

int main(void)
{
    const char *which = kernel_cmdline();

    if (strcmp(which, "run-in-coroutine") == 0) {
        co_enter(co_init(&victim, run_main_loop, NULL));
    } else if (strcmp(which, "block-irqs-masked") == 0) {
        co_enter(co_init(&victim, sleep_irqs_masked, NULL));
    } else if (strcmp(which, "block-spinlock-held") == 0) {
        co_enter(co_init(&victim, queue_wait_holding_spinlock, NULL));
    } else if (strcmp(which, "enter-running") == 0) {
        co_enter(co_init(&selfish, enter_self, NULL));
    } else if (strcmp(which, "enter-terminated") == 0) {
        co_enter(co_init(&victim, do_nothing, NULL));
        co_enter(&victim);
    } else if (strcmp(which, "enter-uninitialised") == 0) {
        co_enter(&victim);
    } else if (strcmp(which, "enter-waiting") == 0) {
        co_enter(co_init(&victim, wait_forever, NULL));
        co_enter(&victim);
    } else if (strcmp(which, "enter-uninitialised-element") == 0) {
        co_enter(&crowd[1]);
    } else if (strcmp(which, "enter-main") == 0) {
        co_enter(co_self());
    } else if (strcmp(which, "yield-outside") == 0) {
        co_yield();
    } else if (strcmp(which, "sleep-outside") == 0) {
        co_sleep_ms(1);
    } else if (strcmp(which, "init-live") == 0) {
        co_enter(co_init(&victim, yield_once, NULL));
        co_init(&victim, yield_once, NULL);
    } else if (strcmp(which, "wake-waiting") == 0) {
        co_enter(co_init(&victim, wait_forever, NULL));
        co_wake(&victim);
    } else if (strcmp(which, "unlock-not-owner") == 0) {
        co_enter(co_init(&victim, lock_and_yield, NULL));
        co_enter(co_init(&intruder, unlock_not_mine, NULL));
    } else if (strcmp(which, "lock-twice") == 0) {
        co_enter(co_init(&victim, lock_twice, NULL));
    } else if (strcmp(which, "rwlock-unlock-free") == 0) {
        co_enter(co_init(&victim, unlock_free_rwlock, NULL));
    } else if (strcmp(which, "irq-yield") == 0) {
        misuse_in_handler(yield_in_handler);
    } else if (strcmp(which, "irq-enter") == 0) {
        misuse_in_handler(enter_in_handler);
    } else if (strcmp(which, "irq-sleep") == 0) {
        misuse_in_handler(sleep_in_handler);
    } else if (strcmp(which, "irq-wake") == 0) {
        misuse_in_handler(wake_in_handler);
    } else if (strcmp(which, "irq-mutex-trylock") == 0) {
        misuse_in_handler(trylock_in_handler);
    } else if (strcmp(which, "irq-queue-next") == 0) {
        misuse_in_handler(queue_next_in_handler);
    } else if (strcmp(which, "irq-queue-restart-all") == 0) {
        misuse_in_handler(queue_restart_all_in_handler);
    } else if (strcmp(which, "mutex-trylock-outside") == 0) {
        co_mutex_trylock(&mutex);
    } else if (strcmp(which, "irq-semaphore-post") == 0) {
        misuse_in_handler(post_in_handler);
    } else if (strcmp(which, "semaphore-wait-outside") == 0) {
        co_semaphore_wait(&semaphore);
    } else if (strcmp(which, "pool-reinit") == 0) {
        struct co *co = co_create(do_nothing, NULL);
        co_enter(co);
        co_init(co, do_nothing, NULL);
    } else if (strcmp(which, "wait-twice") == 0) {
        co_enter(co_init(&victim, wait_twice, NULL));
    } else if (strcmp(which, "sleep-forever") == 0) {
        co_enter(co_init(&victim, sleep_forever, NULL));
        if (co_run() == -EDEADLK) {
            return 1;
        }
    } else if (strcmp(which, "rwlock-unlock-writer") == 0 || strcmp(which, "rwlock-unlock-reader") == 0) {
        bool write = strcmp(which, "rwlock-unlock-writer") == 0;
        co_enter(co_init(&victim, hold_rwlock, write ? &victim : NULL));
        co_enter(co_init(&intruder, unlock_free_rwlock, NULL));
    } else if (strcmp(which, "rwlock-unlock-other-reader") == 0) {
        co_enter(co_init(&victim, hold_rwlock, NULL));
        co_enter(co_init(&intruder, unlock_with_other_read_lock, NULL));
    } else if (strcmp(which, "rwlock-lock-outside") == 0) {
        co_rwlock_rdlock(&rwlock);
    } else if (strcmp(which, "rwlock-too-many-readers") == 0) {
        co_enter(co_init(&victim, read_lock_too_many, NULL));
    } else if (strcmp(which, "return-holding-lock") == 0) {
        co_enter(co_init(&victim, lock_and_return, NULL));
    } else if (strcmp(which, "deadlock") == 0) {
        co_enter(co_init(&victim, wait_forever, NULL));
        if (co_run() == -EDEADLK) {
            co_dump();
            return 1;
        }
    } else if (strcmp(which, "none") == 0) {
        co_enter(co_init(&victim, yield_once, NULL));
        co_enter(&victim);
        printf("no misuse\n");
        return 0;
    }
    printf("misuse '%s' was not stopped\n", which);
    return 1;
}
