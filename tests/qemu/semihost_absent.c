/*
 * Semihosting with nobody to answer it, as on a board without a debugger:
 * a call returns -1 (ARMv7-A's SVC vector answers it, ARMv7-M's HardFault
 * handler the BKPT), the image runs on, and its exit parks the CPU, which
 * the runner can only see as a timeout.
 *
 * runner: name=answered qemu='-semihosting-config enable=off' timeout=3 meta='no semihosting: the command line call returned -1'
 * runner: name=exit-parks qemu='-semihosting-config enable=off' timeout=3 meta='not ok # timed out after 3s'
 */
#include "boot/semihost.h"

#include <stdio.h>

int main(void)
{
    char cmdline[64];

    printf("no semihosting: the command line call returned %d\n", semihost_cmdline(cmdline, sizeof(cmdline)));
    return 0;
}
