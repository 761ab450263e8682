/*
 * What every layer may call: the console for reports, the exit status and
 * fatal stops. An image's exit status becomes QEMU's through semihosting.
 */
#ifndef BOOT_KERNEL_H
#define BOOT_KERNEL_H

#include <stddef.h>
#include <stdint.h>

enum kernel_exit_status {
    KERNEL_EXIT_OK = 0,
    KERNEL_EXIT_FAILURE = 1,    /* a test or the application failed */
    KERNEL_EXIT_PANIC = 2,      /* API misuse or a broken invariant */
    KERNEL_EXIT_FAULT = 3,      /* abort, undefined instruction, stray exception */
};

/* The application's entry point, called by kernel_start() after board_init()
 * and constructors, in SVC mode with IRQs unmasked; its return value is the
 * exit status. */
int main(void);

/* Flushes stdout and ends the run with this status. */
void kernel_exit(int status) __attribute__((noreturn));

/* Ends the run at once, flushing nothing: for when stdio itself may be
 * what broke. Without semihosting, parks the CPU with interrupts off. */
void kernel_stop(int status) __attribute__((noreturn));

/* Adds describe() to every fault report, after the registers: the
 * coroutine core registers the line that names the running coroutine (the
 * kernel library sits below it and cannot name it itself). One hook;
 * a second call replaces the first. */
void kernel_on_fault(void (*describe)(void));

/* What every CPU but the first runs once it is up, with IRQs masked: the
 * coroutine core's. ready() makes the CPU one that runs coroutines and
 * returns; kernel_start_cpus() waits for that before it starts the next
 * CPU, so main() finds every CPU counted. run() is then the CPU's main
 * loop, and does not return. Each finds which CPU it runs on with
 * cpu_index() (arch/cpu.h), the one source of the number. Without them,
 * the other CPUs are not started. */
void kernel_on_cpu_start(void (*ready)(void), void (*run)(void));

/* Starts the other CPUs the image is built for (CONFIG_CPUS) and the
 * machine has, with the board's starter (board_cpu_starter()), after the
 * constructors; called by kernel_start(). A CPU that does not start is
 * reported ("kernel: CPU 1 did not start: PSCI CPU_ON (HVC) returned
 * ALREADY_ON (-4)") and the run goes on without it. */
void kernel_start_cpus(void);

/* For the architecture's fault report: runs the hook, if there is one. */
void kernel_describe_fault_context(void);

/* Prints "PANIC: <message>" and exits with KERNEL_EXIT_PANIC. */
void kernel_panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* printf straight to the console, bypassing stdio's buffer: safe in IRQ and
 * fault context. Lines longer than 256 bytes are cut. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The arguments QEMU was given with -append ("" without), so one image can
 * run several scenarios. */
const char *kernel_cmdline(void);

/* The hardware's number for the calling CPU: MPIDR's affinity levels
 * (Aff2 << 16 | Aff1 << 8 | Aff0) on ARMv7-A, 0 on ARMv7-M. For checking
 * against the hardware or what firmware calls a CPU; per-CPU data and
 * co_set_cpu() take the kernel's number, co_cpu_id() (coro/coro.h), which
 * on these boards is cpu_hw_id()'s Aff0. Either may change after any
 * switch, unless the coroutine is pinned. */
uint32_t cpu_hw_id(void);

/* Writes to the console, turning "\n" into "\r\n". */
void console_write(const char *buf, size_t len);

#endif
