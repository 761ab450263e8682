"""Checks scripts/gdb/coro.py against tests/qemu/gdb_coro.c, from inside gdb.

Reports KTAP lines like the images do; the runner judges them the same way.
"""

import re

import gdb

results = []


def check(ok, name, output=""):
    results.append(bool(ok))
    gdb.write("%s %d %s\n" % ("ok" if ok else "not ok", len(results), name))
    if not ok:
        for line in output.splitlines():
            gdb.write("#   %s\n" % line)


def run(command):
    return gdb.execute(command, to_string=True)


def registers():
    core = ["r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "sp", "lr", "pc", status_register()[0]]
    values = {name: int(gdb.parse_and_eval("(unsigned int)$" + name)) for name in core}
    values.update({"d%d" % n: read_vfp("d%d" % n) for n in range(8, 16)})
    return values


def row(listing, label):
    """The co list row of one coroutine, as (state, cpu, stack, used, switches, site)."""
    match = re.search(r"^[ *] %s\s+0x[0-9a-f]{8} (\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)  (.*)$"
                      % re.escape(label), listing, re.M)
    return match.groups() if match else None


PLAN = 20
gdb.write("KTAP version 1\n1..%d\n" % (PLAN + 1))
run("break gdb_checkpoint")
run("continue")

listing = run("co list")
main = row(listing, "main")
check(main and main[0] == "running" and main[1] == "0", "co list: main is running on CPU 0 at the checkpoint",
      listing)
sleeper = row(listing, "sleeper")
check(sleeper and sleeper[0] == "waiting" and sleeper[1] == "0" and sleeper[2] == "2048" and int(sleeper[3]) > 0
      and sleeper[5].startswith("tests/qemu/gdb_coro.c:"),
      "co list: a sleeping coroutine is waiting, with its CPU, stack, use and site", listing)
nester = row(listing, "nester")
check(nester and nester[0] == "ready" and nester[4] == "1", "co list: a woken one is ready", listing)
crowd = (row(listing, "crowd#0"), row(listing, "crowd#1"))
check("crowd#0" not in listing and crowd[1] and crowd[1][0] == "suspended" and crowd[1][1] == "-"
      and crowd[1][4] == "0",
      "co list: an array element never entered (no CPU yet); a terminated one is left out", listing)
irq = row(listing, "interrupt handler")
check(irq and irq[0] == "interrupt" and irq[2] == "4096", "co list: the interrupt stack", listing)
last_cpu = int(gdb.parse_and_eval("elsewhere_cpu"))
elsewhere = row(listing, "elsewhere")
check(elsewhere and elsewhere[0] == "suspended" and elsewhere[1] == str(last_cpu),
      "co list: a coroutine that yielded on CPU %d is shown there" % last_cpu, listing)
trace = run("co bt elsewhere")
frames = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+)", trace, re.M)
check("yield_elsewhere" in frames and frames[-1:] == ["co_arch_trampoline"],
      "co bt: a coroutine suspended on CPU %d, from CPU 0" % last_cpu, trace)

before = registers()
trace = run("co bt digger")
frames = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+)", trace, re.M)
check("co_wait_end" in frames and "dig_level3" in frames and frames.index("co_wait_end") < frames.index("dig_level3"),
      "co bt: the innermost frames are the wait", trace)
check(frames.index("dig_level3") < frames.index("dig_level2") < frames.index("dig_level1") < frames.index("dig")
      if all(f in frames for f in ("dig_level3", "dig_level2", "dig_level1", "dig")) else False,
      "co bt: the coroutine's own calls, innermost first", trace)
check(frames[-1:] == ["co_arch_trampoline"] and "Backtrace stopped" not in trace,
      "co bt: it ends cleanly at the trampoline", trace)

trace = run("co bt sleeper")
check("sleep_a_while" in trace and "co_wait_end" in trace, "co bt: a sleeper is in co_wait_end", trace)
trace = run("co bt crowd#1")
frames = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+)", trace, re.M)
check(frames == ["co_arch_trampoline"], "co bt: one never entered is at the trampoline", trace)
trace = run("co bt crowd#0") + run("co bt main")
check("crowd#0: it is terminated" in trace and "main: it is running on CPU 0: use bt" in trace,
      "co bt: says why a coroutine has no frames to show", trace)
trace = run("co bt thumber")
frames = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+)", trace, re.M)
check(frames[:1] == ["yield_in_thumb"] and frames[-1:] == ["co_arch_trampoline"],
      "co bt: a coroutine that switched from Thumb code", trace)
everything = run("co bt all")
check(everything.count("co_arch_trampoline") >= 4 and "sleeper (waiting):" in everything,
      "co bt all: every switched-out coroutine", everything)
after = registers()
check(before == after, "co bt leaves every register as it was", "%s\n%s" % (before, after))

# In the timer's interrupt handler, as it ends the sleeper's wait: main,
# which the interrupt found in the main loop, is still the live coroutine.
run("delete")
run("break co_wait_complete_locked if (unsigned int)$sp - (unsigned int)co_cpus[0].irq.stack < co_cpus[0].irq.stack_size")
run("continue")
listing = run("co list")
irq, main = row(listing, "interrupt handler"), row(listing, "main")
check(irq and irq[0] == "running" and int(irq[3]) > 0 and main and main[0] == "running",
      "co list in a handler: the handler and the coroutine it interrupted run", listing)
trace = run("co bt main")
check("main: it is running on CPU 0: use bt" in trace and "(in an interrupt handler" in trace,
      "co bt in a handler: main is live", trace)
before = registers()
trace = run("co bt sleeper")
check("sleep_a_while" in trace and "co_arch_trampoline" in trace, "co bt in a handler: a waiting coroutine", trace)
check(registers() == before, "co bt in a handler leaves every register as it was", trace)

gdb.write("ok %d all tests ran\n" % (len(results) + 1) if len(results) == PLAN
          else "not ok %d all tests ran # %d of %d\n" % (len(results) + 1, len(results), PLAN))
run("delete")
try:
    run("continue")     # the image finishes its work and exits
except gdb.error:
    pass                # the connection closes as QEMU exits
