/*
 * Every fatal exception on ARMv7-M stops the run with a report and status
 * 3: which exception, the causes CFSR records and the address BFAR or
 * MMFAR holds, the registers as the fault left them (the stacked frame
 * and r4-r11), and the coroutine that was running. The meta run checks
 * that the runner fails such an image and shows why.
 *
 * requires: armv7m
 * runner: name=undefined args=undefined status=3 hook=fault_pc expect='cause: undefined instruction'
 * runner: name=usage-fault args=undefined status=3 expect='FAULT: UsageFault at pc=0x[0-9a-f]+ \(thread mode, PSP\)'
 * runner: name=registers args=undefined status=3 expect='r4 =0x44444444 +r5 =0x55555555'
 * runner: name=in-coroutine args=coroutine-undefined status=3 expect="in coroutine 'faulter'"
 * runner: name=bus-fault args=bus-fault status=3 expect='FAULT: BusFault at pc=0x[0-9a-f]+ \(thread mode, PSP\)'
 * runner: name=bus-fault-address args=bus-fault status=3 expect='fault address 0x60000000 \(BFAR\)'
 * runner: name=bus-fault-cause args=bus-fault status=3 expect='cause: precise data bus error'
 * runner: name=execute-never args=execute-never status=3 expect='FAULT: MemManage at pc=0xfffff000 .*'
 * runner: name=execute-never-cause args=execute-never status=3 expect='cause: instruction access violation'
 * runner: name=unaligned args=unaligned status=3 expect='cause: unaligned access'
 * runner: name=escalated args=masked-undefined status=3 expect='FAULT: HardFault at pc=0x[0-9a-f]+ \(thread mode, PSP\)'
 * runner: name=escalated-forced args=masked-undefined status=3 expect='HFSR=0x40000000 \(escalated to HardFault\)'
 * runner: name=escalated-cause args=masked-undefined status=3 expect='cause: undefined instruction'
 * runner: name=svc args=svc status=3 expect='FAULT: unexpected SVC at pc=0x'
 * runner: name=runner-reports-fault args=bus-fault meta='not ok # exit status 3.*|FAULT: BusFault'
 * runner: name=wild-pointer args=bus-fault status=3 expect='a wild pointer: no memory or device answers at 0x60000000'
 *
 * The MPU (boot/armv7m/mpu.c) keeps code read-only and RAM from running:
 * each such fault is a MemManage fault at the instruction, and the report
 * says what the address was. Nothing runs from the memory at 0 (each
 * board shows its code memory there too only for reset), so reading,
 * writing or calling through NULL faults.
 * runner: name=write-text args=write-text status=3 expect='a write to code: text is read-only'
 * runner: name=write-text-fault args=write-text status=3 expect='FAULT: MemManage at pc=0x[0-9a-f]+ \(thread mode, PSP\)'
 * runner: name=write-text-cause args=write-text status=3 expect='cause: data access violation'
 * runner: name=write-rodata args=write-rodata status=3 expect='a write to read-only data'
 * runner: name=null-read args=null-read status=3 expect='NULL pointer: a read through a NULL pointer \(the first page is never mapped\)'
 * runner: name=null-read-fault args=null-read status=3 expect='FAULT: MemManage at pc=0x[0-9a-f]+ \(thread mode, PSP\)'
 * runner: name=null-write args=null-write status=3 expect='NULL pointer: a write through a NULL pointer'
 * runner: name=null-call args=null-call status=3 expect='NULL pointer: a call through a NULL pointer'
 * runner: name=run-stack args=run-stack status=3 expect='a jump to memory that is not code'
 * runner: name=run-data args=run-data status=3 expect='a jump to memory that is not code'
 * runner: name=run-data-cause args=run-data status=3 expect='cause: instruction access violation'
 *
 * A stack that overflows takes the exception frame with it: the core
 * pushes it below the sp that ran into the guard, and that faults too.
 * The report runs on a stack of its own and says what it lost.
 * runner: name=unstacked args=unstacked status=3 expect='FAULT: MemManage with no exception frame: the core could not push it at PSP=0x[0-9a-f]{8}'
 * runner: name=unstacked-cause args=unstacked status=3 expect='cause: MemManage fault stacking'
 * runner: name=unstacked-names args=unstacked status=3 expect='stack overflow: coroutine .sinker. ran past the limit of its 1024-byte stack'
 * runner: name=unstacked-coroutine args=unstacked status=3 expect="in coroutine 'sinker'"
 * runner: name=handler-unstacked args=handler-unstacked status=3 expect='FAULT: MemManage with no exception frame: the core could not push it at MSP=0x[0-9a-f]{8}'
 * runner: name=handler-unstacked-names args=handler-unstacked status=3 expect='stack overflow: the handler stack \(MSP\) of CPU 0 \(4096 bytes\) ran into the guard page below it'
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "coro/coro.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/memory_faults.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The report must name the udf itself, whose address the image prints
 * first (hooks/fault_pc.sh compares the two). */
