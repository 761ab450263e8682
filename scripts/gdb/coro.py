"""gdb commands for the coroutine kernel.

    co list                 every coroutine the kernel knows: the co_dump() table,
                            with the CPU each runs or last ran on
    co bt NAME[#INDEX]      the backtrace of a coroutine that is not running
    co bt ADDRESS           the same, for the struct co at ADDRESS
    co bt all               every coroutine's backtrace

`make debug` writes a build/gdbinit that sources this file; otherwise
`source scripts/gdb/coro.py` in gdb-multiarch.

A coroutine that is switched out keeps its registers in a switch frame on
its own stack (coro/arch/<arch>/stack.c lays out the same frame for a new
one; ARMv7-M's holds s16-s31 where ARMv7-A's holds d8-d15, the same
registers to gdb). `co bt` loads that frame into the CPU's registers, lets gdb unwind
from there and puts every register back, so the target is left exactly as
it was, whichever CPU it last ran on. The live coroutine of a CPU, the
one it is running or an interrupt handler interrupted, is the end of the
caller chain that starts at that CPU's main context; for it, plain `bt`
in that CPU's thread is the backtrace.
"""

import collections

import gdb

# struct switch_frame in coro/arch/<arch>/stack.c, from saved_sp up.
FRAME_D8_D15 = 8 * 8
FRAME_R3 = 4
FRAME_R4_R11 = 8 * 4
FRAME_PC = 4
FRAME_SIZE = FRAME_D8_D15 + FRAME_R3 + FRAME_R4_R11 + FRAME_PC
CALLEE_SAVED = ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11"]
VFP_SAVED = ["d%d" % n for n in range(8, 16)]
STACK_PAINT = 0xA5A5A5A5        # CO_STACK_PAINT in coro/internal.h: never-used stack words


def status_register():
    """The program status register and its Thumb bit: ARMv7-A's cpsr, or
    M profile's xpsr (where every code is Thumb)."""
    try:
        int(gdb.parse_and_eval("(unsigned int)$xpsr"))
        return "xpsr", 1 << 24
    except gdb.error:
        return "cpsr", 1 << 5


def _registry():
    """Every registered coroutine, newest first (coro/dump.c's list), as a
    struct co pointer: int() of one is its address."""
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


def _cpus():
    """Each CPU's struct co_cpu (coro/cpu.h), as many as the image has."""
    count = int(gdb.parse_and_eval("sizeof(co_cpus) / sizeof(co_cpus[0])"))
    return [gdb.parse_and_eval("co_cpus[%d]" % i) for i in range(count)]


def _lives(cpus):
    """For each CPU, the address of the coroutine at the end of its caller
    chain (the one that entered no other), or of its main context when
    nothing is entered there. A chain's first caller is a CPU's main."""
    roots = {int(cpu["main"].address): index for index, cpu in enumerate(cpus)}
    lives = {index: int(cpu["main"].address) for index, cpu in enumerate(cpus)}
    entered = [co for co in _registry() if int(co["caller"]) != 0]
    callers = {int(co["caller"]) for co in entered}
    for tip in (co for co in entered if int(co) not in callers):
        root = tip
        while int(root["caller"]) != 0:
            root = root["caller"]
        if int(root) in roots:
            lives[roots[int(root)]] = int(tip)
    return lives


def _kernel_state(co):
    """co's enum co_state, lower case and without its prefix: "waiting", "irq"..."""
    return str(co["state"].cast(gdb.lookup_type("enum co_state"))).replace("CO_STATE_", "").lower()


def _threads(cpus):
    """gdb's thread for each CPU: QEMU numbers its threads CPU index + 1."""
    return {thread.ptid[1] - 1: thread for thread in gdb.selected_inferior().threads()
            if 0 < thread.ptid[1] <= len(cpus)}


def _in_handlers(cpus, threads):
    """The CPUs in an interrupt handler: their sp is on their IRQ stack."""
    busy = set()
    selected = gdb.selected_thread()
    try:
        for index, thread in threads.items():
            thread.switch()
            low, high = _stack_range(cpus[index]["irq"])
            if low <= int(gdb.parse_and_eval("(unsigned int)$sp")) < high:
                busy.add(index)
    finally:
        selected.switch()
    return busy


# What the CPUs are doing, read once per command: each one's live
# coroutine, gdb's thread for it, and which are in an interrupt handler.
Now = collections.namedtuple("Now", "cpus lives threads in_handler")


def _now():
    cpus = _cpus()
    threads = _threads(cpus)
    return Now(cpus, _lives(cpus), threads, _in_handlers(cpus, threads))


def _own_cpu(co, now):
    """The CPU whose main context or interrupt stand-in co is, or None."""
    for index, cpu in enumerate(now.cpus):
        if int(co) in (int(cpu["main"].address), int(cpu["irq"].address)):
            return index
    return None


def _cpu(co, now):
    """The CPU co runs or last ran on; None if it never ran."""
    own = _own_cpu(co, now)
    if own is not None:
        return own
    return int(co["cpu"]) if int(co["switches"]) != 0 else None


def _running(co, now):
    """Whether co is what a CPU runs now: its live coroutine, or its
    interrupt handler's stand-in while a handler runs there."""
    if _kernel_state(co) == "irq":
        return _own_cpu(co, now) in now.in_handler
    return int(co) in now.lives.values()


def _state(co, now):
    if _running(co, now) or int(co["caller"]) != 0:
        return "running"
    name = _kernel_state(co)
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
            if int(co) == address:
                return co
        raise gdb.GdbError("no coroutine at %s" % spec)
    for co in _registry():
        if _label(co) == spec or (_string(co["name"]) == spec and not int(co["numbered"])):
            return co
    raise gdb.GdbError("no coroutine named %s (co list shows them)" % spec)


