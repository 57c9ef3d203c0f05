# SPDX-License-Identifier: BSD-3-Clause
# Thin wrapper around meson. `make` builds into build/, `make run` shows the main job,
# `make test` runs every test tier, `make asan` the suite under sanitizers, `make fuzz` the
# fuzzers for FUZZ_SECONDS each, `make install` what the Debian package holds (under
# PREFIX, into DESTDIR when given). They install missing Debian packages first.
BUILD ?= build
MESON_OPTS ?=
# The sanitizer build, one for both: when clang links libFuzzer (tests/fuzz/available.sh),
# clang with libFuzzer's coverage, ASan and UBSan on every line (-Dfuzz=true), holding the
# fuzzers and every test, so `make test`'s fuzz run and `make asan` compile once; else
# gcc's ASan and UBSan, without fuzzers.
SAN_BUILD ?= build-asan
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
		meson test -C $(SAN_BUILD) --suite fuzz --print-errorlogs; \
	fi

# A sanitizer build left by gcc (clang could not link libFuzzer then) is made again.
fuzz-build: deps
	@tests/fuzz/available.sh
	@if [ -f $(SAN_BUILD)/build.ninja ] && ! grep -q fuzz_pipeline $(SAN_BUILD)/build.ninja; then \
		rm -rf $(SAN_BUILD); fi
	@[ -f $(SAN_BUILD)/build.ninja ] || CC=clang meson setup $(SAN_BUILD) -Dfuzz=true
	ninja -C $(SAN_BUILD)

# Each fuzzer for FUZZ_SECONDS; what they find is in $(SAN_BUILD)/tests/fuzz/NAME-run/.
fuzz: fuzz-build
	@for f in $(FUZZERS); do \
		tests/fuzz/run.sh $(SAN_BUILD)/tests/fuzz/fuzz_$$f $$f $(FUZZ_SECONDS) \
			$(SAN_BUILD)/tests/fuzz/$$f-run || exit 1; \
	done

# vxgate in PREFIX/sbin, vxgate-ctl, the man pages, the systemd unit, its settings
# (PREFIX/etc/default/vxgate, kept if there), the example config (kept if there), the
# sysusers.d file for the group vxgate and the bash completion (dist/meson.build).
install: build
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	meson install -C $(BUILD) $(if $(DESTDIR),--destdir "$(DESTDIR)")

bench: build
	tools/bench --build $(BUILD)

# The tests again under ASan and UBSan: the unit and pcap suites and the netns tests in
# suite 'asan' (tests/meson.build: those driving control code nothing else reaches).
# UBSan stops at the first report, so a misaligned load or an overflow fails the test.
# Left out: the benchmark smoke run (speed means nothing under ASan) and the fuzzers
# (`make test` ran them, `make fuzz` runs them longer); the kill -9 test runs 4 rounds
# (each a daemon start, four times slower under ASan).
asan: deps
	@if tests/fuzz/available.sh >/dev/null; then \
		$(MAKE) --no-print-directory fuzz-build; \
	else \
		$(MAKE) --no-print-directory BUILD=$(SAN_BUILD) MESON_OPTS="-Db_sanitize=address,undefined \
			-Db_lundef=false -Dbuildtype=debug" build; \
	fi
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ROUNDS=$${ROUNDS:-4} \
		meson test -C $(SAN_BUILD) --suite unit --suite pcap --suite asan --no-suite bench \
		--print-errorlogs

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(SAN_BUILD) build-fuzz