extern const char thumb_udf[];

static __attribute__((noinline, noclone)) void undefined_instruction(void)
{
    /* movw/movt, not a literal pool, which LTO may place out of reach. */
    __asm__ volatile("movw r4, #0x4444\n\tmovt r4, #0x4444\n\t"
                     "movw r5, #0x5555\n\tmovt r5, #0x5555\n\t"
                     ".global thumb_udf\n"
                     "thumb_udf: udf #0" ::: "r4", "r5");
}

static void undefined(void)
{
    printf("faulting instruction at pc=0x%08lx\n", (unsigned long)((uintptr_t)thumb_udf & ~(uintptr_t)1));
    fflush(stdout);
    undefined_instruction();
}

CO_DEFINE(faulter, 2048);

static void fault_in_coroutine(void *opaque)
{
    (void)opaque;
    undefined_instruction();
}

static void coroutine_undefined(void)
{
    co_enter(co_init(&faulter, fault_in_coroutine, NULL));
}

/* Nothing answers in the external RAM region on this board: a load from
 * there is a precise bus error. */
static void bus_fault(void)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)0x60000000u;
    (void)*p;
}

/* The system region at the top of the address space is never executable
 * in the default memory map. */
static void execute_never(void)
{
    void (*nowhere)(void) = (void (*)(void))(uintptr_t)(0xfffff000u | 1u);
    nowhere();
}

/* ldrd faults on any address that is not a multiple of 4, whatever
 * CCR.UNALIGN_TRP says. */
static void unaligned(void)
{
    static uint32_t words[4];
    uint32_t lo, hi;

    __asm__ volatile("ldrd %0, %1, [%2]" : "=r"(lo), "=r"(hi) : "r"((uintptr_t)words + 1) : "memory");
    (void)lo;
    (void)hi;
}

/* With IRQs masked (PRIMASK) no configurable fault can be taken: it
 * escalates to HardFault, and CFSR still says why. */
static void masked_undefined(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    undefined_instruction();
}

static void stray_svc(void)
{
    __asm__ volatile("svc #1");
}

CO_DEFINE(sinker, 1024);

/* sp past the limit, deep in the guard, before anything is written: the
 * first write faults, and so does the core's push of the exception frame
 * below sp. These frames break on purpose the rule that holds code built
 * on the kernel to frames no larger than a guard (the Makefile's
 * FRAME_RULE), which is what makes every other overflow fault at the
 * instruction. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wframe-larger-than="
static __attribute__((noinline)) unsigned int sink_sp(void)
{
    volatile unsigned char frame[1536];

    frame[0] = 1;
    return frame[0];
}

static void sink(void *opaque)
{
    (void)opaque;
    sink_sp();
    co_yield();
}

static void unstacked(void)
{
    co_enter(co_init(&sinker, sink, NULL));
}

/* The same on the handler stack (MSP), which the fault's own handler
 * would run on: 3 KiB of its 4 KiB, then the sinking frame. */
static __attribute__((noinline)) unsigned int deep_then_sink(void)
{
    volatile unsigned char frame[3072];

    frame[0] = (unsigned char)sink_sp();
    return frame[0];
}
#pragma GCC diagnostic pop

static void sinking_handler(void *arg)
{
    (void)arg;
    deep_then_sink();
}

static void handler_unstacked(void)
{
    irq_register(BOARD_TEST_SOFT_IRQ(0), sinking_handler, NULL);
    irq_raise(BOARD_TEST_SOFT_IRQ(0));
}

int main(void)
{
    static const struct named_fault faults[] = {
        { "undefined", undefined },
        { "coroutine-undefined", coroutine_undefined },
        { "bus-fault", bus_fault },
        { "execute-never", execute_never },
        { "unaligned", unaligned },
        { "masked-undefined", masked_undefined },
        { "svc", stray_svc },
        { "write-text", fault_write_code },
        { "write-rodata", fault_write_rodata },
        { "null-read", fault_null_read },
        { "null-write", fault_null_write },
        { "null-call", fault_null_call },
        { "run-stack", fault_run_stack },
        { "run-data", fault_run_data },
        { "unstacked", unstacked },
        { "handler-unstacked", handler_unstacked },
    };

    return run_named_fault(faults, sizeof(faults) / sizeof(faults[0]));
}
