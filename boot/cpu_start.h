/*
 * How a machine starts its other CPUs: an operation of the board's choice
 * (board_cpu_starter(), board/board.h), since the same architecture is
 * started differently on each. PSCI's CPU_ON over HVC or SMC
 * (boot/armv7a/psci.h) asks firmware; a BCM2836 (Raspberry Pi 2) writes
 * the entry address to the CPU's mailbox 3 and wakes it with SEV; a spin
 * table writes it to the CPU's release address and does the same. The
 * kernel (kernel_start_cpus()) asks the starter for each CPU the image is
 * built for, in turn, and names what went wrong when a start fails.
 *
 * CPUs are numbered as cpu_index() (arch/cpu.h) numbers them; the starter
 * turns the number into whatever its firmware or hardware calls the CPU.
 */
#ifndef BOOT_CPU_START_H
#define BOOT_CPU_START_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_starter {
    /* What starts CPUs, for the report of a failure: "PSCI CPU_ON (HVC)". */
    const char *name;
    /* Whether the machine has CPU cpu: the kernel starts none past the
     * first it lacks, so an image runs on the CPUs there are. */
    bool (*present)(unsigned int cpu);
    /* Starts CPU cpu at entry (ARM state, MMU and caches off); returns 0
     * once it is on its way, or a negative status in the starter's own
     * terms, which status_name() names. */
    int (*start)(unsigned int cpu, uintptr_t entry);
    const char *(*status_name)(int status);
};

#endif
