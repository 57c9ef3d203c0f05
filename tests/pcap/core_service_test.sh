#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# vxgate as systemd runs it, without systemd: the test owns the datagram socket that
# NOTIFY_SOCKET names (core_service_notify.py) and checks what arrives: READY=1 once the
# control socket answers, WATCHDOG=1 every half WATCHDOG_USEC, RELOADING=1 then READY=1
# (with STATUS=) around a reload by vxgate-ctl, a refused one and SIGHUP, STOPPING=1 at
# shutdown. stderr is a file that JOURNAL_STREAM names, as journald's stream would be:
# every line, DPDK's included, must carry a "<N>" priority. A call site's rate limit holds
# back a burst of refused reloads, counted in `show service`, and says how many once it
# lets one through. The bash completion's command list is held equal to `help`, and it
# completes from the running daemon.
set -eu
BUILD=$(cd "${1:-build}" && pwd)
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-service-test.XXXXXX)
VXG_SOCK=$VXG_TMP/ctl.sock
VXG_LOG=$VXG_TMP/vxg.log
NOTES=$VXG_TMP/notify.log
NPID=
trap 'vxg_stop || true; [ -z "$NPID" ] || kill "$NPID" 2>/dev/null || true; rm -rf "$VXG_TMP"' EXIT

cfg() { # $1: file; $2: more top-level YAML
	cat >"$1" <<EOC
dataplane: {mbufs: 4096, limits: {fdb: 1024, neighbours: 64, sessions: 64, conntrack: 64}}
interfaces:
  - {name: up, device: "net_null_svc,no-rx=1", role: underlay, address: 172.16.0.1/24}
$2
EOC
}
cfg "$VXG_TMP/a.yaml" ""
cfg "$VXG_TMP/b.yaml" "vpcs: [{name: blue, networks: [{name: web, vni: 100, cidr: 10.1.0.0/24}]}]"
cfg "$VXG_TMP/broken.yaml" "vpcs: [{name: blue, networks: [{name: web, vni: 0, cidr: 10.1.0.0/24}]}]"

# The notifications after line $1 of the record, keep-alives left out.
notes_after() { tail -n +"$(($1 + 1))" "$NOTES" | grep -v '^WATCHDOG=1$' || true; }
# Waits until the notifications after line $1 hold $2 lines; prints them.
wait_notes() {
	for _ in $(seq 1 100); do
		[ "$(notes_after "$1" | wc -l)" -ge "$2" ] && break
		sleep 0.1
	done
	notes_after "$1"
}
mark() { wc -l <"$NOTES"; }

"$VXGATE" -- --log-level loud -c "$VXG_TMP/a.yaml" 2>"$VXG_TMP/opt.err" &&
	fail "--log-level loud accepted"
grep -q "give err, warning, notice, info or debug" "$VXG_TMP/opt.err" ||
	fail "--log-level loud: $(cat "$VXG_TMP/opt.err")"

python3 "$SRC/tests/pcap/core_service_notify.py" "$VXG_TMP/notify.sock" "$NOTES" 120 &
NPID=$!
for _ in $(seq 1 50); do
	grep -q LISTENING "$NOTES" 2>/dev/null && break
	sleep 0.1
done
: >"$VXG_LOG"
# shellcheck disable=SC2046
NOTIFY_SOCKET=$VXG_TMP/notify.sock WATCHDOG_USEC=400000 \
	JOURNAL_STREAM=$(stat -c '%d:%i' "$VXG_LOG") \
	"$VXGATE" --no-huge --no-pci -m 256 $(vxg_lcores) --file-prefix vxg-service -- \
	-c "$VXG_TMP/a.yaml" -s "$VXG_SOCK" -d "$VXG_TMP/state" >>"$VXG_LOG" 2>&1 </dev/null &
VXG_PID=$!

# 1. READY=1 when the daemon serves: its ports are up and generation 1 is live.
first=$(wait_notes 1 1 | head -1)
case $first in
"READY=1|STATUS=1 workers, 1 interfaces, generation 1 of $VXG_TMP/a.yaml") ;;
*) fail "first notification: '$first'; log: $(cat "$VXG_LOG")" ;;
esac
vxg_ctl show version >/dev/null || fail "READY=1 sent, but the control socket does not answer"
ok "READY=1 with its STATUS once the ports are up"

# 2. The watchdog's keep-alives: WATCHDOG_USEC 400 ms, a ping every 200 ms.
sleep 1.2
pings=$(grep -c '^WATCHDOG=1$' "$NOTES" || true)
[ "$pings" -ge 4 ] || fail "$pings WATCHDOG=1 in 1.2 s, expected about 6"
wd=$(vxg_ctl -j show service | vxg_json 'd["systemd"]["watchdog_ms"]')
[ "$wd" = 200 ] || fail "show service: watchdog_ms $wd, expected 200"
ok "WATCHDOG=1 every 200 ms ($pings in 1.2 s)"

