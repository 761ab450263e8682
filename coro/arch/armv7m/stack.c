#include "coro_arch.h"

void co_arch_trampoline(void);

/* What co_arch_switch() pops, lowest address first. */
struct switch_frame {
#ifdef __ARM_FP
    uint32_t s16_s31[16];
#endif
    uint32_t r3;            /* alignment filler */
    uint32_t r4_r11[8];
    uint32_t pc;            /* popped from the slot lr was pushed to */
};
_Static_assert(sizeof(struct switch_frame) % 8 == 0, "the frame keeps sp 8-byte aligned");

void co_arch_prepare_stack(struct co *co)
{
    uintptr_t top = ((uintptr_t)co->stack + co->stack_size) & ~(uintptr_t)7;
    struct switch_frame *frame = (struct switch_frame *)(top - sizeof(*frame));

    /* The trampoline's address carries the Thumb bit: pop {..., pc}
     * stays in Thumb state. */
    *frame = (struct switch_frame){
        .r4_r11 = { (uint32_t)(uintptr_t)co },
        .pc = (uint32_t)(uintptr_t)co_arch_trampoline,
    };
    co->saved_sp = (uint32_t)(uintptr_t)frame;
}
