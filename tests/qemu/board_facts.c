/*
 * What board/facts.h promises on every board: its BOARD_IS_<name> macro,
 * the one BOARD_NAME spells, and no other board's (a board of one's own,
 * docs/porting.md, has none of these three), and console interrupts the
 * interrupt layer knows (a handler can be registered for each, and is
 * taken away); and cpu_hw_id() of the CPU main() runs on.
 */
#include "board/facts.h"
#include "boot/kernel.h"
#include "drivers/irq.h"
#include "tests/qemu/lib/ktest.h"

#include <ctype.h>
#include <string.h>

static void ignore(void *arg)
{
    (void)arg;
}

/* BOARD_NAME in capitals, '-' as '_': the macro's suffix. */
static const char *macro_name(void)
{
    static const char name[] = BOARD_NAME;
    static char upper[sizeof(name)];

    for (size_t i = 0; i < sizeof(name); i++) {
        upper[i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
    }
    return upper;
}

static bool registers(unsigned int irq)
{
    bool ok = irq_register(irq, ignore, NULL) == 0;

    irq_unregister(irq);
    return ok;
}

int main(void)
{
    int defined = 0;
    const char *named = "";

#ifdef BOARD_IS_QEMU_VIRT
    defined++;
    named = "QEMU_VIRT";
#endif
#ifdef BOARD_IS_MPS2_AN386
    defined++;
    named = "MPS2_AN386";
#endif
#ifdef BOARD_IS_NETDUINOPLUS2
    defined++;
    named = "NETDUINOPLUS2";
#endif
    kt_plan(4);
    KT_EXPECT(defined <= 1, "no other board's BOARD_IS_ macro");
    KT_EXPECT(defined == 0 || strcmp(named, macro_name()) == 0, "the one BOARD_NAME spells");
    KT_EXPECT(registers(BOARD_CONSOLE_RX_IRQ) && registers(BOARD_CONSOLE_TX_IRQ) && registers(BOARD_CONSOLE_OVERRUN_IRQ),
              "the console's interrupts are lines of the board's controller");
    /* main() runs on the first CPU: MPIDR 0 on virt, and 0 for a core
     * without MPIDR. */
    KT_EXPECT_EQ(cpu_hw_id(), 0, "the first CPU's hardware number is 0");
    return kt_done();
}