# 3. Reloads: RELOADING=1 (and MONOTONIC_USEC) then READY=1, whatever asks for them.
expect_reload() { # $1: mark; $2: what asked; $3: file being reloaded; $4: STATUS after
	local n
	n=$(wait_notes "$1" 2)
	[ "$(echo "$n" | wc -l)" = 2 ] || fail "$2: notifications: $n"
	echo "$n" | head -1 | grep -qx "RELOADING=1|MONOTONIC_USEC=[0-9]*|STATUS=reloading $3" ||
		fail "$2: first notification: $n"
	[ "$(echo "$n" | tail -1)" = "READY=1|STATUS=$4" ] || fail "$2: then: $n"
	ok "$2: RELOADING=1, then READY=1 with STATUS=$4"
}
m=$(mark)
vxg_ctl reload "$VXG_TMP/b.yaml" >/dev/null || fail "reload b.yaml"
expect_reload "$m" "vxgate-ctl reload" "$VXG_TMP/b.yaml" "generation 2 of $VXG_TMP/b.yaml"
m=$(mark)
vxg_ctl reload "$VXG_TMP/broken.yaml" >/dev/null 2>&1 && fail "broken.yaml reloaded"
expect_reload "$m" "a refused reload" "$VXG_TMP/broken.yaml" \
	"reload of $VXG_TMP/broken.yaml refused; generation 2 of $VXG_TMP/b.yaml stays"
m=$(mark)
kill -HUP "$VXG_PID"
expect_reload "$m" "SIGHUP" "$VXG_TMP/b.yaml" "generation 3 of $VXG_TMP/b.yaml"

# 4. The log, as journald reads it.
grep -q "^<6>reloaded $VXG_TMP/b.yaml: generation 2$" "$VXG_LOG" || fail "no <6> reload line"
grep -A1 "^<3>reload of $VXG_TMP/broken.yaml refused, nothing changed:$" "$VXG_LOG" |
	tail -1 | grep -q "^<3>$VXG_TMP/broken.yaml:.*vni" || fail "refused reload: $(cat "$VXG_LOG")"
grep -q "^<6>SIGHUP: reloading $VXG_TMP/b.yaml$" "$VXG_LOG" || fail "no <6> SIGHUP line"
grep -qE '^<[0-7]>EAL: ' "$VXG_LOG" || fail "DPDK's EAL lines lost: $(cat "$VXG_LOG")"
bare=$(grep -cvE '^<[0-7]>' "$VXG_LOG" || true)
[ "$bare" = 0 ] || fail "$bare lines without a priority: $(grep -vE '^<[0-7]>' "$VXG_LOG")"
ok "every log line carries its priority: <6> for a reload, <3> on each line of a refusal"

# 5. A burst of 15 refused reloads: the site lets VXG_LOG_BURST (10) through, then one a
#    second; the rest are counted, and the next one through says how many there were.
for _ in $(seq 1 15); do
	vxg_ctl reload "$VXG_TMP/broken.yaml" >/dev/null 2>&1 || true
done
read -r err held <<<"$(vxg_ctl -j show service | vxg_json '"%d %d" % (d["log"]["logged"]["err"], d["log"]["suppressed"])')"
[ $((err + held)) = 16 ] || fail "refused reloads: $err logged + $held suppressed, not 16"
[ "$held" -ge 4 ] || fail "refused reloads: only $held suppressed of 16"
lines=$(grep -c '^<3>reload of .* refused' "$VXG_LOG" || true)
[ "$lines" = "$err" ] || fail "$lines refusals in the log, show service says $err"
sleep 1.1
vxg_ctl reload "$VXG_TMP/broken.yaml" >/dev/null 2>&1 || true
grep -q "^<3>($held similar messages suppressed by the rate limit)$" "$VXG_LOG" ||
	fail "no note of the $held suppressed: $(tail -5 "$VXG_LOG")"
ok "16 refusals: $err logged, $held held back by the rate limit and then counted"

# 6. The bash completion: its list is the daemon's own, and it completes from the daemon.
vxg_ctl help >"$VXG_TMP/help.txt"
# shellcheck disable=SC1091
diff <(. "$SRC/dist/vxgate-ctl.bash" && _vxgate_ctl_static) \
	<(. "$SRC/dist/vxgate-ctl.bash" && _vxgate_ctl_parse_help <"$VXG_TMP/help.txt") \
	>"$VXG_TMP/compl.diff" || fail "dist/vxgate-ctl.bash's list is not help's: $(cat "$VXG_TMP/compl.diff")"
if [ -f /usr/share/bash-completion/bash_completion ]; then
	got=$(PATH="$BUILD/tools:$PATH" bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1/dist/vxgate-ctl.bash"
		COMP_WORDS=(vxgate-ctl -s "$2" show n); COMP_CWORD=4
		COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
		_vxgate_ctl; echo "${COMPREPLY[*]}"' _ "$SRC" "$VXG_SOCK")
	[ "$got" = "nat neighbours" ] || fail "completion of 'show n': '$got'"
	ok "completion: the list is help's, and 'show n' completes to: $got"
else
	ok "completion: the list is help's (bash-completion not installed: not run)"
fi

# 7. STOPPING=1 at shutdown, and a clean exit.
m=$(mark)
vxg_stop || fail "vxgate did not exit 0"
n=$(wait_notes "$m" 1)
[ "$n" = "STOPPING=1|STATUS=stopping" ] || fail "at shutdown: $n"
ok "STOPPING=1 at shutdown"
wait "$NPID" || true
NPID=
