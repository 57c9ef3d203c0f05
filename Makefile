# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper around meson. `make` builds into build/, `make run` shows the main job,
# `make test` runs every test tier, `make asan` the suite under sanitizers, `make fuzz` the
# fuzzers for FUZZ_SECONDS each, `make install` what the Debian package holds (under
# PREFIX, into DESTDIR when given). They install missing Debian packages first.
BUILD ?= build
MESON_OPTS ?=
# The fuzzers (tests/fuzz): clang's libFuzzer, in a build of their own.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZERS = pipeline dhcp dhcp6 config cli
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps build run test bench format clean asan fuzz fuzz-build fuzz-test install

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
	@$(MAKE) --no-print-directory fuzz-test

# The 'fuzz' suite: each fuzzer a few seconds over its seed corpus, when clang can link
# libFuzzer (else skipped, saying why).
fuzz-test:
	@if tests/fuzz/available.sh; then \
		$(MAKE) --no-print-directory fuzz-build && \
		meson test -C $(FUZZ_BUILD) --suite fuzz --print-errorlogs; \
	fi

fuzz-build: deps
	@tests/fuzz/available.sh
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Dtests=false
	ninja -C $(FUZZ_BUILD)

# Each fuzzer for FUZZ_SECONDS; what they find is in $(FUZZ_BUILD)/tests/fuzz/NAME-run/.
fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		tests/fuzz/run.sh $(FUZZ_BUILD)/tests/fuzz/fuzz_$$f $$f $(FUZZ_SECONDS) \
			$(FUZZ_BUILD)/tests/fuzz/$$f-run || exit 1; \
	done

# vxgate in PREFIX/sbin, vxgate-ctl, the man pages, the systemd unit, its settings
# (PREFIX/etc/default/vxgate, kept if there), the example config (kept if there), the
# sysusers.d file for the group vxgate and the bash completion (dist/meson.build).
install: build
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir "$(DESTDIR)")

bench: build
	tools/bench --build $(BUILD)

# The suite under ASan and UBSan (the fuzzers have them already). UBSan stops at the first
# report, so a misaligned load or an overflow fails the test. The kill -9 test runs 8 rounds
# instead of 20 (each is a daemon start, four times slower under ASan); the benchmark smoke
# run is left out (speed means nothing under ASan).
asan:
	$(MAKE) BUILD=build-asan \
		MESON_OPTS="-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug" build
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ROUNDS=$${ROUNDS:-8} \
		meson test -C build-asan --no-suite bench --print-errorlogs

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD)
