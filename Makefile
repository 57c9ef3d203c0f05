# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper around meson. `make` builds into build/, `make run` shows the main job,
# `make test` runs every test tier. Both install missing Debian packages first.
BUILD ?= build
MESON_OPTS ?=

.PHONY: all deps build run test bench format clean asan

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The demo: vxgate on vdevs, driven through vxgate-ctl. SHELL_OPEN=1 leaves the shell open.
run: build
	tools/demo.sh $(BUILD)

test: build
	meson test -C $(BUILD) --print-errorlogs

bench: build
	tools/bench --build $(BUILD)

# UBSan stops at the first report, so a misaligned load or an overflow fails the test.
asan:
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 $(MAKE) BUILD=build-asan \
		MESON_OPTS="-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug" test

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan
