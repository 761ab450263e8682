# Build, boot and test the coroutine kernel. `make help` lists the targets.
#
#   make run                  build the application (APP) and boot it in QEMU
#   make test                 build every test image and run them all headlessly
#   make test-all             the same on every board at every optimisation level
#   make OPT=Os BOARD=qemu-virt APP=path/to/app run
#   make BOARD=mps2-an386 test    the same on the Cortex-M4 board

BOARD ?= qemu-virt
# make debug and debug-hw build at -O0 unless OPT is given: gdb then finds
# every variable where the source has it.
ifneq ($(filter debug debug-hw,$(MAKECMDGOALS)),)
OPT   ?= O0
endif
OPT   ?= O2
SMP   ?= 1
V     ?= 0
comma := ,

# Optimisation levels: the whole suite must pass at each of them, because
# context-switch bugs show only when the compiler is allowed to be clever.
OPT_LEVELS      := O0 O2 Os O3-lto
OPT_FLAGS_O0    := -O0
OPT_FLAGS_O2    := -O2
OPT_FLAGS_Os    := -Os
OPT_FLAGS_O3-lto := -O3 -flto=auto
OPT_FLAGS       := $(OPT_FLAGS_$(OPT))
ifeq ($(OPT_FLAGS),)
$(error OPT=$(OPT) is not one of: $(OPT_LEVELS))
endif
BOARDS := $(patsubst board/%/board.mk,%,$(wildcard board/*/board.mk))
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error BOARD=$(BOARD): there is no board/$(BOARD)/board.mk; the boards are: $(BOARDS))
endif

include board/$(BOARD)/board.mk
# The application: the board's own by default (BOARD_APP in its board.mk).
APP   ?= $(BOARD_APP)
# LAYOUT: one of the board's memory maps, its first by default.
LAYOUT ?= $(firstword $(LAYOUTS))
ifeq ($(filter $(LAYOUT),$(LAYOUTS)),)
$(error LAYOUT=$(LAYOUT): board $(BOARD) has the layouts $(LAYOUTS))
endif
ifeq ($(IRQ_LINES),)
$(error board/$(BOARD)/board.mk sets no IRQ_LINES (its interrupt controller's interrupts))
endif
ifeq ($(wildcard arch/$(ARCH)/include),)
$(error ARCH=$(ARCH) (from board/$(BOARD)/board.mk): there is no arch/$(ARCH)/include)
endif

# FLOAT=soft: built without the FPU (-mfloat-abi=soft), as for a core that
# has none: the switch then saves no FPU registers. make bench measures the
# switch this way too on boards that say so (BENCH_SOFT_FLOAT). A board's
# FLOATS (board.mk) says whether it can be built so.
FLOAT ?=
ifneq ($(filter-out $(FLOATS),$(FLOAT)),)
$(error FLOAT=$(FLOAT): board $(BOARD) is built $(if $(FLOATS),with FLOAT=$(FLOATS) or,only) with its own float ABI (FLOATS in board/$(BOARD)/board.mk))
endif
ifeq ($(FLOAT),soft)
CPU_FLAGS := $(filter-out -mfpu=% -mfloat-abi=%,$(CPU_FLAGS)) -mfloat-abi=soft
endif

# SMP=n: an image for up to n CPUs (its locks are real ones), booted with
# -smp n; it runs on as many of them as the machine has. The board's
# CPUS_MAX (board.mk, the C code's BOARD_CPUS_MAX) bounds n.
CPU_COUNTS := $(shell seq 1 $(CPUS_MAX))
ifeq ($(filter $(SMP),$(CPU_COUNTS)),)
ifeq ($(shell [ "$(SMP)" -gt 0 ] 2>/dev/null && echo number),number)
$(error SMP=$(SMP): board $(BOARD) has at most $(CPUS_MAX) CPU$(if $(filter-out 1,$(CPUS_MAX)),s) (CPUS_MAX in board/$(BOARD)/board.mk))
endif
$(error SMP=$(SMP): give a number of CPUs, 1 to $(CPUS_MAX) on board $(BOARD))
endif
ifneq ($(SMP),1)
QEMU_ARGS += -smp $(SMP)
# A test that needs several CPUs says "requires: smp".
BOARD_FEATURES += smp
endif

Q      := $(if $(filter 1,$(V)),,@)
# What a build is named by, in build/ and in test results: the layout when
# it is not the board's first, the level, the CPUs when more than one, the
# float ABI and the IRQ hook when not the default.
LABEL  := $(if $(filter-out $(firstword $(LAYOUTS)),$(LAYOUT)),$(LAYOUT)-)$(OPT)$(if $(filter-out 1,$(SMP)),-smp$(SMP))$(if $(FLOAT),-$(FLOAT))$(if $(filter 1,$(IRQ_HOOK)),-irqhook)
BUILD  := build/$(BOARD)-$(LABEL)
NPROC  := $(shell nproc 2>/dev/null || echo 2)
# Test images booted at once: no more busy virtual CPUs than host cores
# (QEMU's multi-threaded TCG runs each on a host thread); the runner counts
# an image's CPUs as busy for the tests that spread work over them
# (tests/qemu/run.sh, --cpus).
TEST_JOBS := $(NPROC)

# The application: every .c file of $(APP), which may live outside the tree.
# An optional $(APP)/app.mk adds QEMU arguments (APP_QEMU_ARGS), files the
# run needs (APP_RUN_DEPS) and build settings such as CO_POOL_SIZE; it is
# read here, before the flags are made from those settings. Two
# applications with the same folder name build apart: the build folder is
# named after the whole path.
# The goals that build the application say so when APP is no folder of C
# sources, before the link would find no main().
APP_GOALS := build all run flash debug debug-hw test-app size compdb
ifneq ($(filter $(APP_GOALS),$(or $(MAKECMDGOALS),build)),)
ifeq ($(wildcard $(APP)/.),)
$(error APP=$(APP): the folder does not exist)
else ifeq ($(wildcard $(APP)/*.c),)
$(error APP=$(APP): the folder has no .c files (an application is a folder of C sources with a main(), and an optional app.mk))
endif
endif
APP_NAME  := $(notdir $(abspath $(APP)))
APP_BUILD := $(BUILD)/app/$(subst /,_,$(patsubst /%,%,$(patsubst $(CURDIR)/%,%,$(abspath $(APP)))))
APP_SRCS  := $(wildcard $(APP)/*.c)
APP_OBJS  := $(patsubst $(APP)/%,$(APP_BUILD)/%.o,$(APP_SRCS))
APP_ELF   := $(APP_BUILD)/$(APP_NAME).elf
-include $(APP)/app.mk

CROSS   := arm-none-eabi-
CC      := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
SIZE    := $(CROSS)size

# flash and debug-hw reach a real board through its probe, which only a
# board.mk with OPENOCD_ARGS has.
ifneq ($(filter flash debug-hw,$(MAKECMDGOALS)),)
ifeq ($(OPENOCD_ARGS),)
$(error board $(BOARD) has no real board to reach (no OPENOCD_ARGS in its board.mk): boards with one: $(patsubst board/%/board.mk,%,$(shell grep -l '^OPENOCD_ARGS' board/*/board.mk)); make debug debugs in QEMU)
endif
endif

