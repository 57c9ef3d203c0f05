#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Can this machine build the fuzzers? Exit 0 if clang links a libFuzzer program; else say
# why the fuzzers are skipped and exit 1.
command -v clang >/dev/null 2>&1 || {
	echo "fuzz: skipped: clang not found (tools/install-deps.sh installs it)"
	exit 1
}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$t/f.c"
clang -fsanitize=fuzzer,address,undefined -o "$t/f" "$t/f.c" >/dev/null 2>&1 || {
	echo "fuzz: skipped: clang cannot link libFuzzer (install libclang-rt-14-dev)"
	exit 1
}
