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
 */
#include "boot/kernel.h"
#include "coro/coro.h"

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

int main(void)
{
    static const struct {
        const char *name;
        void (*fault)(void);
    } faults[] = {
        { "undefined", undefined },
        { "coroutine-undefined", coroutine_undefined },
        { "bus-fault", bus_fault },
        { "execute-never", execute_never },
        { "unaligned", unaligned },
        { "masked-undefined", masked_undefined },
        { "svc", stray_svc },
    };

    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        if (strcmp(kernel_cmdline(), faults[i].name) == 0) {
            faults[i].fault();
            printf("the %s fault did not stop the run\n", faults[i].name);
            return 1;
        }
    }
    printf("unknown fault '%s'\n", kernel_cmdline());
    return 1;
}
