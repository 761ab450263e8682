#include "drivers/system/stm32f4_rcc/stm32f4_rcc.h"

/* Register offsets, in 32-bit words. */
#define RCC_CR          (0x00 / 4)
#define RCC_PLLCFGR     (0x04 / 4)
#define RCC_CFGR        (0x08 / 4)
#define FLASH_ACR       (0x00 / 4)  /* of the flash interface */

#define RCC_CR_HSIRDY   (1u << 1)
#define RCC_CR_PLLON    (1u << 24)
#define RCC_CR_PLLRDY   (1u << 25)

/* 16 MHz / M = 1 MHz into the VCO, x N = 336 MHz, / P = 168 MHz for the
 * system clock, / Q = 48 MHz for USB; the source is the HSI (bit 22 clear). */
#define PLLCFGR_M       16u
#define PLLCFGR_N       (336u << 6)
#define PLLCFGR_P_2     (0u << 16)
#define PLLCFGR_Q       (7u << 24)
#define PLLCFGR_FIELDS  0x0f437fffu /* M, N, P, the source and Q; the rest is reserved */

#define CFGR_SW_PLL     2u          /* the system clock from the PLL */
#define CFGR_SWS_MASK   (3u << 2)
#define CFGR_SWS_PLL    (2u << 2)
#define CFGR_PPRE1_4    (5u << 10)  /* APB1 at AHB / 4: 42 MHz, its most */
#define CFGR_PPRE2_2    (4u << 13)  /* APB2 at AHB / 2: 84 MHz, its most */

/* 168 MHz at 2.7-3.6 V takes 5 wait states; prefetch and both caches on. */
#define FLASH_ACR_5WS   (5u | 1u << 8 | 1u << 9 | 1u << 10)

bool stm32f4_rcc_init(uintptr_t rcc_base, uintptr_t flash_if_base)
{
    volatile uint32_t *rcc = (volatile uint32_t *)rcc_base;
    volatile uint32_t *flash = (volatile uint32_t *)flash_if_base;

    if (!(rcc[RCC_CR] & RCC_CR_HSIRDY)) {
        return false;
    }
    flash[FLASH_ACR] = FLASH_ACR_5WS;       /* before the clock is raised */
    rcc[RCC_CFGR] = CFGR_PPRE1_4 | CFGR_PPRE2_2;
    rcc[RCC_PLLCFGR] = (rcc[RCC_PLLCFGR] & ~PLLCFGR_FIELDS) | PLLCFGR_M | PLLCFGR_N | PLLCFGR_P_2 | PLLCFGR_Q;
    rcc[RCC_CR] |= RCC_CR_PLLON;
    while (!(rcc[RCC_CR] & RCC_CR_PLLRDY)) {
    }
    rcc[RCC_CFGR] |= CFGR_SW_PLL;
    while ((rcc[RCC_CFGR] & CFGR_SWS_MASK) != CFGR_SWS_PLL) {
    }
    return true;
}

void stm32f4_rcc_enable(uintptr_t rcc_base, uint32_t offset, unsigned int bit)
{
    volatile uint32_t *enable = (volatile uint32_t *)(rcc_base + offset);

    *enable |= 1u << bit;
    (void)*enable;      /* the clock is on before the peripheral's first access */
}
