/*
 * ARM semihosting: requests to the debugger or emulator, made with the
 * architecture's trap (arch/semihost.h). QEMU serves them with
 * -semihosting-config enable=on,target=native.
 */
#ifndef BOOT_SEMIHOST_H
#define BOOT_SEMIHOST_H

#include <stddef.h>

/* Ends the run; QEMU exits with status. Returns only without semihosting. */
void semihost_exit(int status);

/* Copies the command line into buf; returns its length or -1. */
int semihost_cmdline(char *buf, size_t size);

#endif