# The tools each goal needs, as groups of scripts/install-deps.sh: a goal
# that lacks one stops here and says which, and how to install it (`make
# deps` installs every group). Nothing is installed but by `make deps`.
GOAL_TOOLS_build    := arm
GOAL_TOOLS_all      := arm
GOAL_TOOLS_tests    := arm
GOAL_TOOLS_size     := arm
GOAL_TOOLS_run      := arm qemu
GOAL_TOOLS_test-app := arm qemu
GOAL_TOOLS_test     := arm qemu gdb
GOAL_TOOLS_test-levels := $(GOAL_TOOLS_test)
GOAL_TOOLS_test-all := $(GOAL_TOOLS_test)
GOAL_TOOLS_mutate   := $(GOAL_TOOLS_test)
GOAL_TOOLS_bench    := arm qemu
GOAL_TOOLS_debug    := arm qemu gdb
GOAL_TOOLS_debug-hw := arm gdb probe
GOAL_TOOLS_flash    := arm probe
GOAL_TOOLS_lint     := lint
GOAL_TOOLS_fuzz     := fuzz
TOOLS_NEEDED  := $(sort $(foreach g,$(or $(MAKECMDGOALS),build),$(GOAL_TOOLS_$(g))))
TOOLS_MISSING := $(if $(TOOLS_NEEDED),$(shell bash scripts/install-deps.sh --check $(TOOLS_NEEDED)))
ifneq ($(TOOLS_MISSING),)
$(error $(TOOLS_MISSING))
endif

