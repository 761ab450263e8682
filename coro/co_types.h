/*
 * The coroutine object. Its size must be known to define one statically
 * (CO_DEFINE), so it is here; its fields are the kernel's own, not an API.
 */
#ifndef CORO_CO_TYPES_H
#define CORO_CO_TYPES_H

#include <stdint.h>

typedef void (*co_fn)(void *opaque);
typedef uint32_t co_ticket_t;

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

enum co_state {
    CO_STATE_NEW,           /* defined, co_init() not called yet */
    CO_STATE_INITIALISED,   /* ready for its first co_enter() */
    CO_STATE_RUNNING,       /* in the caller chain */
    CO_STATE_SUSPENDED,     /* yielded: may be entered or woken */
    CO_STATE_WAITING,       /* blocked in co_wait_end() */
    CO_STATE_READY,         /* on the ready queue, entered by the main loop */
    CO_STATE_TERMINATED,    /* fn returned */
};

enum co_wait_state {
    CO_WAIT_NONE,
    CO_WAIT_PENDING,        /* begun, not completed */
    CO_WAIT_COMPLETED,      /* completed, result in wait_result */
};

struct co {
    uint32_t saved_sp;          /* offset 0: coro/arch/<arch>/switch.S */
    uint32_t *stack_guard;      /* lowest word of the stack: CO_STACK_CANARY */
    struct co *caller;          /* who entered us; NULL unless running */
    uint8_t state;              /* enum co_state */
    uint8_t wait_state;         /* enum co_wait_state */
    uint8_t wait_source;        /* enum co_wait_source */
    uint8_t in_pool;            /* the slot returns to the pool at termination */
    uint8_t timer_armed;        /* on the deadline list */
    uint8_t want_write;         /* CoRwLock: what this waiter asks for */
    uint8_t registered;         /* on the list co_dump() walks */
    uint16_t index;             /* position in a CO_DEFINE_ARRAY */
    uint32_t switches;          /* times switched to */
    co_ticket_t wait_ticket;    /* the current (or last) wait */
    int wait_result;
    co_fn fn;
    void *opaque;
    const char *name;
    uint32_t stack_size;
    void *stack;                /* lowest address of the stack */
    struct co *ready_next;      /* ready queue */
    struct co *queue_next;      /* the one CoQueue it waits on */
    struct co *timer_next;      /* deadline list */
    struct co *all_next;        /* every coroutine, for co_dump() */
    uint64_t deadline_ns;
    const struct co_site *site; /* last co_init() or co_enter() */
};

#define CO_STATIC_INITIALIZER(name_str, stack_array, size)                                     \
    {                                                                                          \
        .state = CO_STATE_NEW, .name = (name_str), .stack = (stack_array),                     \
        .stack_size = (size),                                                                  \
    }

#endif
