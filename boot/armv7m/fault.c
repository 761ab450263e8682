/*
 * The report of a fatal exception: which one, why (CFSR and HFSR decoded,
 * with the faulting address where the core recorded one), where, the
 * register file, and the coroutine that was running. Then the run stops
 * with KERNEL_EXIT_FAULT.
 */
#include "arch/asm.h"
#include "arch/sysreg.h"
#include "boot/fault_address.h"
#include "boot/kernel.h"
#include "board/board.h"

#include <stdbool.h>
#include <stdint.h>

/* What the core pushed on exception entry, lowest address first. */
struct exception_frame {
    uint32_t r0_r3[4];
    uint32_t r12;
    uint32_t lr;
    uint32_t pc;        /* the faulting instruction, for a synchronous fault */
    uint32_t xpsr;
};

/* Words the frame has past the basic eight when it holds FPU state:
 * s0-s15, FPSCR and a reserved word. */
#define FRAME_FP_WORDS  18u

#define HFSR_VECTTBL    (1u << 1)
#define HFSR_FORCED     (1u << 30)
#define HFSR_DEBUGEVT   (1u << 31)
#define MMFSR_IACCVIOL  (1u << 0)
#define MMFSR_MSTKERR   (1u << 4)
#define MMFSR_MMARVALID (1u << 7)
#define BFSR_PRECISERR  (1u << 9)
#define BFSR_STKERR     (1u << 12)
#define BFSR_BFARVALID  (1u << 15)
#define UFSR_INVSTATE   (1u << 17)
#define THUMB_BKPT(imm) (0xbe00u | (imm))

void fault_report(struct exception_frame *f, const uint32_t r4_r11[8], uint32_t exc_return);

static const char *const exception_names[16] = {
    [2] = "NMI", [3] = "HardFault", [4] = "MemManage", [5] = "BusFault", [6] = "UsageFault",
    [11] = "unexpected SVC", [12] = "DebugMonitor", [14] = "unexpected PendSV",
};

/* CFSR's bits, one name each: MMFSR (0-7), BFSR (8-15), UFSR (16-31). */
static const char *const cfsr_names[32] = {
    [0] = "instruction access violation", [1] = "data access violation",
    [3] = "MemManage fault unstacking", [4] = "MemManage fault stacking",
    [5] = "MemManage fault in lazy FP stacking",
    [8] = "instruction bus error", [9] = "precise data bus error", [10] = "imprecise data bus error",
    [11] = "bus fault unstacking", [12] = "bus fault stacking", [13] = "bus fault in lazy FP stacking",
    [16] = "undefined instruction", [17] = "invalid state (no Thumb bit)",
    [18] = "invalid EXC_RETURN", [19] = "coprocessor access (FPU off)",
    [24] = "unaligned access", [25] = "division by zero",
};

/* Names every cause CFSR records, in bit order. */
static void print_causes(uint32_t cfsr)
{
    for (unsigned int bit = 0; bit < 32; bit++) {
        if ((cfsr & (1u << bit)) && cfsr_names[bit] != NULL) {
            kprintf("    cause: %s\n", cfsr_names[bit]);
        }
    }
}

/*
 * Whether the Thumb instruction at pc, a load or a store that faulted,
 * reads or writes: MMFSR does not say. A 32-bit load or store (first
 * halfword 0b11101, 0b11110 or 0b11111 at the top) loads when bit 20, bit
 * 4 of the first halfword, is set: single, dual, multiple, exclusive and
 * VFP alike. Among 16-bit ones, the register-offset forms (0b0101) store
 * for opcodes 0-2 (STR, STRH, STRB); every other form, immediate
 * (0b011x, 0b1000), SP-relative (0b1001), literal (0b01001), LDM/STM
 * (0b1100), PUSH/POP (0b1011), loads when bit 11 is set.
 */
static enum fault_access thumb_access(uint32_t pc)
{
    uint16_t first = *(const uint16_t *)(uintptr_t)(pc & ~1u);

    if ((first >> 11) >= 0x1du) {
        return (first & (1u << 4)) ? FAULT_ACCESS_READ : FAULT_ACCESS_WRITE;
    }
    if ((first >> 12) == 0x5u) {
        return ((first >> 9) & 7u) < 3u ? FAULT_ACCESS_WRITE : FAULT_ACCESS_READ;
    }
    return (first & (1u << 11)) ? FAULT_ACCESS_READ : FAULT_ACCESS_WRITE;
}

/*
 * What the faulting address was (boot/fault_address.c): a stack's guard,
 * code written, NULL. A data access is a read or a write as its
 * instruction says; a frame that could not be stacked was the core's
 * write, into the guard below sp; an instruction fetch refused, or one in
 * the wrong state (a call to an address without the Thumb bit, such as
 * NULL), is described by the pc it went to.
 */
static void describe_address(uint32_t cfsr, uint32_t sp, bool stacked, uint32_t pc)
{
    if (cfsr & MMFSR_MMARVALID) {
        fault_describe_address(read_mmfar(), stacked ? thumb_access(pc) : FAULT_ACCESS_WRITE, sp);
    } else if (!stacked) {
        fault_describe_address(sp, FAULT_ACCESS_WRITE, sp);
    } else if (cfsr & (MMFSR_IACCVIOL | UFSR_INVSTATE)) {
        fault_describe_address(pc, FAULT_ACCESS_EXECUTE, sp);
    } else if ((cfsr & (BFSR_PRECISERR | BFSR_BFARVALID)) == (BFSR_PRECISERR | BFSR_BFARVALID)) {
        kprintf("    a wild pointer: no memory or device answers at 0x%08lx\n", (unsigned long)read_bfar());
    }
}