CFLAGS := $(CPU_FLAGS) $(OPT_FLAGS) -g3 -std=gnu11
CFLAGS += -specs=nano.specs           # newlib-nano's headers: its FILE differs from full newlib's
CFLAGS += -ffreestanding              # no hosted assumptions about main() or the library
CFLAGS += -fno-common                 # a tentative definition twice is a link error
CFLAGS += -ffunction-sections -fdata-sections   # so --gc-sections drops what is unused
CFLAGS += -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow
CFLAGS += -Wundef -Wpointer-arith -Wcast-align -Wvla
# The architecture's headers (arch/cpu.h, arch/sysreg.h, ...) and the
# board's platform.h, which only board/ and board/facts.h include.
INCLUDES := -I. -Iarch/$(ARCH)/include -Icoro/arch/$(ARCH) -Iboard/$(BOARD)
# What board.mk says that the C code, the assembly and the linker scripts
# need as well.
BOARD_DEFINES := -DBOARD_CPUS_MAX=$(CPUS_MAX)
CFLAGS += $(INCLUDES) $(BOARD_DEFINES) -MMD -MP
CFLAGS += -DCONFIG_CPUS=$(SMP)
# The interrupt layer's handler table: the board's controller's lines.
CFLAGS += -DCONFIG_IRQ_LINES=$(IRQ_LINES)
# IRQ_HOOK=1: the dispatch calls irq_dispatch_hook(), which a tracer (or
# the application) defines, before each handler (irq/dispatch.h). Off, the
# hook is not in the image: the IRQ path is what make bench counts.
IRQ_HOOK ?= 0
CFLAGS += $(if $(filter 1,$(IRQ_HOOK)),-DCONFIG_IRQ_HOOK=1)
# The coroutine pool's size is fixed at build time; coro/pool.c has defaults.
CFLAGS += $(if $(CO_POOL_SIZE),-DCO_POOL_SIZE=$(CO_POOL_SIZE))
CFLAGS += $(if $(CO_POOL_STACK_SIZE),-DCO_POOL_STACK_SIZE=$(CO_POOL_STACK_SIZE))
# How devices see memory (drivers/dma.h): a board.mk that sets these says
# its DMA does not snoop the caches, or sees RAM at another address.
CFLAGS += $(if $(DMA_COHERENT),-DDMA_COHERENT=$(DMA_COHERENT))
CFLAGS += $(if $(DMA_BUS_OFFSET),-DDMA_BUS_OFFSET=$(DMA_BUS_OFFSET))
ASFLAGS := $(CPU_FLAGS) -g $(INCLUDES) $(BOARD_DEFINES) -MMD -MP -DCONFIG_CPUS=$(SMP)

# newlib-nano for string and formatting functions; no crt0, no nosys stubs:
# boot/ provides the start-up and the system calls.
# The board's layout (linker/<board>-<layout>.ld.S) gives its memory
# regions from platform.h and includes the sections, written once in
# linker/sections.ld.h; the preprocessor makes the script the link uses.
LDSCRIPT_OUT := $(BUILD)/image.ld
LDFLAGS := $(CPU_FLAGS) $(OPT_FLAGS) -nostartfiles -specs=nano.specs -T $(LDSCRIPT_OUT)
LDFLAGS += -Wl,--gc-sections -Wl,--fatal-warnings
LDFLAGS += -Wl,--print-memory-usage   # each region's use, on stdout: <image>.regions
LDLIBS  := -lm -lc_nano -lgcc

# Objects depend on the flags they were built with: a different pool size or
# optimisation flag rebuilds them.
FLAGS_FILE := $(BUILD)/build-flags
FLAGS_NOW  := $(CFLAGS) | $(ASFLAGS) | $(LDFLAGS)
ifneq ($(FLAGS_NOW),$(shell cat $(FLAGS_FILE) 2>/dev/null))
$(shell mkdir -p $(BUILD) && echo '$(FLAGS_NOW)' > $(FLAGS_FILE))
endif

