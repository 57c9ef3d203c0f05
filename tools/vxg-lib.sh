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
	echo "--no-huge --no-pci -m ${VXG_MEM:-512} $(vxg_lcores) --file-prefix vxg-$1 --log-level=lib.eal:error"
}

# EAL's lcore option for VXG_LCORES: -l when the machine has those cores; else --lcores,
# every lcore a thread free to run on any core (slow, but correct: tests of two workers
# run on two cores).
vxg_lcores() {
	local l=${VXG_LCORES:-0-1} last
	last=$(echo "$l" | tr ',-' '\n\n' | sort -n | tail -1)
	if [ "$last" -lt "$(nproc)" ]; then
		echo "-l $l"
	else
		echo "--lcores ($l)@(0-$(($(nproc) - 1)))"
	fi
}

# Workers of a run: the lcores of VXG_LCORES (EAL -l syntax: 0-2, 0,2,4, 0-1,3) less the
# main one, which runs control. Default 0-1: one worker. Ports need a queue (an
# af_packet qpair, a net_pcap tx file) per worker: VXG_QPAIRS says how many.
vxg_workers() {
	python3 -c '
import sys
n = 0
for part in sys.argv[1].split(","):
    a, _, b = part.partition("-")
    n += int(b or a) - int(a) + 1
print(n - 1)' "${VXG_LCORES:-0-1}"
}
VXG_QPAIRS=$(vxg_workers)

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

# vxg_workers_check WHAT: with several workers, each must have received some of the
# traffic (the ports spread flows over their queues: RSS, tap queues, PACKET_FANOUT); and
# whatever the count, the workers' rx must sum to the ports' (read between two reads of
# the ports that agree, so that no frame arrives in between). Prints the split, and the
# SNAT and conntrack events per worker, which show replies handled by another worker
# than the one that opened their session.
vxg_workers_check() {
	local i out
	for i in $(seq 1 50); do
		vxg_ctl -j show interfaces >"$VXG_TMP/wc.if1" || fail "show interfaces"
		vxg_ctl -j show stats >"$VXG_TMP/wc.st" || fail "show stats"
		vxg_ctl -j show interfaces >"$VXG_TMP/wc.if2" || fail "show interfaces"
		out=$(python3 - "$VXG_TMP" "$(vxg_workers)" "$1" <<'PY'
import json, sys
t, n, what = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rx_if = [sum(i["rx_packets"] for i in json.load(open("%s/wc.if%d" % (t, k)))["interfaces"])
         for k in (1, 2)]
ws = json.load(open(t + "/wc.st"))["workers"]
rx = [w["rx"] for w in ws]
if rx_if[0] != rx_if[1]:
    print("busy")
    sys.exit(0)
if len(ws) != n:
    print("FAIL: %d workers, expected %d" % (len(ws), n))
elif sum(rx) != rx_if[0]:
    print("FAIL: the workers' rx %s sum to %d, the ports' to %d" % (rx, sum(rx), rx_if[0]))
elif n > 1 and 0 in rx:
    print("FAIL: %s: a worker received nothing (rx %s): flows not spread" % (what, rx))
else:
    ev = lambda k: [w["events"][k] for w in ws]
    print("ok - %s: %d worker(s), rx %s summing to the ports' %d; SNAT sessions created %s, "
          "replies translated %s; connections tracked %s, tracked packets %s" % (
              what, n, rx, rx_if[0], ev("nat_session_created"), ev("nat_snat_in"),
              ev("ct_created"), ev("ct_hit")))
PY
)
		[ "$out" = busy ] || break
		sleep 0.1
	done
	case $out in
	ok*) echo "$out" ;;
	busy) fail "$1: the ports never stood still for the workers' rx to be summed" ;;
	*) fail "${out#FAIL: }" ;;
	esac
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
