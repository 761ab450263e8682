/*
 * Interrupt entry integrity: an interrupt must hand back every register the
 * interrupted code owns, the caller-saved ones included, which no C
 * handler preserves: r0-r3, r12, lr, d0-d7, d16-d31 and FPSCR. Thread code
 * fills r0-r3, r9-r12, lr, all of the FPU's d registers and FPSCR
 * (rounding mode, flags, cumulative exception bits) with known values and
 * spins while the test timer interrupts it every few microseconds; the
 * handler clobbers all of those it may (r0-r3, r12, lr, every d register,
 * FPSCR) with values of its own. Afterwards every register must hold what
 * it was given. Run in the main context and in a coroutine.
 *
 * On ARMv7-A the IRQ entry saves them (boot/armv7a/vectors.S); on ARMv7-M
 * the core stacks r0-r3, r12 and lr, and s0-s15 and FPSCR lazily once the
 * handler touches the FPU, whose d0-d15 (s0-s31) are all it has.
 *
 * Under -icount each round's interrupts come within its time limit
 * however loaded the host is; in real time a slow host can starve a round.
 *
 * runner: qemu='-icount shift=0,sleep=off'
 */
#include "board/facts.h"
#include "coro/coro.h"
#include "drivers/irq.h"
#include "drivers/timer.h"
#include "tests/qemu/lib/ktest.h"
#include "tests/qemu/lib/test_random.h"
#include "tests/qemu/lib/test_timer.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ROUNDS 8                    /* checks in each context */
#define IRQS_PER_ROUND 2500u        /* interrupts a check spins through */
#define ROUND_LIMIT_MS 1000u        /* gives up on them after this long */
#define PERIOD_US 5

/*
 * FPSCR values: every field the core keeps differs between the two
 * (NZCV, QC, AHP, DN, FZ, RMode, IDC, IXC, UFC, OFC, DZC, IOC); Len and
 * Stride stay 0, as NEON requires. An M-profile FPU has no QC.
 */
#define THREAD_FPSCR 0xa6400095u    /* NZCV 1010, AHP, DN, RMode +inf, IDC IXC OFC IOC */
#if __ARM_ARCH_PROFILE == 'M'
#define IRQ_FPSCR 0x5180000au       /* NZCV 0101, FZ, RMode -inf, UFC DZC */
#define D_REGS 16
#else
#define IRQ_FPSCR 0x5980000au       /* NZCV 0101, QC, FZ, RMode -inf, UFC DZC */
#define D_REGS 32
#endif

/* The core registers the thread code checks, in ldm/stm order; r4-r8 run
 * the spin loop. sp is checked apart (it cannot be in an ldm list). */
#define CORE_REGS 9
static const char *const core_names[CORE_REGS + 1] = {
    "r0", "r1", "r2", "r3", "r9", "r10", "r11", "r12", "lr", "sp",
};

struct reg_check {
    uint64_t expected_d[32];
    uint64_t seen_d[32];
    uint32_t expected_core[CORE_REGS + 1];     /* + sp, filled in by the asm */
    uint32_t seen_core[CORE_REGS + 1];
    uint32_t expected_fpscr;
    uint32_t seen_fpscr;
    const volatile uint32_t *interrupts;
    uint32_t until;                            /* spin until *interrupts reaches this */
    uint32_t limit;                            /* or the test timer's count passes this */
    // cppcheck-suppress unusedStructMember ; read by the asm, on ARMv7-M only
    const volatile uint32_t *counter;          /* ARMv7-M: the register the count is read from */
};

/* Offsets for the asm below, which can take no operands (naked). */
#define RC_EXPECTED_D 0
#define RC_SEEN_D 256
#define RC_EXPECTED_CORE 512
#define RC_EXPECTED_SP 548
#define RC_SEEN_CORE 552
#define RC_SEEN_SP 588
#define RC_EXPECTED_FPSCR 592
#define RC_SEEN_FPSCR 596
#define RC_INTERRUPTS 600
#define RC_UNTIL 604
#define RC_LIMIT 608
#define RC_COUNTER 612
_Static_assert(offsetof(struct reg_check, expected_d) == RC_EXPECTED_D, "asm offset");
_Static_assert(offsetof(struct reg_check, seen_d) == RC_SEEN_D, "asm offset");
_Static_assert(offsetof(struct reg_check, expected_core) == RC_EXPECTED_CORE, "asm offset");
_Static_assert(offsetof(struct reg_check, expected_core[CORE_REGS]) == RC_EXPECTED_SP, "asm offset");
_Static_assert(offsetof(struct reg_check, seen_core) == RC_SEEN_CORE, "asm offset");
_Static_assert(offsetof(struct reg_check, seen_core[CORE_REGS]) == RC_SEEN_SP, "asm offset");
_Static_assert(offsetof(struct reg_check, expected_fpscr) == RC_EXPECTED_FPSCR, "asm offset");
_Static_assert(offsetof(struct reg_check, seen_fpscr) == RC_SEEN_FPSCR, "asm offset");
_Static_assert(offsetof(struct reg_check, interrupts) == RC_INTERRUPTS, "asm offset");
_Static_assert(offsetof(struct reg_check, until) == RC_UNTIL, "asm offset");
_Static_assert(offsetof(struct reg_check, limit) == RC_LIMIT, "asm offset");
_Static_assert(offsetof(struct reg_check, counter) == RC_COUNTER, "asm offset");

