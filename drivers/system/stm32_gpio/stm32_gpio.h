/* The STM32F2/F4 GPIO ports: what a pin is wired to. */
#ifndef DRIVERS_STM32_GPIO_STM32_GPIO_H
#define DRIVERS_STM32_GPIO_STM32_GPIO_H

#include <stdint.h>

/* Pin `pin` (0-15) of the port at base to alternate function af (0-15),
 * which connects it to a peripheral (the datasheet's table). */
void stm32_gpio_set_af(uintptr_t base, unsigned int pin, unsigned int af);

#endif
