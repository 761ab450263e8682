/* The report of a spinlock used wrongly (boot/spinlock.h). */
#include "boot/spinlock.h"
#include "boot/kernel.h"

void spinlock_misuse(const struct spinlock *lock, const char *what)
{
    unsigned int holder = lock->holder;

    if (holder != 0) {
        kernel_panic("spinlock '%s' %s: CPU %u (held by CPU %u)", lock->name ? lock->name : "?", what,
                     cpu_index(), holder - 1);
    }
    kernel_panic("spinlock '%s' %s: CPU %u (it is free)", lock->name ? lock->name : "?", what, cpu_index());
}