/* The spin's read of the test timer's count (low word) into r7; the upper
 * half of the d registers, where the FPU has them. */
#if __ARM_ARCH_PROFILE == 'M'
#define READ_COUNT_R7 TEST_TIMER_COUNT_R7
#define LOAD_D16_D31
#define STORE_D16_D31
#else
#define READ_COUNT_R7 "mrrc    p15, 0, r7, r8, c14\n\t"     /* CNTPCT */
#define LOAD_D16_D31 "vldmia  r1, {d16-d31}\n\t"
#define STORE_D16_D31 "vstmia  r6, {d16-d31}\n\t"
#endif

#define STR_(x) #x
#define STR(x) STR_(x)

/*
 * Loads the d registers, FPSCR, r0-r3, r9-r12 and lr from rc->expected_*, spins
 * (with r4-r8 only) until *rc->interrupts reaches rc->until or the
 * test timer's count passes rc->limit, then stores them all, and sp, in
 * rc->seen_*. Gives the caller back its FPSCR and callee-saved registers.
 */
__attribute__((naked, noinline)) static void hold_registers(struct reg_check *rc)
{
    (void)rc;
    __asm__ volatile(
        "push    {r4-r11, lr}\n\t"
        "vpush   {d8-d15}\n\t"
        "sub     sp, sp, #12\n\t"               /* rc, the caller's FPSCR; 8-byte aligned */
        "str     r0, [sp]\n\t"
        "vmrs    r1, fpscr\n\t"
        "str     r1, [sp, #4]\n\t"
        "str     sp, [r0, #" STR(RC_EXPECTED_SP) "]\n\t"
        "ldr     r4, [r0, #" STR(RC_LIMIT) "]\n\t"
        "ldr     r5, [r0, #" STR(RC_INTERRUPTS) "]\n\t"
        "ldr     r6, [r0, #" STR(RC_UNTIL) "]\n\t"
        "ldr     r1, [r0, #" STR(RC_EXPECTED_FPSCR) "]\n\t"
        "vmsr    fpscr, r1\n\t"
        "add     r1, r0, #" STR(RC_EXPECTED_D) "\n\t"
        "vldmia  r1!, {d0-d15}\n\t"
        LOAD_D16_D31
        "ldr     r8, [r0, #" STR(RC_COUNTER) "]\n\t"
        "add     r1, r0, #" STR(RC_EXPECTED_CORE) "\n\t"
        "ldm     r1, {r0-r3, r9-r12, lr}\n\t"
        /* The spin: interrupts land here, with everything under test live. */
        "1:\n\t"
        "ldr     r7, [r5]\n\t"
        "cmp     r7, r6\n\t"
        "bhs     2f\n\t"
        READ_COUNT_R7
        "subs    r7, r7, r4\n\t"
        "bmi     1b\n\t"
        "2:\n\t"
        "ldr     r7, [sp]\n\t"
        "add     r6, r7, #" STR(RC_SEEN_CORE) "\n\t"
        "stm     r6, {r0-r3, r9-r12, lr}\n\t"
        "str     sp, [r7, #" STR(RC_SEEN_SP) "]\n\t"
        "vmrs    r6, fpscr\n\t"
        "str     r6, [r7, #" STR(RC_SEEN_FPSCR) "]\n\t"
        "add     r6, r7, #" STR(RC_SEEN_D) "\n\t"
        "vstmia  r6!, {d0-d15}\n\t"
        STORE_D16_D31
        "ldr     r6, [sp, #4]\n\t"
        "vmsr    fpscr, r6\n\t"
        "add     sp, sp, #12\n\t"
        "vpop    {d8-d15}\n\t"
        "pop     {r4-r11, pc}\n\t");
}

static volatile uint32_t interrupts;
static volatile uint32_t irq_fpscr_seen;
static uint32_t period_ticks;

