#!/usr/bin/env bash
# The layering rules that a compiler cannot check, run by `make lint`:
#   - inline assembly, CP15 accesses and barrier instructions only in the
#     architecture folders (arch/, boot/<arch>/, coro/arch/), and in the
#     tests that must set registers themselves;
#   - no driver includes a board header; board/board.h names no driver;
#   - the kernel (coro/, irq/, blk/) and the bus drivers (drivers/virtio/)
#     name no interrupt controller: they reach it through drivers/irq.h;
#   - the block layer (blk/) names no block driver: drivers register with
#     it (blk/device.h), and it includes no header of a driver's folder;
#   - only board/ itself and board/facts.h include a board's platform.h.
set -uo pipefail
cd "$(dirname "$0")/.."

# Tests that put values in registers, or execute chosen instructions, on
# purpose; and the benchmark's setjmp baseline, which moves d8-d15 itself.
allowed='^tests/qemu/(coro_registers|irq_registers|fault|fault_armv7m)\.c$|^tests/qemu/lib/switch_registers\.h$|^tests/bench/lib/setjmp_co\.h$'
status=0

asm=$(git grep -lE '__asm__|\basm[[:space:]]*(volatile)?[[:space:]]*\(|\b(mrc|mcr|mrrc|mcrr)[[:space:]]+p15|\b(dmb|dsb|isb)[[:space:]]+(sy|ish|osh|nsh)' \
      -- '*.c' '*.h' ':!arch/' ':!boot/*/*' ':!coro/arch/' | grep -Ev "$allowed")
if [[ -n $asm ]]; then
    echo "check-layers: inline assembly or a system register outside the architecture folders:"
    echo "$asm" | sed 's/^/    /'
    status=1
fi

board=$(git grep -lE '#include "(board/|platform\.h)' -- drivers/)
if [[ -n $board ]]; then
    echo "check-layers: a driver includes a board header (the board hands drivers their devices):"
    echo "$board" | sed 's/^/    /'
    status=1
fi

controller=$(git grep -lE '#include "drivers/system/' -- coro/ irq/ blk/ drivers/virtio/)
if [[ -n $controller ]]; then
    echo "check-layers: a controller's header included by the kernel or a bus driver (use drivers/irq.h):"
    echo "$controller" | sed 's/^/    /'
    status=1
fi

driver=$(git grep -lE '#include "drivers/[^/"]+/' -- blk/)
if [[ -n $driver ]]; then
    echo "check-layers: the block layer includes a driver's header (drivers register with blk/device.h):"
    echo "$driver" | sed 's/^/    /'
    status=1
fi

if git grep -qE '#include "drivers/' -- board/board.h; then
    echo "check-layers: board/board.h names a driver"
    status=1
fi

platform=$(git grep -lE '#include "(board/[^/"]+/)?platform\.h"' -- '*.c' '*.h' '*.S' ':!board/' ':!linker/')
if [[ -n $platform ]]; then
    echo "check-layers: a board's platform.h included outside board/ (use board/facts.h):"
    echo "$platform" | sed 's/^/    /'
    status=1
fi
exit $status
