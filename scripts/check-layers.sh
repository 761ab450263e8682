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

# refuse WHAT FILES: fails the check, listing the files, if there are any.
refuse() {
    if [[ -n $2 ]]; then
        echo "check-layers: $1"
        echo "$2" | sed 's/^/    /'
        status=1
    fi
}

refuse "inline assembly or a system register outside the architecture folders:" "$(git grep -lE '__asm__|\basm[[:space:]]*(volatile)?[[:space:]]*\(|\b(mrc|mcr|mrrc|mcrr)[[:space:]]+p15|\b(dmb|dsb|isb)[[:space:]]+(sy|ish|osh|nsh)' \
      -- '*.c' '*.h' ':!arch/' ':!boot/*/*' ':!coro/arch/' | grep -Ev "$allowed")"

refuse "a driver includes a board header (the board hands drivers their devices):" "$(git grep -lE '#include "(board/|platform\.h)' -- drivers/)"

refuse "a controller's header included by the kernel or a bus driver (use drivers/irq.h):" "$(git grep -lE '#include "drivers/system/' -- coro/ irq/ blk/ drivers/virtio/)"

refuse "the block layer includes a driver's header (drivers register with blk/device.h):" "$(git grep -lE '#include "drivers/[^/"]+/' -- blk/)"

if git grep -qE '#include "drivers/' -- board/board.h; then
    echo "check-layers: board/board.h names a driver"
    status=1
fi

refuse "a board's platform.h included outside board/ (use board/facts.h):" "$(git grep -lE '#include "(board/[^/"]+/)?platform\.h"' -- '*.c' '*.h' '*.S' ':!board/' ':!linker/')"
exit $status