/*
 * The CNTP handler: re-arms the timer, then overwrites every register the
 * AAPCS lets a function clobber (the compiler saves d8-d15 for us, being
 * told they are clobbered too) with a value that changes every time.
 */
static void clobbering_irq(void *arg)
{
    (void)arg;
    uint32_t n = ++interrupts;
    uint32_t value = 0xc1000000u ^ (n * 0x9e3779b9u);
    uint32_t fpscr;

    test_timer_fire_at(test_timer_count() + period_ticks);
#if __ARM_ARCH_PROFILE == 'M'
    __asm__ volatile("vmsr    fpscr, %2\n\t"
                     "vmov    d0, %1, %1\n\t"
                     "vadd.f32 s2, s0, s1\n\t"
                     "vmov    d2, %1, %1\n\t"
                     "vmov    d3, %1, %1\n\t"
                     "vmov    d4, %1, %1\n\t"
                     "vmov    d5, %1, %1\n\t"
                     "vmov    d6, %1, %1\n\t"
                     "vmov    d7, %1, %1\n\t"
                     "vmov    d8, %1, %1\n\t"
                     "vmov    d9, %1, %1\n\t"
                     "vmov    d10, %1, %1\n\t"
                     "vmov    d11, %1, %1\n\t"
                     "vmov    d12, %1, %1\n\t"
                     "vmov    d13, %1, %1\n\t"
                     "vmov    d14, %1, %1\n\t"
                     "vmov    d15, %1, %1\n\t"
                     "mov     r0, %1\n\t"
                     "mov     r1, %1\n\t"
                     "mov     r2, %1\n\t"
                     "mov     r3, %1\n\t"
                     "mov     ip, %1\n\t"
                     "mov     lr, %1\n\t"
                     "vmrs    %0, fpscr\n\t"
                     : "=&r"(fpscr)
                     : "r"(value), "r"(IRQ_FPSCR)
                     : "r0", "r1", "r2", "r3", "ip", "lr", "cc", "d0", "d1", "d2", "d3", "d4",
                       "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15");
#else
    __asm__ volatile("vmsr    fpscr, %2\n\t"
                     "vdup.32 q0, %1\n\t"
                     "vadd.i32 q1, q0, q0\n\t"
                     "vadd.i32 q2, q1, q0\n\t"
                     "vadd.i32 q3, q2, q0\n\t"
                     "vadd.i32 q4, q3, q0\n\t"
                     "vadd.i32 q5, q4, q0\n\t"
                     "vadd.i32 q6, q5, q0\n\t"
                     "vadd.i32 q7, q6, q0\n\t"
                     "vadd.i32 q8, q7, q0\n\t"
                     "vadd.i32 q9, q8, q0\n\t"
                     "vadd.i32 q10, q9, q0\n\t"
                     "vadd.i32 q11, q10, q0\n\t"
                     "vadd.i32 q12, q11, q0\n\t"
                     "vadd.i32 q13, q12, q0\n\t"
                     "vadd.i32 q14, q13, q0\n\t"
                     "vadd.i32 q15, q14, q0\n\t"
                     "mov     r0, %1\n\t"
                     "mov     r1, %1\n\t"
                     "mov     r2, %1\n\t"
                     "mov     r3, %1\n\t"
                     "mov     ip, %1\n\t"
                     "mov     lr, %1\n\t"
                     "vmrs    %0, fpscr\n\t"
                     : "=&r"(fpscr)
                     : "r"(value), "r"(IRQ_FPSCR)
                     : "r0", "r1", "r2", "r3", "ip", "lr", "cc", "d0", "d1", "d2", "d3", "d4",
                       "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15",
                       "d16", "d17", "d18", "d19", "d20", "d21", "d22", "d23", "d24", "d25",
                       "d26", "d27", "d28", "d29", "d30", "d31");
#endif
    irq_fpscr_seen = fpscr;
}

/* What one context found over its rounds. */
struct context_result {
    unsigned int changed;
    uint32_t interrupts;        /* taken while its registers were held */
    unsigned int short_rounds;  /* rounds that ended before enough interrupts */
};

/* Mismatches named on the console: the first few tell the story. */
#define REPORTS_SHOWN 16
static unsigned int reports;

static void report(const char *where, const char *name, uint64_t seen, uint64_t expected)
{
    if (reports++ >= REPORTS_SHOWN) {
        return;
    }
    if (name[0] == 'd') {
        printf("# %s: %s = 0x%08lx%08lx, expected 0x%08lx%08lx\n", where, name,
               (unsigned long)(seen >> 32), (unsigned long)seen, (unsigned long)(expected >> 32),
               (unsigned long)expected);
    } else {
        printf("# %s: %s = 0x%08lx, expected 0x%08lx\n", where, name, (unsigned long)seen,
               (unsigned long)expected);
    }
}

