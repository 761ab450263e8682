/*
 * Starting the other CPUs, with the starter the board names
 * (board_cpu_starter(): PSCI, a mailbox, a spin table; boot/cpu_start.h).
 * The first CPU, CPU 0, starts each of the others in turn and waits until
 * the coroutine core has made it ready (kernel_on_cpu_start()); a CPU that
 * does not start, or does not come up, is reported by number with what
 * the starter said, and the others go on. Every CPU takes its number from
 * cpu_index() (arch/cpu.h), which is MPIDR's, as start.S does for its
 * stacks.
 */
#include "boot/kernel.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"
#include "board/board.h"
#include "boot/cpu_start.h"

#include <stdint.h>

#define CPU_START_TIMEOUT_MS        100u

void secondary_entry(void);                 /* boot/armv7a/start.S */
void kernel_cpu_main(void) __attribute__((noreturn));

static void (*cpu_ready_hook)(void);
static void (*cpu_run_hook)(void);
static volatile uint8_t cpu_up[CONFIG_CPUS];

/* Spins on the generic counter, which runs from reset on every CPU. */
static int wait_until_up(unsigned int cpu)
{
    uint64_t ticks = (uint64_t)read_cntfrq() * CPU_START_TIMEOUT_MS / 1000u;
    uint64_t start = read_cntvct();

    while (!cpu_up[cpu]) {
        if (read_cntvct() - start > ticks) {
            return 0;
        }
    }
    dmb_ish();
    return 1;
}

void kernel_on_cpu_start(void (*ready)(void), void (*run)(void))
{
    cpu_ready_hook = ready;
    cpu_run_hook = run;
}

void kernel_start_cpus(void)
{
    if (cpu_run_hook == NULL || CONFIG_CPUS == 1) {
        return;     /* nothing for them to run, or no room for them */
    }
    const struct cpu_starter *starter = board_cpu_starter();
    if (starter == NULL) {
        kprintf("kernel: the board names no way to start CPUs (board_cpu_starter()): running on one\n");
        return;
    }
    for (unsigned int cpu = 1; cpu < CONFIG_CPUS; cpu++) {
        if (!starter->present(cpu)) {
            break;  /* the machine has fewer CPUs than the image allows */
        }
        int status = starter->start(cpu, (uintptr_t)secondary_entry);
        if (status != 0) {
            kprintf("kernel: CPU %u did not start: %s returned %s (%d)\n", cpu, starter->name,
                    starter->status_name(status), status);
        } else if (!wait_until_up(cpu)) {
            kprintf("kernel: CPU %u did not come up within %u ms of %s\n", cpu, CPU_START_TIMEOUT_MS, starter->name);
        }
    }
}

void kernel_cpu_main(void)
{
    board_init_cpu();
    cpu_ready_hook();
    dmb_ish();
    cpu_up[cpu_index()] = 1;
    cpu_run_hook();
    cpu_halt();
}
