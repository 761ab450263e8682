/*
 * Every fatal exception stops the run with a register report and status 3.
 * The meta runs check that the runner fails such an image and shows why.
 *
 * requires: armv7a
 * runner: name=undefined args=undefined status=3 expect='FAULT: undefined instruction at pc=0x[0-9a-f]{8} \(svc mode\)'
 * runner: name=data-abort args=data-abort status=3 expect='fault address 0xfffff000, status 0x008: synchronous external abort on read'
 * runner: name=prefetch-abort args=prefetch-abort status=3 expect='FAULT: prefetch abort at pc=0xfffff000'
 * runner: name=svc args=svc status=3 expect='FAULT: unexpected SVC at pc=0x[0-9a-f]{8} \(svc mode\)'
 * runner: name=registers args=undefined status=3 expect='r4 =0x44444444 +r5 =0x55555555'
 * runner: name=thumb-undefined args=thumb-undefined status=3 hook=fault_pc expect='FAULT: undefined instruction at pc=0x[0-9a-f]+ \(svc mode, Thumb\)'
 * runner: name=runner-reports-fault args=data-abort meta='not ok # exit status 3.*|FAULT: data abort'
 *
 * What the MMU forbids on purpose is named in the report:
 * runner: name=null-read args=null-read status=3 expect='NULL pointer: a read through a NULL pointer'
 * runner: name=null-write args=null-write status=3 expect='NULL pointer: a write through a NULL pointer'
 * runner: name=null-call args=null-call status=3 expect='NULL pointer: a call through a NULL pointer'
 * runner: name=wild-low args=wild-low status=3 expect='a wild pointer: nothing is mapped below 0x8000000'
 * runner: name=write-text args=write-text status=3 expect='a write to code: text is read-only'
 * runner: name=write-rodata args=write-rodata status=3 expect='a write to read-only data'
 * runner: name=run-stack args=run-stack status=3 expect='a jump to memory that is not code'
 * runner: name=run-data args=run-data status=3 expect='a jump to memory that is not code'
 */
#include "boot/kernel.h"
#include "tests/qemu/lib/memory_faults.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void undefined_instruction(void)
{
    /* movw/movt, not a literal pool, which LTO may place out of reach. */
    __asm__ volatile("movw r4, #0x4444\n\tmovt r4, #0x4444\n\t"
                     "movw r5, #0x5555\n\tmovt r5, #0x5555\n\t"
                     "udf #0" ::: "r4", "r5");
}

/* In Thumb state the vectors' ARM-state return-address arithmetic is 2 bytes
 * off: the report must still name the udf itself, whose address the image
 * prints first (hooks/fault_pc.sh compares the two). */
extern const char thumb_udf[];

__attribute__((target("thumb"), noinline, noclone)) static void thumb_undefined_instruction(void)
{
    __asm__ volatile(".global thumb_udf\n"
                     "thumb_udf: udf #0");
}

static void thumb_undefined(void)
{
    printf("faulting instruction at pc=0x%08lx\n", (unsigned long)(uintptr_t)thumb_udf);
    fflush(stdout);
    thumb_undefined_instruction();
}

/* Nothing answers at the top of the address space on this board: a load
 * from there is an external abort, an instruction fetch a prefetch abort. */
#define UNMAPPED_ADDRESS 0xfffff000u

static void unmapped_read(void)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)UNMAPPED_ADDRESS;
    (void)*p;
}

static void jump_to_nowhere(void)
{
    void (*nowhere)(void) = (void (*)(void))(uintptr_t)UNMAPPED_ADDRESS;
    nowhere();
}

static void stray_svc(void)
{
    __asm__ volatile("svc #1");
}

/* Flash, below the devices: nothing runs from it in a RAM image. */
static void wild_low_read(void)
{
    (void)*(volatile uint32_t *)((uintptr_t)fault_null_pointer + 0x01000000);
}

int main(void)
{
    static const struct named_fault faults[] = {
        { "undefined", undefined_instruction },
        { "data-abort", unmapped_read },
        { "prefetch-abort", jump_to_nowhere },
        { "svc", stray_svc },
        { "thumb-undefined", thumb_undefined },
        { "null-read", fault_null_read },
        { "null-write", fault_null_write },
        { "null-call", fault_null_call },
        { "wild-low", wild_low_read },
        { "write-text", fault_write_code },
        { "write-rodata", fault_write_rodata },
        { "run-stack", fault_run_stack },
        { "run-data", fault_run_data },
    };

    return run_named_fault(faults, sizeof(faults) / sizeof(faults[0]));
}
