#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Run one libFuzzer harness: run.sh HARNESS NAME SECONDS WORKDIR [libFuzzer options...]
# It reads its seed corpus (tests/fuzz/corpus/NAME, never written) and a working corpus in
# WORKDIR/corpus, where new inputs go, with its dictionary (tests/fuzz/NAME.dict) if any.
# A crash, leak or sanitizer report stops it with status 1 and its input in
# WORKDIR/findings; the last lines of the log say the executions, coverage and corpus.
set -eu
exe=$1 name=$2 secs=$3 work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/corpus" "$work/findings"
opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=3072 -print_final_stats=1
	-artifact_prefix="$work/findings/")
[ -f "$here/$name.dict" ] && opts+=(-dict="$here/$name.dict")
# LeakSanitizer in every run; UBSan stops at the first report, as ASan does.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
set +e
"$exe" "${opts[@]}" "$@" "$work/corpus" "$here/corpus/$name" >"$work/log" 2>&1
rc=$?
set -e
grep -E '^(stat::|Done |#[0-9]+ +DONE|INFO: seed corpus)' "$work/log" || true
if [ $rc -ne 0 ]; then
	tail -60 "$work/log"
	echo "fuzz $name: status $rc; inputs in $work/findings"
	exit 1
fi
echo "fuzz $name: ok, ${secs}s"
