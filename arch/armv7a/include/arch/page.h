/*
 * The smallest unit the MMU maps: a short-descriptor small page. Stacks
 * start on one so that the page below can be left unmapped (boot/guard.h).
 */
#ifndef ARCH_ARMV7A_PAGE_H
#define ARCH_ARMV7A_PAGE_H

#define ARCH_PAGE_SIZE 4096u

#endif
