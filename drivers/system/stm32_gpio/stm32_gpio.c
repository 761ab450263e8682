#include "drivers/system/stm32_gpio/stm32_gpio.h"

/* Register offsets, in 32-bit words. */
#define GPIO_MODER      (0x00 / 4)  /* two bits a pin */
#define GPIO_AFR(n)     (0x20 / 4 + (n))    /* four bits a pin: AFRL for 0-7, AFRH for 8-15 */

#define GPIO_MODE_AF    2u

void stm32_gpio_set_af(uintptr_t base, unsigned int pin, unsigned int af)
{
    volatile uint32_t *gpio = (volatile uint32_t *)base;
    unsigned int shift = pin % 8 * 4;

    gpio[GPIO_AFR(pin / 8)] = (gpio[GPIO_AFR(pin / 8)] & ~(0xfu << shift)) | af << shift;
    gpio[GPIO_MODER] = (gpio[GPIO_MODER] & ~(3u << pin * 2)) | GPIO_MODE_AF << pin * 2;
}