/* A semihosting call with nobody to serve it (no debugger, no emulator)
 * ends in HardFault (a debug event, HFSR.DEBUGEVT, on hardware; QEMU
 * without semihosting says FORCED): answer -1, as semihosting does for a
 * request it cannot serve, so kernel_exit() can park the CPU. One made by
 * a handler at HardFault's priority cannot be answered: the core locks
 * up, which stops it as cpu_halt() would. */
static bool answer_semihosting(struct exception_frame *f, uint32_t exception)
{
    if (exception != 3 || (f->pc & 1u) || *(const uint16_t *)(uintptr_t)f->pc != THUMB_BKPT(0xabu)) {
        return false;
    }
    write_hfsr(HFSR_DEBUGEVT | HFSR_FORCED);  /* write one to clear */
    f->r0_r3[0] = (uint32_t)-1;
    f->pc += 2;
    return true;
}

/* CFSR and HFSR, their causes and the fault addresses the core recorded. */
static void print_status(uint32_t cfsr, uint32_t hfsr)
{
    kprintf("    CFSR=0x%08lx  HFSR=0x%08lx%s%s\n", (unsigned long)cfsr, (unsigned long)hfsr,
            (hfsr & HFSR_FORCED) ? " (escalated to HardFault)" : "",
            (hfsr & HFSR_VECTTBL) ? " (vector table read)" : "");
    print_causes(cfsr);
    if (cfsr & MMFSR_MMARVALID) {
        kprintf("    fault address 0x%08lx (MMFAR)\n", (unsigned long)read_mmfar());
    }
    if (cfsr & BFSR_BFARVALID) {
        kprintf("    fault address 0x%08lx (BFAR)\n", (unsigned long)read_bfar());
    }
}

/* The report of a fault whose frame was never pushed: what the core
 * recorded, r4-r11 and the coroutine, but no pc, r0-r3, r12 or lr. */
static __attribute__((noreturn)) void report_unstacked(const char *name, uint32_t sp, const char *stack,
                                                       uint32_t cfsr, uint32_t hfsr, const uint32_t r4_r11[8])
{
    kprintf("\n*** FAULT: %s with no exception frame: the core could not push it at %s=0x%08lx "
            "(pc, r0-r3, r12 and lr are lost)\n",
            name, stack, (unsigned long)sp);
    print_status(cfsr, hfsr);
    describe_address(cfsr, sp, false, 0);
    for (int i = 0; i < 8; i += 4) {
        kprintf("    r%-2d=0x%08lx  r%-2d=0x%08lx  r%-2d=0x%08lx  r%-2d=0x%08lx\n", 4 + i, (unsigned long)r4_r11[i],
                5 + i, (unsigned long)r4_r11[i + 1], 6 + i, (unsigned long)r4_r11[i + 2], 7 + i,
                (unsigned long)r4_r11[i + 3]);
    }
    kernel_describe_fault_context();
    kernel_exit(KERNEL_EXIT_FAULT);
}

void fault_report(struct exception_frame *f, const uint32_t r4_r11[8], uint32_t exc_return)
{
    static bool reporting;
    uint32_t exception = read_ipsr() & XPSR_EXCEPTION_MASK;
    uint32_t cfsr = read_cfsr(), hfsr = read_hfsr();
    /* Entry could not push the frame (the stack ran into its guard): sp
     * points where it would be, and nothing of it can be read. */
    bool stacked = !(cfsr & (MMFSR_MSTKERR | BFSR_STKERR));
    if (stacked && answer_semihosting(f, exception)) {
        return;
    }
    if (reporting) {
        /* The report itself faulted: say so with nothing that could fault. */
        static const char again[] = "\n*** FAULT while reporting a fault: stopping\n";
        board_console_write(again, sizeof(again) - 1);
        kernel_stop(KERNEL_EXIT_FAULT);
    }
    reporting = true;
    const char *name = exception < 16 && exception_names[exception] ? exception_names[exception] : "reserved exception";
    const char *stack = (exc_return & EXC_RETURN_PSP) ? "PSP" : "MSP";

    if (!stacked) {
        report_unstacked(name, (uint32_t)(uintptr_t)f, stack, cfsr, hfsr, r4_r11);
    }
    uint32_t interrupted = f->xpsr & XPSR_EXCEPTION_MASK;
    uint32_t sp = (uint32_t)(uintptr_t)(f + 1) + ((exc_return & EXC_RETURN_NO_FP) ? 0 : FRAME_FP_WORDS * 4u) +
                  ((f->xpsr & XPSR_STACK_ALIGNED) ? 4u : 0u);

    kprintf("\n*** FAULT: %s at pc=0x%08lx (%s", name, (unsigned long)f->pc, interrupted ? "handler mode" : "thread mode");
    if (interrupted) {
        kprintf(", exception %lu", (unsigned long)interrupted);
    }
    kprintf(", %s)\n", stack);
    print_status(cfsr, hfsr);
    describe_address(cfsr, sp, true, f->pc);
    uint32_t r[13];
    for (int i = 0; i < 4; i++) {
        r[i] = f->r0_r3[i];
    }
    for (int i = 0; i < 8; i++) {
        r[4 + i] = r4_r11[i];
    }
    r[12] = f->r12;
    for (int i = 0; i < 13; i += 4) {
        kprintf("    ");
        for (int j = i; j < i + 4 && j < 13; j++) {
            kprintf("r%-2d=0x%08lx  ", j, (unsigned long)r[j]);
        }
        kprintf("\n");
    }
    kprintf("    sp =0x%08lx  lr =0x%08lx  pc =0x%08lx  xpsr=0x%08lx\n", (unsigned long)sp,
            (unsigned long)f->lr, (unsigned long)f->pc, (unsigned long)f->xpsr);
    kernel_describe_fault_context();
    kernel_exit(KERNEL_EXIT_FAULT);
}