# The kernel: the portable boot and coroutine code, the folders of the
# board's architecture and no other, the board and the drivers it names.
KERNEL_SRCS := $(wildcard boot/*.c boot/$(ARCH)/*.[cS] irq/*.c blk/*.c coro/*.c coro/arch/$(ARCH)/*.[cS] board/$(BOARD)/*.c)
KERNEL_SRCS += $(foreach d,$(BOARD_DRIVERS),$(wildcard drivers/$(d)/*.c))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(KERNEL_SRCS))

# No frame may step over a stack's guard page (boot/guard.h). The kernel's
# own frames are all smaller than a guard (the architecture's ARCH_PAGE_SIZE,
# arch/<arch>/include/arch/page.h), which the compiler checks. On ARMv7-A,
# code built on it (applications, tests) may have any frame, and touches
# every 4 KiB of one larger than that as it allocates it, which a 4 KiB
# guard catches. GCC probes no finer than 4 KiB on ARM, so on ARMv7-M, whose
# guards are 1 KiB, such code is held to the kernel's rule: a larger frame,
# or one that grows at run time (alloca, and VLAs, which -Wvla refuses
# everywhere), does not build. (Benchmarks are built as the kernel is:
# their setjmp baseline is measured without the probes.)
STACK_GUARD_armv7a := 4096
STACK_GUARD_armv7m := 1024
FRAME_RULE_armv7a  := -fstack-clash-protection
FRAME_RULE_armv7m  := -Wframe-larger-than=$(STACK_GUARD_armv7m) -Walloca
$(KERNEL_OBJS): CFLAGS += -Wframe-larger-than=$(STACK_GUARD_$(ARCH))
$(BUILD)/tests/qemu/%.o $(APP_BUILD)/%.o: CFLAGS += $(FRAME_RULE_$(ARCH))

# Tests: each tests/qemu/<name>.c is an image of its own, linked with the
# small KTAP library in tests/qemu/lib/. Applications link it too (what
# they do not call, --gc-sections drops), so a test image of your own is
# an application that includes tests/qemu/lib/ktest.h.
# A test whose "requires:" line names what the board lacks (its board.mk's
# BOARD_FEATURES: virtio, gic, the architecture, ...) is not built; the
# test runner says which it left out and why.
# ONLY=name (or T=name) builds and runs only that test, or those a glob
# names (ONLY='blk_*'); the tests of tests/qemu/nolink/ as ONLY=nolink/name.
ONLY        ?= $(T)
test_requires = $(shell sed -n 's/^[ /*]*requires:[ ]*//p' $(1))
# TAG=name: make test runs only the tests whose "tags:" line names it
# (tests/qemu/run.sh); a tag no test has is said before anything is built.
ifneq ($(TAG),)
TEST_TAGS := $(sort $(shell sed -n 's/^[ /*]*tags:[ ]*//p' tests/qemu/*.c))
ifeq ($(filter $(TAG),$(TEST_TAGS)),)
$(error TAG=$(TAG): no test has that tag; the tags are: $(TEST_TAGS))
endif
endif
TEST_SRCS   := $(foreach t,$(filter-out tests/qemu/nolink/%,$(wildcard tests/qemu/$(or $(ONLY),*).c)),$(if $(filter-out $(BOARD_FEATURES),$(call test_requires,$(t))),,$(t)))
TEST_LIB    := $(patsubst %,$(BUILD)/%.o,$(wildcard tests/qemu/lib/*.c))
TEST_ELFS   := $(patsubst tests/qemu/%.c,$(BUILD)/tests/%.elf,$(TEST_SRCS))
# Benchmarks: tests/bench/<name>.c, run by `make bench` under -icount;
# those of tests/bench/smp/ in an image for BENCH_SMP CPUs. Like tests,
# one whose "requires:" line names what the board lacks is left out. A
# board whose BENCH_SOFT_FLOAT names benchmarks has them run from a
# FLOAT=soft build too. A board's figures are named with its
# BENCH_KEY_PREFIX, and its targets are tests/bench/targets.<board> (the
# first board's, tests/bench/targets).
bench_of_board = $(foreach t,$(1),$(if $(filter-out $(BOARD_FEATURES),$(call test_requires,$(t))),,$(t)))
BENCH_SRCS  := $(call bench_of_board,$(wildcard tests/bench/*.c))
BENCH_ELFS  := $(patsubst tests/bench/%.c,$(BUILD)/bench/%.elf,$(BENCH_SRCS))
SOFT_BENCH_ELFS := $(patsubst %,build/$(BOARD)-$(LABEL)-soft/bench/%.elf,$(BENCH_SOFT_FLOAT))
BENCH_TARGETS := $(firstword $(wildcard tests/bench/targets.$(BOARD)) tests/bench/targets)
BENCH_SMP   := 2
# The real-time block I/O figures: runs of each side for each AIO backend,
# milliseconds a run, and whether a missed real-time target fails the run.
BENCH_RUNS        ?= 3
BENCH_MS          ?= 700
BENCH_RATIOS_FAIL ?= 0
SMP_BENCH_ELFS := $(patsubst tests/bench/smp/%.c,build/$(BOARD)-$(OPT)-smp$(BENCH_SMP)/bench/smp/%.elf,\
                  $(call bench_of_board,$(wildcard tests/bench/smp/*.c)))
# Sources that must not link (tests/qemu/nolink/): the log records the result.
NOLINK_LOGS := $(patsubst tests/qemu/nolink/%.c,$(BUILD)/nolink/%.log,$(filter tests/qemu/nolink/%,$(wildcard tests/qemu/$(or $(ONLY),nolink/*).c)))

.PHONY: all build run flash test test-app test-make test-all test-levels mutate tests debug debug-hw size lint bench fuzz compdb deps clean help
.DEFAULT_GOAL := build
.SECONDARY:                           # keep objects make sees as intermediate

all: build tests
build: $(APP_ELF)
tests: $(TEST_ELFS) $(NOLINK_LOGS)

$(BUILD)/%.c.o: %.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.S.o: %.S $(FLAGS_FILE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(APP_BUILD)/%.c.o: $(APP)/%.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -I$(APP) -c $< -o $@

$(LDSCRIPT_OUT): $(LDSCRIPT) $(FLAGS_FILE)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CPP     $<")
	$(Q)$(CC) -E -P -x assembler-with-cpp -D__LINKER__ $(INCLUDES) $(BOARD_DEFINES) -MMD -MP -MT $@ -MF $@.d $< -o $@

# An image: the ELF, a map file, the use of each memory region of the
# layout (<image>.regions, which `make size` shows), and .bin/.hex at their
# load addresses for flashing tools; a board that boots from flash in QEMU
# (QEMU_BOOT=pflash) gets the .bin padded to the flash bank as well,
# <image>.flash. An image that does not fit the board's memories (the
# real part's, which QEMU's model may exceed) does not link.
define link_image
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) $(LDLIBS) >$(@:.elf=.regions)
	$(Q)$(OBJCOPY) -O binary $@ $(@:.elf=.bin)
	$(Q)$(OBJCOPY) -O ihex $@ $(@:.elf=.hex)
	$(Q)$(if $(filter pflash,$(QEMU_BOOT)),cp $(@:.elf=.bin) $(@:.elf=.flash) && truncate -s $(QEMU_PFLASH_SIZE) $(@:.elf=.flash))
endef

# The QEMU arguments that boot image $(1) as the board boots (QEMU_BOOT).
# Expanded by make, so that a command it prints is one to copy.
qemu_boot = $(shell QEMU_BOOT=$(QEMU_BOOT) scripts/qemu-boot-args.sh $(1))

$(APP_ELF): $(APP_OBJS) $(TEST_LIB) $(KERNEL_OBJS) $(LDSCRIPT_OUT) $(FLAGS_FILE)
	$(link_image)
	$(Q)$(SIZE) $@

$(BUILD)/tests/%.elf: $(BUILD)/tests/qemu/%.c.o $(TEST_LIB) $(KERNEL_OBJS) $(LDSCRIPT_OUT)
	$(link_image)

$(BUILD)/bench/%.elf: $(BUILD)/tests/bench/%.c.o $(KERNEL_OBJS) $(LDSCRIPT_OUT)
	$(link_image)

$(BUILD)/bench/smp/%.elf: $(BUILD)/tests/bench/smp/%.c.o $(KERNEL_OBJS) $(LDSCRIPT_OUT)
	$(link_image)

$(BUILD)/nolink/%.log: $(BUILD)/tests/qemu/nolink/%.c.o $(KERNEL_OBJS) $(LDSCRIPT_OUT)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $(@:.log=.elf) (must fail)")
	$(Q)if $(CC) $(LDFLAGS) -o $(@:.log=.elf) $(filter %.o,$^) $(LDLIBS) >$@ 2>&1; \
	    then echo "link-status: 0" >>$@; else echo "link-status: $$?" >>$@; fi

# QEMU's exit status is the image's; a failed run says what it means.
run: $(APP_ELF) $(APP_RUN_DEPS)
	$(Q)$(QEMU) $(QEMU_ARGS) $(QEMU_ACCEL) $(APP_QEMU_ARGS) $(call qemu_boot,$(APP_ELF)); \
	    status=$$?; [ $$status -eq 0 ] || echo "make run: $$(scripts/exit-status.sh $$status)" >&2; exit $$status

# The application written to a real board through its probe, as OpenOCD
# reaches it (OPENOCD_ARGS), verified, and the chip reset; it says what it
# runs, and `make -n flash` shows it without a board. OpenOCD's own words
# go to a log: a failure is one line, its first error and what to check.
# An image too big for the real part never reaches it: it does not link.
FLASH_LOG := $(BUILD)/openocd-flash.log
flash: $(APP_ELF)
	@echo 'make flash: openocd $(OPENOCD_ARGS) -c "program $(APP_ELF) verify reset exit"'
	$(Q)openocd $(OPENOCD_ARGS) -c "program $(APP_ELF) verify reset exit" >$(FLASH_LOG) 2>&1 || \
	    { echo "make flash: OpenOCD could not write the board ($$(grep -m 1 -i error $(FLASH_LOG))): check the USB cable of the probe, and that lsusb lists it; OpenOCD's log: $(FLASH_LOG)" >&2; false; }

# The application as a test image: booted by the test runner once per
# "runner:" line of its sources, judged like the project's own tests.
test-app: $(APP_ELF) $(APP_RUN_DEPS)
	$(Q)QEMU="$(QEMU)" QEMU_ARGS="$(QEMU_ARGS) $(APP_QEMU_ARGS)" QEMU_ACCEL="$(QEMU_ACCEL)" QEMU_BOOT=$(QEMU_BOOT) tests/qemu/run.sh --label $(LABEL) --app $(APP) --image $(APP_ELF) --jobs $(TEST_JOBS) --cpus $(SMP)

# `make test` runs the images at one level (OPT, default O2); test-all runs
# every level and adds the results up in the last line.
test:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) tests
	$(Q)QEMU="$(QEMU)" QEMU_ARGS="$(QEMU_ARGS)" QEMU_ACCEL="$(QEMU_ACCEL)" QEMU_BOOT=$(QEMU_BOOT) BOARD=$(BOARD) BOARD_FEATURES="$(BOARD_FEATURES)" RESULTS_FILE="$(RESULTS_FILE)" tests/qemu/run.sh --label $(notdir $(BUILD)) --build $(BUILD) --jobs $(TEST_JOBS) --cpus $(SMP) $(if $(ONLY),--only '$(ONLY)') $(if $(TAG),--tag $(TAG))

# test-all runs every board of TEST_ALL_BOARDS at every level, each on one
# CPU and on the CPU counts of its board.mk's TEST_ALL_SMP, then the make
# checks once, and adds the results up in the last line. A level whose
# images do not build counts as one failure.
TEST_ALL_BOARDS ?= qemu-virt mps2-an386 netduinoplus2
test-all:
	$(Q)mkdir -p build && rm -f build/test-all.results
	$(Q)for board in $(TEST_ALL_BOARDS); do \
	    $(MAKE) --no-print-directory BOARD=$$board test-levels RESULTS_FILE=build/test-all.results; \
	done
	$(Q)lines=$$(wc -l <build/test-all.results); \
	    RESULTS_FILE=build/test-all.results tests/make/run.sh O2; \
	    if [ "$$(wc -l <build/test-all.results)" -eq "$$lines" ]; then echo "0 1" >>build/test-all.results; fi
	$(Q)awk '{ p += $$1; f += $$2 } END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0) }' build/test-all.results

# One board's part of test-all: every level on one CPU and on each CPU
# count of TEST_ALL_SMP in its first layout, the tests tagged smp (those
# that spread work over CPUs) at every level on each count of
# TEST_ALL_SMP_TAGGED, and every level on one CPU in each of its other
# layouts. A run whose images do not build counts as one failure.
test_run = lines=$$(cat $(RESULTS_FILE) 2>/dev/null | wc -l); \
    $(MAKE) --no-print-directory $(1) test RESULTS_FILE=$(RESULTS_FILE); \
    if [ "$$(cat $(RESULTS_FILE) 2>/dev/null | wc -l)" -eq "$$lines" ]; then \
        echo "$(BOARD) $(1): the test images did not build"; echo "0 1" >>$(RESULTS_FILE); \
    fi
test-levels:
	$(Q)for cpus in 1 $(TEST_ALL_SMP); do for o in $(OPT_LEVELS); do \
	    $(call test_run,LAYOUT=$(firstword $(LAYOUTS)) OPT=$$o SMP=$$cpus); \
	done; done
	$(Q)for cpus in $(TEST_ALL_SMP_TAGGED); do for o in $(OPT_LEVELS); do \
	    $(call test_run,LAYOUT=$(firstword $(LAYOUTS)) OPT=$$o SMP=$$cpus TAG=smp); \
	done; done
	$(Q)for layout in $(wordlist 2,$(words $(LAYOUTS)),$(LAYOUTS)); do for o in $(OPT_LEVELS); do \
	    $(call test_run,LAYOUT=$$layout OPT=$$o SMP=1); \
	done; done

# What an application writer does with make (tests/make/run.sh); test-all
# runs it once.
test-make:
	$(Q)tests/make/run.sh $(OPT)

# Each mutant of tests/mutate/mutants applied alone to a scratch copy, the
# suite run on it: killed or survived, and the score. Minutes; not in CI.
mutate:
	$(Q)tests/mutate/run.sh

# Instruction counts (deterministic under -icount) and IOPS ratios; every
# benchmark adds its figures to build/bench.json, which keeps the other
# boards' last figures beside this board's.
bench:
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) $(BENCH_ELFS)
	$(Q)$(if $(SMP_BENCH_ELFS),$(MAKE) --no-print-directory -j$(NPROC) SMP=$(BENCH_SMP) $(SMP_BENCH_ELFS))
	$(Q)$(if $(SOFT_BENCH_ELFS),$(MAKE) --no-print-directory -j$(NPROC) FLOAT=soft $(SOFT_BENCH_ELFS))
	$(Q)QEMU="$(QEMU)" QEMU_ARGS="$(QEMU_ARGS)" QEMU_ACCEL="$(QEMU_ACCEL)" BENCH_RUNS="$(BENCH_RUNS)" \
	    BENCH_MS="$(BENCH_MS)" BENCH_RATIOS_FAIL="$(BENCH_RATIOS_FAIL)" tests/bench/run.sh --json build/bench.json \
	    --targets $(BENCH_TARGETS) $(foreach b,$(filter-out $(BOARD),$(TEST_ALL_BOARDS)),--keep build/$(b)-$(OPT)/bench/figures) \
	    --prefix "$(BENCH_KEY_PREFIX)" $(BENCH_ELFS) $(if $(SMP_BENCH_ELFS),--smp $(BENCH_SMP) $(SMP_BENCH_ELFS)) \
	    $(if $(SOFT_BENCH_ELFS),--smp 1 --prefix "$(BENCH_KEY_PREFIX)soft_float_" $(SOFT_BENCH_ELFS))

# Host-side fuzzing (tests/fuzz/): the used-ring parser and the transfer
# checks, built for this machine with clang under libFuzzer,
# AddressSanitizer and UBSan, the host's stand-ins for the architecture's
# headers first on the include path (tests/fuzz/host/). Each target runs
# for its share of FUZZ_SECONDS; a crash or a sanitizer report fails.
FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ_BUILD   := build/fuzz
FUZZ_TARGETS := ring blk_check
FUZZ_BINS    := $(addprefix $(FUZZ_BUILD)/,$(FUZZ_TARGETS))
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  += -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow
FUZZ_CFLAGS  += -Wundef -Wpointer-arith -Wcast-align -Wvla
FUZZ_CFLAGS  += -Itests/fuzz/host -I. -MMD -MP
# The memory devices reach (drivers/dma.h), laid out as on virt: absolute
# addresses, which the checks compare and never touch; so not a PIE.
FUZZ_LDFLAGS := -no-pie -Wl,--defsym=__dma_start=0x40000000
FUZZ_LDFLAGS += -Wl,--defsym=__dma_write_start=0x40010000 -Wl,--defsym=__dma_end=0x48000000

# The flags are the Makefile's own: a change to it rebuilds.
$(FUZZ_BUILD)/obj/%.c.o: %.c Makefile
	@mkdir -p $(@D)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/ring: $(FUZZ_BUILD)/obj/tests/fuzz/ring_fuzz.c.o $(FUZZ_BUILD)/obj/drivers/virtio/ring.c.o
$(FUZZ_BUILD)/blk_check: $(FUZZ_BUILD)/obj/tests/fuzz/blk_check_fuzz.c.o
$(FUZZ_BINS):
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_LDFLAGS) $^ -o $@

fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh --build $(FUZZ_BUILD) --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# QEMU halted before the first instruction, with a gdb server on a port of
# this user's own; build/gdbinit attaches gdb-multiarch with symbols and
# the coroutine commands of scripts/gdb/coro.py. Built at -O0 unless OPT
# is given (at the top).
GDB_PORT ?= $(shell expr `id -u` % 5000 + 25000)
DEBUG_QEMU = $(QEMU) $(QEMU_ARGS) $(QEMU_ACCEL) $(APP_QEMU_ARGS) -S -gdb tcp::$(GDB_PORT) $(call qemu_boot,$(APP_ELF))
debug: $(APP_ELF) $(APP_RUN_DEPS)
	@mkdir -p build
	@printf 'file %s\nsource $(CURDIR)/scripts/gdb/coro.py\ntarget remote localhost:%s\n' "$(APP_ELF)" "$(GDB_PORT)" > build/gdbinit
	@echo "make debug: $(DEBUG_QEMU)"
	@echo "QEMU waits for gdb on port $(GDB_PORT). In another terminal: gdb-multiarch -x build/gdbinit"
	@echo "Quit QEMU with Ctrl-a x (or gdb's kill)."
	$(Q)$(DEBUG_QEMU)

# The application on the real board, through its probe: gdb starts OpenOCD
# itself (gdb_port pipe: no port to choose, OpenOCD ends with gdb), writes
# the image to flash and stops the chip at reset, with the coroutine
# commands of scripts/gdb/coro.py. Built at -O0 unless OPT is given.
HW_GDBINIT  := build/gdbinit-hw
HW_OPENOCD   = openocd $(OPENOCD_ARGS) -c "gdb_port pipe; log_output $(BUILD)/openocd-debug.log"
debug-hw: $(APP_ELF)
	@mkdir -p build
	@printf 'file %s\nsource $(CURDIR)/scripts/gdb/coro.py\ntarget extended-remote | $(HW_OPENOCD)\nmonitor reset halt\nload\nmonitor reset halt\n' "$(APP_ELF)" > $(HW_GDBINIT)
	@echo 'make debug-hw: gdb-multiarch -x $(HW_GDBINIT), which starts $(HW_OPENOCD); if it finds no board, check the USB cable of the probe, and that lsusb lists it'
	$(Q)gdb-multiarch -x $(HW_GDBINIT)

# compile_commands.json, for editors and their language servers: every C
# source of this build (kernel, application, tests), each with its flags.
compdb_entry = {"directory": "$(CURDIR)", "file": "$(1)", "command": "$(CC) $(filter-out -MMD -MP,$(CFLAGS)) $(2) -c $(1)"}
COMPDB := $(foreach f,$(filter %.c,$(KERNEL_SRCS)),$(call compdb_entry,$(f),-Wframe-larger-than=$(STACK_GUARD_$(ARCH))))
COMPDB += $(foreach f,$(APP_SRCS),$(call compdb_entry,$(f),$(FRAME_RULE_$(ARCH)) -I$(APP)))
COMPDB += $(foreach f,$(TEST_SRCS) $(wildcard tests/qemu/lib/*.c),$(call compdb_entry,$(f),$(FRAME_RULE_$(ARCH))))
compdb:
	$(file >compile_commands.json,[$(subst } {,}$(comma) {,$(COMPDB))])
	@echo "compdb: compile_commands.json, the C sources of $(BUILD) with their flags"

# Every tool of every goal, from the distribution's packages (make alone
# installs nothing: a goal whose tools are missing says which).
deps:
	$(Q)bash scripts/install-deps.sh

# The application's sections and how much of each memory region of the
# board's layout it takes.
size: $(APP_ELF)
	$(Q)$(SIZE) $<
	$(Q)cat $(<:.elf=.regions)

LINT_SRCS := $(shell find arch boot coro irq blk drivers board tests/qemu app -name '*.c')
LINT_FLAGS := --quiet --error-exitcode=1 --std=c11 --enable=warning,style,performance,portability \
	    --inline-suppr --suppress=missingIncludeSystem --library=gnu
# The kernel's sources with the target's include path, as built for one
# CPU and for several (the locks and the SMP scheduler are only in the
# second), then the fuzz harnesses with the host's: each as it is built.
lint:
	$(Q)for cpus in 1 4; do cppcheck $(LINT_FLAGS) $(INCLUDES) $(BOARD_DEFINES) -D__arm__ -D__GNUC__ -DCONFIG_CPUS=$$cpus -DCONFIG_IRQ_LINES=$(IRQ_LINES) $(LINT_SRCS) || exit 1; done
	$(Q)cppcheck $(LINT_FLAGS) -Itests/fuzz/host -I. $(wildcard tests/fuzz/*.c)
	$(Q)scripts/check-layers.sh
	@echo "lint: clean"

clean:
	rm -rf build

help:
	@echo "Targets:"
	@echo "  build (default)  the application image $(APP_ELF)"
	@echo "  run              build and boot the application in QEMU; it exits by itself"
	@echo "  flash            write the application to a real board through its probe (OpenOCD), and say the command"
	@echo "  test             build and run every test image at OPT=$(OPT) (ONLY=, TAG=: some of them)"
	@echo "  test-app         run APP as a test image: once per 'runner:' line of its sources"
	@echo "  test-all         run the tests of every board ($(TEST_ALL_BOARDS)) at every level: $(OPT_LEVELS)"
	@echo "  test-make        what an application writer does with make (tests/make/run.sh)"
	@echo "  mutate           apply each mutant of tests/mutate/mutants alone and run the suite: killed or survived"
	@echo "  bench            instruction counts under -icount (the PMU, or SysTick in virtual time) and block I/O in real time; writes build/bench.json"
	@echo "                   (BENCH_RUNS=$(BENCH_RUNS) BENCH_MS=$(BENCH_MS) BENCH_RATIOS_FAIL=$(BENCH_RATIOS_FAIL))"
	@echo "  fuzz             the used-ring parser and the transfer checks on the host under libFuzzer, ASan and UBSan, FUZZ_SECONDS=$(FUZZ_SECONDS) in all"
	@echo "  debug            boot halted in QEMU with a gdb server (at -O0 unless OPT is given); prints the gdb-multiarch command"
	@echo "  debug-hw         gdb-multiarch on the real board through OpenOCD and its probe, with scripts/gdb/coro.py (at -O0 unless OPT is given)"
	@echo "  size             the application's section sizes and its use of each memory region"
	@echo "  lint             cppcheck over all C sources, and the layering rules (scripts/check-layers.sh)"
	@echo "  compdb           compile_commands.json for editors: every C source of this build with its flags"
	@echo "  deps             install every tool of every goal (scripts/install-deps.sh); a goal alone only checks its own"
	@echo "  clean            remove build/"
	@echo "Variables:"
	@printf '  %-16s %s\n' "BOARD=$(BOARD)" "one of: $(BOARDS)" \
	    "LAYOUT=$(LAYOUT)" "the memory map, one of board $(BOARD)'s: $(LAYOUTS)" \
	    "OPT=$(OPT)" "the optimisation level, one of: $(OPT_LEVELS)" \
	    "SMP=$(SMP)" "an image for that many CPUs, at most $(CPUS_MAX) on board $(BOARD)" \
	    "FLOAT=$(FLOAT)" "soft: built without the FPU$(if $(FLOATS),, (not on board $(BOARD)))" \
	    "APP=$(APP)" "the application: a folder of C sources, with an optional app.mk" \
	    "ONLY=name" "(or T=name) make test builds and runs only that test, or those of a glob: ONLY='blk_*'" \
	    "TAG=smp" "make test runs only the tests of that tag" \
	    "V=1" "full command lines"

-include $(shell find $(BUILD) $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
