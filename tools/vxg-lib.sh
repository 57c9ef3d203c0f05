# SPDX-License-Identifier: BSD-3-Clause
# Shell helpers shared by the demo, the benchmark and the replay/netns tests.
# Source it with BUILD set to the build directory.

: "${BUILD:=build}"
VXGATE="$BUILD/vxgate"
VXCTL="$BUILD/tools/vxgate-ctl"
PCAPGEN="$BUILD/tools/pcapgen"
PCAPCHECK="$BUILD/tools/pcapcheck"

# EAL options for a run without NIC or hugepages. $1 names the instance (file prefix).
vxg_eal() {
	echo "--no-huge --no-pci -m ${VXG_MEM:-512} -l ${VXG_LCORES:-0-1} --file-prefix vxg-$1 --log-level=lib.eal:error"
}

# vxg_start NAME CONFIG [extra vxgate args...]: start vxgate in the background; sets
# VXG_PID and VXG_SOCK, and waits until its control socket answers.
vxg_start() {
	name=$1 cfg=$2
	shift 2
	VXG_SOCK="${VXG_TMP:-/tmp}/vxg-$name.sock"
	VXG_LOG="${VXG_TMP:-/tmp}/vxg-$name.log"
	# DHCP leases: kept per test unless the caller names a directory.
	VXG_STATE=${VXG_STATE:-${VXG_TMP:-/tmp}/vxg-$name.state}
	# shellcheck disable=SC2046
	"$VXGATE" $(vxg_eal "$name") -- -c "$cfg" -s "$VXG_SOCK" -d "$VXG_STATE" "$@" \
		>"$VXG_LOG" 2>&1 </dev/null &
	VXG_PID=$!
	for _ in $(seq 1 200); do
		if "$VXCTL" -s "$VXG_SOCK" show version >/dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 "$VXG_PID" 2>/dev/null; then
			echo "vxgate exited at start:" >&2
			cat "$VXG_LOG" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "vxgate did not answer on $VXG_SOCK" >&2
	cat "$VXG_LOG" >&2
	return 1
}

vxg_ctl() {
	"$VXCTL" -s "$VXG_SOCK" "$@"
}

# Stop the daemon started by vxg_start and wait for it; returns its exit status.
vxg_stop() {
	[ -n "${VXG_PID:-}" ] || return 0
	"$VXCTL" -s "$VXG_SOCK" shutdown >/dev/null 2>&1 || kill -TERM "$VXG_PID" 2>/dev/null
	rc=0
	for _ in $(seq 1 100); do
		kill -0 "$VXG_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$VXG_PID" 2>/dev/null; then
		echo "vxgate did not stop; killing it" >&2
		kill -KILL "$VXG_PID"
		rc=1
	fi
	wait "$VXG_PID" || rc=$?
	VXG_PID=
	return $rc
}

# JSON field from stdin, by a Python expression on `d`: jq-like without jq.
vxg_json() {
	python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

# Test verdicts. fail shows the daemon's log, when there is one, before exiting.
fail() {
	echo "FAIL: $*" >&2
	if [ -f "${VXG_LOG:-}" ]; then
		cat "$VXG_LOG" >&2
	fi
	exit 1
}
ok() { echo "ok - $*"; }

# Namespace tests skip (meson's 77) with the reason when they cannot run here.
vxg_need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "SKIP: needs root for network namespaces, taps and veths"
		exit 77
	fi
}
