/*
 * PSCI's CPU_ON as a CPU starter (boot/cpu_start.h), over either conduit:
 * HVC where the firmware answers from the hypervisor level (QEMU's virt
 * machine booting an image without firmware emulates it there), SMC where
 * it is a secure monitor (Trusted Firmware at EL3). The board names the
 * one its firmware answers (board_cpu_starter()).
 */
#ifndef BOOT_ARMV7A_PSCI_H
#define BOOT_ARMV7A_PSCI_H

#include "boot/cpu_start.h"

extern const struct cpu_starter psci_hvc_cpu_starter;
extern const struct cpu_starter psci_smc_cpu_starter;

#endif
