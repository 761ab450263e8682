"""gdb commands for the coroutine kernel.

    co list                 every coroutine the kernel knows: the co_dump() table
    co bt NAME[#INDEX]      the backtrace of a coroutine that is not running
    co bt ADDRESS           the same, for the struct co at ADDRESS
    co bt all               every coroutine's backtrace

`make debug` writes a build/gdbinit that sources this file; otherwise
`source scripts/gdb/coro.py` in gdb-multiarch.

A coroutine that is switched out keeps its registers in a switch frame on
its own stack (coro/arch/armv7a/stack.c lays out the same frame for a new
one). `co bt` loads that frame into the CPU's registers, lets gdb unwind
from there and puts every register back, so the target is left exactly as
it was. The running coroutine is the one whose stack holds sp; for it,
plain `bt` is the backtrace.
"""

import gdb

# struct switch_frame in coro/arch/armv7a/stack.c, from saved_sp up.
FRAME_D8_D15 = 8 * 8
FRAME_R3 = 4
FRAME_R4_R11 = 8 * 4
FRAME_PC = 4
FRAME_SIZE = FRAME_D8_D15 + FRAME_R3 + FRAME_R4_R11 + FRAME_PC
CALLEE_SAVED = ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"]
CPSR_THUMB = 1 << 5
STACK_PAINT = 0xA5A5A5A5        # CO_STACK_PAINT in coro/internal.h: never-used stack words


def _registry():
    """Every registered struct co, newest first (coro/dump.c's list)."""
    co = gdb.parse_and_eval("all_head")
    while int(co) != 0:
        yield co
        co = co["all_next"]


def _string(ptr):
    return ptr.string() if int(ptr) != 0 else None


def _label(co):
    name = _string(co["name"]) or "(unnamed)"
    return "%s#%d" % (name, int(co["index"])) if int(co["numbered"]) else name


def _stack_range(co):
    base = int(co["stack"])
    return base, base + int(co["stack_size"])


def _running(co):
    """The coroutine whose stack holds the CPU's sp right now."""
    sp = int(gdb.parse_and_eval("$sp"))
    low, high = _stack_range(co)
    return low <= sp < high


def _state(co):
    if _running(co) or int(co["caller"]) != 0:
        return "running"
    name = str(co["state"].cast(gdb.lookup_type("enum co_state")))
    name = name.replace("CO_STATE_", "").lower()
    return "interrupt" if name == "irq" else name     # as co_dump() says it


def _high_water(co):
    """Bytes of stack ever used: the words above the guard no longer painted."""
    guard = int(co["stack_guard"])
    low, high = _stack_range(co)
    if guard == 0 or high <= low:
        return 0
    words = gdb.selected_inferior().read_memory(guard + 4, high - guard - 4).tobytes()
    unused = 0
    for offset in range(0, len(words) - 3, 4):
        if int.from_bytes(words[offset:offset + 4], "little") != STACK_PAINT:
            break
        unused += 4
    return high - guard - 4 - unused


def _find(spec):
    if spec.startswith("0x") or spec.isdigit():
        address = int(spec, 0)
        for co in _registry():
            if int(co.address) == address:
                return co
        raise gdb.GdbError("no coroutine at %s" % spec)
    for co in _registry():
        if _label(co) == spec or (_string(co["name"]) == spec and not int(co["numbered"])):
            return co
    raise gdb.GdbError("no coroutine named %s (co list shows them)" % spec)


def _switched_out(co):
    """Why co has no switch frame to unwind, or None if it has one."""
    state = _state(co)
    if _running(co):
        return "it is running: use bt"
    if state in ("new", "terminated"):
        return "it is %s: it has no stack frames" % state
    if state == "interrupt" or int(co["saved_sp"]) == 0:
        return "it never switched out"
    return None


def _backtrace(co):
    reason = _switched_out(co)
    if reason:
        gdb.write("%s: %s\n" % (_label(co), reason))
        return
    frame_address = int(co["saved_sp"])
    frame = gdb.selected_inferior().read_memory(frame_address, FRAME_SIZE).tobytes()
    words = [int.from_bytes(frame[i:i + 4], "little") for i in range(FRAME_D8_D15, FRAME_SIZE, 4)]
    saved = dict(zip(CALLEE_SAVED, words[1:9]))
    resume = words[9]

    header = "%s (%s):\n" % (_label(co), _state(co))    # before sp moves to its stack
    registers = CALLEE_SAVED + ["sp", "lr", "pc", "cpsr"]
    before = {r: int(gdb.parse_and_eval("(unsigned int)$" + r)) for r in registers}
    cpsr = before["cpsr"] | CPSR_THUMB if resume & 1 else before["cpsr"] & ~CPSR_THUMB
    try:
        for register, value in saved.items():
            gdb.execute("set $%s = %d" % (register, value))
        gdb.execute("set $sp = %d" % (frame_address + FRAME_SIZE))
        gdb.execute("set $lr = %d" % resume)
        gdb.execute("set $cpsr = %d" % cpsr)
        gdb.execute("set $pc = %d" % (resume & ~1))
        gdb.write(header)
        gdb.execute("bt")
    finally:
        # pc first: at the trampoline lr counts as undefined, and gdb
        # refuses to write an undefined register.
        gdb.execute("select-frame 0")
        for register in reversed(registers):
            gdb.execute("set $%s = %d" % (register, before[register]))


class CoPrefix(gdb.Command):
    """Coroutines: co list, co bt NAME|ADDRESS|all."""

    def __init__(self):
        super().__init__("co", gdb.COMMAND_DATA, prefix=True)


class CoList(gdb.Command):
    """Every coroutine: state, stack size and high-water mark, switches, last site."""

    def __init__(self):
        super().__init__("co list", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        gdb.write("  %-18s %-10s %-10s %7s %7s %10s  last site\n"
                  % ("coroutine", "address", "state", "stack", "used", "switches"))
        for co in _registry():
            if _state(co) == "terminated":
                continue    # as co_dump()
            site = co["site"]
            where = ""
            if int(site) != 0:
                where = "%s:%d" % (_string(site["file"]), int(site["line"]))
            gdb.write("%s %-18s 0x%08x %-10s %7d %7d %10d  %s\n" % (
                "*" if _running(co) else " ", _label(co), int(co.address), _state(co),
                int(co["stack_size"]), _high_water(co), int(co["switches"]), where))


class CoBacktrace(gdb.Command):
    """Backtrace of a switched-out coroutine: co bt NAME[#INDEX] | ADDRESS | all."""

    def __init__(self):
        super().__init__("co bt", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        spec = argument.strip()
        if not spec:
            raise gdb.GdbError("usage: co bt NAME[#INDEX] | ADDRESS | all")
        if spec == "all":
            for co in _registry():
                if _switched_out(co) is None:
                    _backtrace(co)
            return
        _backtrace(_find(spec))


CoPrefix()
CoList()
CoBacktrace()