def _switched_out(co, now):
    """Why co has no switch frame to unwind, or None if it has one."""
    state = _state(co, now)
    if _running(co, now):
        cpu = _cpu(co, now)
        thread = now.threads.get(cpu)
        where = " (thread %d)" % thread.num if thread and len(now.threads) > 1 else ""
        return "it is running on CPU %d: use bt%s" % (cpu, where) + (
            " (in an interrupt handler: bt shows it too)" if cpu in now.in_handler else "")
    if state in ("new", "terminated"):
        return "it is %s: it has no stack frames" % state
    if state == "interrupt" or int(co["saved_sp"]) == 0:
        return "it never switched out"
    return None


def _backtrace(co, now):
    reason = _switched_out(co, now)
    if reason:
        gdb.write("%s: %s\n" % (_label(co), reason))
        return
    frame_address = int(co["saved_sp"])
    frame = gdb.selected_inferior().read_memory(frame_address, FRAME_SIZE).tobytes()
    doubles = [int.from_bytes(frame[i:i + 8], "little") for i in range(0, FRAME_D8_D15, 8)]
    # r3 (alignment filler), r4-r11, then the address it resumes at.
    words = [int.from_bytes(frame[i:i + 4], "little") for i in range(FRAME_D8_D15, FRAME_SIZE, 4)]
    resume = words[-1]

    header = "%s (%s):\n" % (_label(co), _state(co, now))
    status, thumb = status_register()
    before = _read_registers(status)
    after_switch = dict(zip(VFP_SAVED, doubles))
    after_switch.update(zip(CALLEE_SAVED, words[1:-1]))
    after_switch["sp"] = frame_address + FRAME_SIZE     # lr: a switch pops it into pc
    after_switch[status] = before[status] | thumb if resume & 1 else before[status] & ~thumb
    after_switch["pc"] = resume & ~1
    try:
        _write_registers(after_switch, status)
        gdb.write(header)
        gdb.execute("bt")
    finally:
        _write_registers(before, status)


# pc comes before lr: gdb refuses to write lr while pc is at the
# trampoline, whose call-frame information marks lr undefined. _backtrace()
# leaves lr alone (a switch pops the saved lr into pc) and writes it back
# only when pc is back where it was.
def _register_order(status):
    return ["pc", status, "sp", "lr"] + CALLEE_SAVED + VFP_SAVED


def _is_vector(register):
    """d registers are unions (u64 among them) with NEON, plain doubles on
    an M-profile FPU."""
    return gdb.parse_and_eval("$" + register).type.strip_typedefs().code == gdb.TYPE_CODE_UNION


def read_vfp(register):
    """A d register's 64 bits, whatever its type."""
    if _is_vector(register):
        return int(gdb.parse_and_eval("$%s.u64" % register))
    return int(gdb.execute("print/x $" + register, to_string=True).split("=", 1)[1], 16)


def _write_vfp(register, bits):
    if _is_vector(register):
        gdb.execute("set $%s.u64 = %d" % (register, bits))
        return
    # The bits as a double of the register's own type: no conversion.
    value_type = gdb.parse_and_eval("$" + register).type
    gdb.set_convenience_variable("co_vfp_bits", gdb.Value(bits.to_bytes(8, "little"), value_type))
    gdb.execute("set $%s = $co_vfp_bits" % register)


def _read_registers(status):
    return {r: read_vfp(r) if r in VFP_SAVED else int(gdb.parse_and_eval("(unsigned int)$" + r))
            for r in _register_order(status)}


def _write_registers(values, status):
    gdb.execute("select-frame 0")
    for register in (r for r in _register_order(status) if r in values):
        if register in VFP_SAVED:
            _write_vfp(register, values[register])
        else:
            gdb.execute("set $%s = %d" % (register, values[register]))


class CoPrefix(gdb.Command):
    """Coroutines: co list, co bt NAME|ADDRESS|all."""

    def __init__(self):
        super().__init__("co", gdb.COMMAND_DATA, prefix=True)


class CoList(gdb.Command):
    """Every coroutine: state, stack size and high-water mark, switches, last site."""

    def __init__(self):
        super().__init__("co list", gdb.COMMAND_DATA)

    def invoke(self, argument, from_tty):
        now = _now()
        shown = [co for co in _registry() if _state(co, now) != "terminated"]    # as co_dump()
        width = max([18] + [len(_label(co)) for co in shown])
        gdb.write("  %-*s %-10s %-10s %3s %7s %7s %10s  last site\n"
                  % (width, "coroutine", "address", "state", "cpu", "stack", "used", "switches"))
        for co in shown:
            state = _state(co, now)
            site = co["site"]
            where = ""
            if int(site) != 0:
                where = "%s:%d" % (_string(site["file"]), int(site["line"]))
            cpu = _cpu(co, now)
            gdb.write("%s %-*s 0x%08x %-10s %3s %7d %7d %10d  %s\n" % (
                "*" if _running(co, now) else " ", width, _label(co), int(co), state,
                "-" if cpu is None else cpu, int(co["stack_size"]), _high_water(co),
                int(co["switches"]), where))


class CoBacktrace(gdb.Command):
    """Backtrace of a switched-out coroutine: co bt NAME[#INDEX] | ADDRESS | all."""

    def __init__(self):
        super().__init__("co bt", gdb.COMMAND_STACK)

    def invoke(self, argument, from_tty):
        spec = argument.strip()
        if not spec:
            raise gdb.GdbError("usage: co bt NAME[#INDEX] | ADDRESS | all")
        now = _now()
        if spec == "all":
            for co in _registry():
                if _switched_out(co, now) is None:
                    _backtrace(co, now)
            return
        _backtrace(_find(spec), now)


CoPrefix()
CoList()
CoBacktrace()
