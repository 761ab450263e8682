/*
 * PSCI (Arm DEN 0022) for starting CPUs: AFFINITY_INFO says whether the
 * machine has a CPU, CPU_ON powers it on at an entry address. Both take
 * the CPU by its MPIDR affinity value (cpu_index_to_mpidr()), in the SMC32
 * calling convention: function ID and arguments in r0-r3, the result in
 * r0, r1-r3 not kept.
 */
#include "boot/armv7a/psci.h"
#include "arch/cpu.h"

#include <stdint.h>

#define PSCI_CPU_ON             0x84000003u
#define PSCI_AFFINITY_INFO      0x84000004u

/* PSCI's return codes, from 0 down; a failure is named in the kernel's
 * report of a CPU that did not start. */
#define PSCI_STATUSES(X)                                                                       \
    X(SUCCESS) X(NOT_SUPPORTED) X(INVALID_PARAMETERS) X(DENIED) X(ALREADY_ON) X(ON_PENDING)    \
    X(INTERNAL_FAILURE) X(NOT_PRESENT) X(DISABLED) X(INVALID_ADDRESS)
#define PSCI_STATUS_ENUM(name) PSCI_STATUS_INDEX_##name,
#define PSCI_STATUS_NAME(name) #name,
enum { PSCI_STATUSES(PSCI_STATUS_ENUM) PSCI_STATUS_COUNT };
static const char *const psci_status_names[] = { PSCI_STATUSES(PSCI_STATUS_NAME) };

#define PSCI_INVALID_PARAMETERS (-PSCI_STATUS_INDEX_INVALID_PARAMETERS)
#define PSCI_NOT_PRESENT        (-PSCI_STATUS_INDEX_NOT_PRESENT)

typedef int32_t psci_conduit(uint32_t function, uint32_t arg1, uint32_t arg2, uint32_t arg3);

static int32_t psci_hvc(uint32_t function, uint32_t arg1, uint32_t arg2, uint32_t arg3)
{
    register uint32_t r0 __asm__("r0") = function;
    register uint32_t r1 __asm__("r1") = arg1;
    register uint32_t r2 __asm__("r2") = arg2;
    register uint32_t r3 __asm__("r3") = arg3;

    __asm__ volatile(".arch_extension virt\n\thvc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (int32_t)r0;
}

static int32_t psci_smc(uint32_t function, uint32_t arg1, uint32_t arg2, uint32_t arg3)
{
    register uint32_t r0 __asm__("r0") = function;
    register uint32_t r1 __asm__("r1") = arg1;
    register uint32_t r2 __asm__("r2") = arg2;
    register uint32_t r3 __asm__("r3") = arg3;

    __asm__ volatile(".arch_extension sec\n\tsmc #0" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3) : : "memory");
    return (int32_t)r0;
}

/* A CPU the firmware does not know of is absent; any other answer
 * (on, off, pending, or AFFINITY_INFO itself not supported) leaves it to
 * CPU_ON to say. */
static bool psci_present(psci_conduit *call, unsigned int cpu)
{
    int32_t state = call(PSCI_AFFINITY_INFO, cpu_index_to_mpidr(cpu), 0, 0);

    return state != PSCI_INVALID_PARAMETERS && state != PSCI_NOT_PRESENT;
}

/* No context ID: the CPU finds its number in MPIDR (arch/cpu.h). */
static int psci_start(psci_conduit *call, unsigned int cpu, uintptr_t entry)
{
    return call(PSCI_CPU_ON, cpu_index_to_mpidr(cpu), (uint32_t)entry, 0);
}

static const char *psci_status_name(int status)
{
    return status <= 0 && -status < PSCI_STATUS_COUNT ? psci_status_names[-status] : "an undefined status";
}

static bool psci_hvc_present(unsigned int cpu)
{
    return psci_present(psci_hvc, cpu);
}

static int psci_hvc_start(unsigned int cpu, uintptr_t entry)
{
    return psci_start(psci_hvc, cpu, entry);
}

static bool psci_smc_present(unsigned int cpu)
{
    return psci_present(psci_smc, cpu);
}

static int psci_smc_start(unsigned int cpu, uintptr_t entry)
{
    return psci_start(psci_smc, cpu, entry);
}

const struct cpu_starter psci_hvc_cpu_starter = {
    .name = "PSCI CPU_ON (HVC)",
    .present = psci_hvc_present,
    .start = psci_hvc_start,
    .status_name = psci_status_name,
};

const struct cpu_starter psci_smc_cpu_starter = {
    .name = "PSCI CPU_ON (SMC)",
    .present = psci_smc_present,
    .start = psci_smc_start,
    .status_name = psci_status_name,
};
