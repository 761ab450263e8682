# The demo's disk: a fresh, empty 16 MiB raw image for every run.
DEMO_DISK     := $(BUILD)/demo-disk.img
APP_RUN_DEPS  := $(DEMO_DISK)
APP_QEMU_ARGS := -drive file=$(DEMO_DISK),if=none,format=raw,id=disk0 \
                 -device virtio-blk-device,drive=disk0,serial=demo-disk

.PHONY: $(DEMO_DISK)
$(DEMO_DISK):
	@mkdir -p $(@D)
	$(Q)qemu-img create -q -f raw $@ 16M
