/*
 * The report of a fatal exception: what happened, where, the register file,
 * and the coroutine that was running. Then the run stops with
 * KERNEL_EXIT_FAULT.
 */
#include "boot/armv7a/fault.h"
#include "arch/asm.h"
#include "arch/sysreg.h"
#include "boot/fault_address.h"
#include "boot/kernel.h"
#include "board/board.h"

#include <stdbool.h>

static const char *const fault_names[] = {
    [FAULT_UNDEFINED] = "undefined instruction",
    [FAULT_SVC] = "unexpected SVC",
    [FAULT_PREFETCH_ABORT] = "prefetch abort",
    [FAULT_DATA_ABORT] = "data abort",
    [FAULT_RESERVED] = "reserved vector",
    [FAULT_FIQ] = "unexpected FIQ",
};

static const char *mode_name(uint32_t psr)
{
    switch (psr & PSR_MODE_MASK) {
    case PSR_MODE_USR: return "usr";
    case PSR_MODE_FIQ: return "fiq";
    case PSR_MODE_IRQ: return "irq";
    case PSR_MODE_SVC: return "svc";
    case PSR_MODE_ABT: return "abt";
    case PSR_MODE_UND: return "und";
    case PSR_MODE_SYS: return "sys";
    default: return "?";
    }
}

/* The short-descriptor fault status, FS[4] from bit 10 and FS[3:0]. */
static const char *fault_status_name(uint32_t fsr)
{
    switch (((fsr >> 6) & 0x10u) | (fsr & 0xfu)) {
    case 0x01: return "alignment fault";
    case 0x02: return "debug event";
    case 0x05: case 0x07: return "translation fault";
    case 0x03: case 0x06: return "access flag fault";
    case 0x09: case 0x0b: return "domain fault";
    case 0x0d: case 0x0f: return "permission fault";
    case 0x08: return "synchronous external abort";
    case 0x16: return "asynchronous external abort";
    default: return "other";
    }
}

void fault_report(uint32_t kind, const struct fault_frame *f)
{
    static bool reporting;
    const char *name = kind < sizeof(fault_names) / sizeof(fault_names[0]) ? fault_names[kind] : "?";
    uint32_t pc = f->pc;

    if (reporting) {
        /* The report itself faulted: say so with nothing that could fault. */
        static const char again[] = "\n*** FAULT while reporting a fault: stopping\n";
        board_console_write(again, sizeof(again) - 1);
        kernel_stop(KERNEL_EXIT_FAULT);
    }
    reporting = true;
    /* The vectors assume ARM state; an undefined instruction or an SVC in
     * Thumb code is 2 bytes before the return address, not 4. */
    if ((f->spsr & PSR_T) && (kind == FAULT_UNDEFINED || kind == FAULT_SVC)) {
        pc += 2;
    }
    kprintf("\n*** FAULT: %s at pc=0x%08lx (%s mode%s)\n", name, (unsigned long)pc, mode_name(f->spsr),
            (f->spsr & PSR_T) ? ", Thumb" : "");
    if (kind == FAULT_DATA_ABORT) {
        uint32_t fsr = read_dfsr();
        bool write = fsr & (1u << 11);
        kprintf("    fault address 0x%08lx, status 0x%03lx: %s on %s\n", (unsigned long)read_dfar(),
                (unsigned long)fsr, fault_status_name(fsr), write ? "write" : "read");
        fault_describe_address(read_dfar(), write ? FAULT_ACCESS_WRITE : FAULT_ACCESS_READ, f->sp);
    } else if (kind == FAULT_PREFETCH_ABORT) {
        uint32_t fsr = read_ifsr();
        kprintf("    fault address 0x%08lx, status 0x%03lx: %s\n", (unsigned long)read_ifar(),
                (unsigned long)fsr, fault_status_name(fsr));
        fault_describe_address(read_ifar(), FAULT_ACCESS_EXECUTE, f->sp);
    }
    for (int i = 0; i < 13; i += 4) {
        kprintf("    ");
        for (int j = i; j < i + 4 && j < 13; j++) {
            kprintf("r%-2d=0x%08lx  ", j, (unsigned long)f->r[j]);
        }
        kprintf("\n");
    }
    kprintf("    sp =0x%08lx  lr =0x%08lx  pc =0x%08lx  cpsr=0x%08lx\n", (unsigned long)f->sp,
            (unsigned long)f->lr, (unsigned long)pc, (unsigned long)f->spsr);
    if (kind == FAULT_FIQ) {
        kprintf("    (r8-r12 are FIQ mode's own banked copies)\n");
    }
    kernel_describe_fault_context();
    kernel_exit(KERNEL_EXIT_FAULT);
}
