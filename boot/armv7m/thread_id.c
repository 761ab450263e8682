/* The words that stand in for the thread ID registers ARMv7-M lacks
 * (arch/sysreg.h): zero from reset, so that an IRQ before the coroutine
 * core has set itself up sees no current coroutine and no stand-in. */
#include "arch/sysreg.h"

volatile uint32_t thread_id_words[2];