/* One round: returns how many registers came back changed, naming them. */
static unsigned int check_round(struct reg_check *rc, const char *where, uint32_t seed,
                                struct context_result *result)
{
    uint32_t random = seed;
    unsigned int changed = 0;

    for (unsigned int i = 0; i < D_REGS; i++) {
        uint32_t lo = test_random_xorshift(&random), hi = test_random_xorshift(&random);
        rc->expected_d[i] = (uint64_t)hi << 32 | lo;
    }
    for (unsigned int i = 0; i < CORE_REGS; i++) {
        rc->expected_core[i] = test_random_xorshift(&random);
    }
    rc->expected_fpscr = THREAD_FPSCR;
#if __ARM_ARCH_PROFILE == 'M'
    rc->counter = TEST_TIMER_COUNTER;
#endif
    rc->interrupts = &interrupts;
    uint32_t before = interrupts;
    rc->until = before + IRQS_PER_ROUND;
    rc->limit = (uint32_t)test_timer_count() + timer_frequency() / 1000u * ROUND_LIMIT_MS;

    /* The interrupts run only around the check: with a broken entry, the
     * report below would be garbled by them too. */
    test_timer_fire_at(test_timer_count() + period_ticks);
    hold_registers(rc);
    test_timer_stop();

    uint32_t taken = interrupts - before;
    result->interrupts += taken;
    result->short_rounds += taken < IRQS_PER_ROUND;
    for (unsigned int i = 0; i < D_REGS; i++) {
        if (rc->seen_d[i] != rc->expected_d[i]) {
            char name[12];
            snprintf(name, sizeof(name), "d%u", i);
            report(where, name, rc->seen_d[i], rc->expected_d[i]);
            changed++;
        }
    }
    for (unsigned int i = 0; i <= CORE_REGS; i++) {
        if (rc->seen_core[i] != rc->expected_core[i]) {
            report(where, core_names[i], rc->seen_core[i], rc->expected_core[i]);
            changed++;
        }
    }
    if (rc->seen_fpscr != rc->expected_fpscr) {
        report(where, "fpscr", rc->seen_fpscr, rc->expected_fpscr);
        changed++;
    }
    return changed;
}

static struct reg_check main_check, coroutine_check;
static struct context_result in_main, in_coroutine;

CO_DEFINE(checker, 4096);

static void checker_fn(void *opaque)
{
    (void)opaque;
    for (unsigned int round = 0; round < ROUNDS; round++) {
        in_coroutine.changed += check_round(&coroutine_check, "coroutine", 0x6b43a9b5u + round, &in_coroutine);
        if (round + 1 < ROUNDS) {
            co_yield();
        }
    }
}

int main(void)
{
    kt_plan(6);
    period_ticks = timer_frequency() / 1000000u * PERIOD_US;
    irq_register(BOARD_TEST_TIMER_IRQ, clobbering_irq, NULL);
    co_init(&checker, checker_fn, NULL);

    /* Main and the coroutine take turns, on their own stacks. */
    for (unsigned int round = 0; round < ROUNDS; round++) {
        in_main.changed += check_round(&main_check, "main", 0x2545f491u + round, &in_main);
        co_enter(&checker);
    }
    irq_disable(BOARD_TEST_TIMER_IRQ);

    printf("# %lu interrupts in all; main held its registers through %lu, the coroutine through %lu\n",
           (unsigned long)interrupts, (unsigned long)in_main.interrupts,
           (unsigned long)in_coroutine.interrupts);
    KT_EXPECT_EQ(irq_fpscr_seen, IRQ_FPSCR, "the handler really ran with an FPSCR of its own");
    KT_EXPECT(in_main.interrupts >= ROUNDS * IRQS_PER_ROUND && in_main.short_rounds == 0,
              "main: thousands of interrupts while holding its registers");
    KT_EXPECT_EQ(in_main.changed, 0, "main: r0-r3, r9-r12, lr, sp, every d register and FPSCR survive every interrupt");
    KT_EXPECT(in_coroutine.interrupts >= ROUNDS * IRQS_PER_ROUND && in_coroutine.short_rounds == 0,
              "coroutine: thousands of interrupts while holding its registers");
    KT_EXPECT_EQ(in_coroutine.changed, 0,
                 "coroutine: r0-r3, r9-r12, lr, sp, every d register and FPSCR survive every interrupt");
    KT_EXPECT(co_terminated(&checker), "the coroutine finished its rounds");
    return kt_done();
}
