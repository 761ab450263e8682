/*
 * Starting the other CPUs, through PSCI over HVC: what QEMU's virt machine
 * emulates when it boots an image without firmware (a board with firmware
 * at EL3 would use SMC). The first CPU powers each of the others on in
 * turn and waits until the coroutine core has made it ready
 * (kernel_on_cpu_start()); a CPU that does not come up is reported by
 * number and the others go on.
 */
#include "boot/kernel.h"
#include "arch/cpu.h"
#include "arch/sysreg.h"
#include "board/board.h"

#include <stdint.h>

#define PSCI_CPU_ON                 0x84000003u
#define PSCI_AFFINITY_INFO          0x84000004u
#define PSCI_INVALID_PARAMETERS     (-2)
#define CPU_START_TIMEOUT_MS        100u

void secondary_entry(void);                 /* boot/armv7a/start.S */
void kernel_cpu_main(unsigned int index) __attribute__((noreturn));

static void (*cpu_ready_hook)(unsigned int index);
static void (*cpu_run_hook)(unsigned int index);
static volatile uint8_t cpu_up[CONFIG_CPUS];

static int32_t psci_call(uint32_t function, uint32_t arg1, uint32_t arg2, uint32_t arg3)
{
    register uint32_t r0 __asm__("r0") = function;
    register uint32_t r1 __asm__("r1") = arg1;
    register uint32_t r2 __asm__("r2") = arg2;
    register uint32_t r3 __asm__("r3") = arg3;

    __asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3) : "memory");
    return (int32_t)r0;
}

/* Spins on the generic counter, which runs from reset on every CPU. */
static int wait_until_up(unsigned int index)
{
    uint64_t ticks = (uint64_t)read_cntfrq() * CPU_START_TIMEOUT_MS / 1000u;
    uint64_t start = read_cntvct();

    while (!cpu_up[index]) {
        if (read_cntvct() - start > ticks) {
            return 0;
        }
    }
    dmb_ish();
    return 1;
}

void kernel_on_cpu_start(void (*ready)(unsigned int index), void (*run)(unsigned int index))
{
    cpu_ready_hook = ready;
    cpu_run_hook = run;
}

void kernel_start_cpus(void)
{
    if (cpu_run_hook == NULL) {
        return;     /* nothing for them to run */
    }
    for (unsigned int index = 1; index < CONFIG_CPUS; index++) {
        /* MPIDR affinity level 0 is the index on the machines we boot. */
        if (psci_call(PSCI_AFFINITY_INFO, index, 0, 0) == PSCI_INVALID_PARAMETERS) {
            break;  /* the machine has fewer CPUs than the image allows */
        }
        int32_t status = psci_call(PSCI_CPU_ON, index, (uint32_t)(uintptr_t)secondary_entry, index);
        if (status != 0) {
            kprintf("kernel: CPU %u did not start: PSCI CPU_ON returned %ld\n", index, (long)status);
        } else if (!wait_until_up(index)) {
            kprintf("kernel: CPU %u did not come up within %u ms\n", index, CPU_START_TIMEOUT_MS);
        }
    }
}

void kernel_cpu_main(unsigned int index)
{
    board_init_cpu();
    cpu_ready_hook(index);
    dmb_ish();
    cpu_up[index] = 1;
    cpu_run_hook(index);
    cpu_halt();
}
