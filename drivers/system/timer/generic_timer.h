/* The ARM generic timer's virtual timer (CNTV) as the kernel's clock
 * (drivers/timer.h). */
#ifndef DRIVERS_TIMER_GENERIC_TIMER_H
#define DRIVERS_TIMER_GENERIC_TIMER_H

/* Takes the timer's interrupt; the timer stays off until a deadline is set. */
void timer_init(unsigned int irq);

#endif
