/*
 * The coroutine object. Its size must be known to define one statically
 * (CO_DEFINE), so it is here; its fields are the kernel's own, not an API.
 */
#ifndef CORO_CO_TYPES_H
#define CORO_CO_TYPES_H

#ifndef __ASSEMBLER__
#include <stdint.h>

typedef void (*co_fn)(void *opaque);
typedef uint32_t co_ticket_t;
struct co_rwlock;

/* CoRwLock read locks one coroutine may hold at once: each is recorded, so
 * that unlocking a lock the coroutine does not hold is caught. */
#define CO_READ_LOCKS_MAX 4

/* Where an API call was made: named in misuse reports. */
struct co_site {
    const char *file;
    unsigned int line;
};
#define CO_SITE()                                                                              \
    ({                                                                                         \
        static const struct co_site co_site_ = { __FILE__, __LINE__ };                         \
        &co_site_;                                                                             \
    })

/* Room for the switch frame, the trampoline and a few calls. */
#define CO_STACK_MIN 512u

/*
 * Whether a coroutine is running is not a state of its own: it is running
 * while it has a caller. SUSPENDED is zero so that co_enter() can test
 * "suspended and not entered" with one OR (coro/arch/<arch>/switch.S).
 */
enum co_state {
    CO_STATE_SUSPENDED = 0, /* initialised or yielded: may be entered (or running, if it has a caller) */
    CO_STATE_NEW,           /* defined, co_init() not called yet */
    CO_STATE_WAITING,       /* blocked in co_wait_end() */
    CO_STATE_READY,         /* on the ready queue, entered by the main loop */
    CO_STATE_TERMINATED,    /* fn returned */
    CO_STATE_MAIN,          /* the main context: never entered, never yields */
    CO_STATE_IRQ,           /* the stand-in current while an IRQ handler runs */
};

enum co_wait_state {
    CO_WAIT_NONE,
    CO_WAIT_PENDING,        /* begun, not completed */
    CO_WAIT_COMPLETED,      /* completed, result in wait_result */
};

/* The first six fields are laid out for switch.S, which moves pairs of
 * them with ldrd/strd: (stack_guard, caller) and (caller, switches). */
struct co {
    uint32_t saved_sp;          /* sp while switched out */
    uint32_t *stack_guard;      /* lowest word of the stack; holds -(address of this struct) */
    struct co *caller;          /* who entered us; NULL unless running */
    uint32_t switches;          /* times entered or resumed */
    uint32_t state;             /* enum co_state */
    /* Non-zero from the switch onto this stack until the switch off it
     * has saved sp: no other CPU may resume or re-initialise the
     * coroutine before then (images built for one CPU leave it 0). */
    volatile uint32_t on_cpu;
    uint8_t wait_state;         /* enum co_wait_state */
    uint8_t wait_source;        /* enum co_wait_source */
    uint8_t in_pool;            /* the slot returns to the pool at termination */
    uint8_t timer_armed;        /* on the deadline list */
    uint8_t want_write;         /* CoRwLock: what this waiter asks for */
    uint8_t registered;         /* on the list co_dump() walks */
    uint8_t locks_held;         /* CoMutexes and CoRwLocks, read or write */
    uint8_t read_locks_held;    /* CoRwLock read locks, of those: in read_locks[] */
    uint8_t numbered;           /* one of many (pool, array): index tells which */
    uint8_t pinned;             /* CPU index + 1 that alone may run it from a main loop; 0: any */
    uint8_t wake_again;         /* co_wake()d while running on another CPU */
    uint8_t cpu;                /* the CPU it runs or last ran on: set by the switch, SMP only */
    uint8_t early_waits;        /* waits in a row completed before it blocked (co_wait_end()) */
    uint8_t placement;          /* enum co_placement: where it resumes unless pinned */
    uint16_t index;
    co_ticket_t wait_ticket;    /* the current (or last) wait */
    int wait_result;
    co_fn fn;
    void *opaque;
    const char *name;
    uint32_t stack_size;
    void *stack;                /* lowest address of the stack */
    struct co *ready_next;      /* ready queue, or the pool's free list */
    struct co *queue_next;      /* the one CoQueue it waits on */
    struct co *timer_child;     /* deadline heap (coro/deadline_heap.c) */
    struct co *timer_sibling;
    struct co *timer_prev;      /* previous sibling, or parent if first child */
    uint32_t timer_seq;         /* equal deadlines: first come, first served */
    struct co *all_next;        /* every coroutine, for co_dump() */
    uint64_t deadline_ns;
    const struct co_site *site; /* last co_init() or blocking call */
    struct co_rwlock *read_locks[CO_READ_LOCKS_MAX];
};

#endif /* __ASSEMBLER__ */

/* Field offsets the assembly uses; checked against offsetof() in coro.c. */
#define CO_OFFSET_SAVED_SP      0
#define CO_OFFSET_STACK_GUARD   4
#define CO_OFFSET_CALLER        8
#define CO_OFFSET_SWITCHES      12
#define CO_OFFSET_STATE         16
#define CO_OFFSET_ON_CPU        20
#define CO_OFFSET_CPU           35
/* struct co_cpu (coro/cpu.h): its index, after two struct co. */
#define CO_CPU_OFFSET_INDEX     256

#define CO_STATIC_INITIALIZER(name_str, stack_array, size)                                     \
    {                                                                                          \
        .state = CO_STATE_NEW, .name = (name_str), .stack = (stack_array),                     \
        .stack_size = (size),                                                                  \
    }

#endif
