/*
 * Other CPUs: an M-profile board has none, so there is nothing to start;
 * the hook is kept for the interface (boot/kernel.h) and never called.
 */
#include "boot/kernel.h"

#include <stddef.h>

void kernel_on_cpu_start(void (*ready)(void), void (*run)(void))
{
    (void)ready;
    (void)run;
}

void kernel_start_cpus(void)
{
}
