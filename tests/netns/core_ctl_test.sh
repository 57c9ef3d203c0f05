#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Nothing on the control socket stalls the control thread. While hostile clients hold it
# (100 idle connections, 20 dripping a byte a second, one sending a megabyte of garbage,
# each coming back when cut, plus idle and busy DPDK telemetry clients), a VM behind the
# kernel's VXLAN takes a DHCP lease from vxgate with busybox udhcpc and pings its
# gateway, 100 vxgate-ctl clients at once all get their answer, and `show version`,
# sampled 20 times throughout, answers in a median under 100 ms and never in a second
# or more (a client the control thread waited on would cost its 2 s deadline; a single
# slow sample is the shared machine's scheduler, seen at 142 ms under ASan). `show control` then
# counts the clients cut over the cap and too long, and a few dripping clients on their
# own are cut at their 2 s deadline. Every wait is bounded: against a server that can be
# stalled the test fails rather than hangs. VXC_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxc
command -v busybox >/dev/null || { echo "SKIP: busybox is not installed"; exit 77; }
CLIENTS="python3 $SRC/tests/netns/ctl_clients.py"
VM1_MAC=02:00:0a:01:00:0b
HOSTILE_S=16 SAMPLES=20 SAMPLE_EVERY=0.5 LATENCY_MEDIAN_MS=100 LATENCY_MAX_MS=1000 LEASE_MAX_S=3
cleanup() {
	[ -z "${HOSTILE_PID:-}" ] || kill "$HOSTILE_PID" 2>/dev/null || true
	[ -z "${SAMPLER_PID:-}" ] || kill "$SAMPLER_PID" 2>/dev/null || true
	vxg_stop || true
	vxg_underlay_del vxc
	[ -n "${VXC_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-ctl-netns.XXXXXX)

vxg_underlay vxc
vxg_hypervisor vxc 1 4789 static
ip -n vxc-hv1 link set vxc-vx address $VM1_MAC up
ip netns exec vxc-hv1 ethtool -K vxc-vx tx off >/dev/null 2>&1 || true
cat >"$VXG_TMP/ctl.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxc,iface=vxc-u0,qpairs=$VXG_QPAIRS", role: underlay,
     address: 172.16.0.1/24, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450, dhcp: {}}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {vtep: 172.16.0.2}}
EOC
vxg_start vxc "$VXG_TMP/ctl.yaml"
WANT=$(vxg_ctl show version)
TEL=/var/run/dpdk/vxg-vxc/dpdk_telemetry.v2
[ -S "$TEL" ] || TEL=""
cat >"$VXG_TMP/udhcpc.sh" <<'EOS'
#!/bin/sh
case "$1" in
deconfig) ip link set "$interface" up; ip -4 addr flush dev "$interface" ;;
bound|renew) ip addr replace "$ip/$mask" dev "$interface"; echo "$ip" >"$VXC_LEASE" ;;
esac
exit 0
EOS
chmod +x "$VXG_TMP/udhcpc.sh"

# --- The hostile clients take every slot, then the real work runs beside them.
$CLIENTS hostile "$VXG_SOCK" $HOSTILE_S ${TEL:+--telemetry "$TEL"} \
	>"$VXG_TMP/hostile.json" 2>"$VXG_TMP/hostile.err" &
HOSTILE_PID=$!
sleep 2
$CLIENTS sample "$VXCTL" "$VXG_SOCK" $SAMPLES $SAMPLE_EVERY "$WANT" >"$VXG_TMP/samples" 2>&1 &
SAMPLER_PID=$!
# Checked at the end: the stalls above are what this test is about.
timeout 10 "$VXCTL" -s "$VXG_SOCK" -j show control >"$VXG_TMP/control0.json" 2>&1 || true

t0=$(date +%s%N)
VXC_LEASE=$VXG_TMP/lease timeout 15 ip netns exec vxc-hv1 busybox udhcpc -f -q -n -t 3 -T 3 \
	-i vxc-vx -s "$VXG_TMP/udhcpc.sh" >"$VXG_TMP/udhcpc.log" 2>&1 ||
	fail "udhcpc got no lease: $(cat "$VXG_TMP/udhcpc.log"); $(vxg_ctl show dhcp stats 2>&1)"
lease_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$(cat "$VXG_TMP/lease")" = 10.1.0.11 ] || fail "leased $(cat "$VXG_TMP/lease"), not 10.1.0.11"
# udhcpc -T 3: a lease after 3 s means the first DISCOVER went unanswered.
[ $lease_ms -lt $((LEASE_MAX_S * 1000)) ] ||
	fail "the lease took $lease_ms ms: udhcpc had to send its DISCOVER again"
ok "vm1 leases 10.1.0.11 with udhcpc in $lease_ms ms (its first try)"
ip netns exec vxc-hv1 ping -c 3 -i 0.2 -W 2 10.1.0.1 >"$VXG_TMP/ping" 2>&1 ||
	fail "vm1 -> gateway ping: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
ok "vm1 pings its gateway 10.1.0.1 ($(grep -o 'rtt.*' "$VXG_TMP/ping"))"

$CLIENTS burst "$VXCTL" "$VXG_SOCK" 100 "$WANT" >"$VXG_TMP/burst" 2>&1 ||
	fail "100 vxgate-ctl at once: $(cat "$VXG_TMP/burst")"
ok "100 vxgate-ctl at once: $(head -1 "$VXG_TMP/burst")"

wait $SAMPLER_PID || fail "show version answered wrong: $(cat "$VXG_TMP/samples")"
SAMPLER_PID=
slow=$(awk -v m=$LATENCY_MAX_MS '$1 >= m' "$VXG_TMP/samples")
[ -z "$slow" ] || fail "show version took ${LATENCY_MAX_MS} ms or more: $(tr '\n' ' ' <"$VXG_TMP/samples")"
[ "$(wc -l <"$VXG_TMP/samples")" = $SAMPLES ] || fail "samples: $(cat "$VXG_TMP/samples")"
stats=$(sort -n "$VXG_TMP/samples" |
	awk '{a[NR]=$1} END {printf "%s %s %s", a[1], a[int((NR+1)/2)], a[NR]}')
read -r lo med hi <<<"$stats"
awk -v m="$med" -v x=$LATENCY_MEDIAN_MS 'BEGIN {exit !(m < x)}' ||
	fail "show version's median is ${LATENCY_MEDIAN_MS} ms or more: $(tr '\n' ' ' <"$VXG_TMP/samples")"
ok "show version answered $SAMPLES times, median $med ms (min $lo, max $hi, all under ${LATENCY_MAX_MS} ms)"

wait $HOSTILE_PID || fail "hostile clients: $(cat "$VXG_TMP/hostile.err")"
HOSTILE_PID=
echo "# hostile clients: $(cat "$VXG_TMP/hostile.json")"
# check FILE EXPR: a Python expression on d, FILE's JSON, is true.
check() {
	vxg_json "$2" <"$1" 2>&1 | grep -q True || fail "not $2 in $(basename "$1"): $(cat "$1")"
}
check "$VXG_TMP/control0.json" 'd["clients"] >= 60'
ok "the hostile clients held $(vxg_json 'd["clients"]' <"$VXG_TMP/control0.json") of vxgate's 64 client slots"
vxg_ctl show control
vxg_ctl -j show control >"$VXG_TMP/control.json"
check "$VXG_TMP/control.json" 'd["evicted"] + d["refused"] > 0'
check "$VXG_TMP/control.json" 'd["too_long"] > 0'
check "$VXG_TMP/control.json" 'd["served"] >= 100 + 20'
check "$VXG_TMP/control.json" 'd["accepted"] == d["clients"] + sum(d[k] for k in ("served",
	"evicted", "refused", "timed_out", "too_long", "malformed", "hung_up", "reply_timed_out",
	"write_errors"))'
ok "show control counts the clients cut over the cap and too long; each client in one count"
if [ -n "$TEL" ]; then
	check "$VXG_TMP/hostile.json" 'd.get("telemetry_queries", 0) > 0 and d["telemetry_idle"] == 7'
	ok "telemetry: $(vxg_json 'd["telemetry_queries"]' <"$VXG_TMP/hostile.json") /vxgate/stats answered beside 7 idle clients"
fi

# --- The request deadline: dripping clients on their own are cut after 2 s.
before=$(vxg_ctl -j show control | vxg_json 'd["timed_out"]')
$CLIENTS hostile "$VXG_SOCK" 3 --idle 0 --drip 5 --garbage 0 >"$VXG_TMP/drip.json" ||
	fail "dripping clients"
after=$(vxg_ctl -j show control | vxg_json 'd["timed_out"]')
[ $((after - before)) -ge 5 ] || fail "timed_out went from $before to $after"
check "$VXG_TMP/drip.json" '1.9 <= d["drip_held_min_s"] and d["drip_held_max_s"] <= 2.5'
ok "5 clients dripping a byte a second are cut after $(vxg_json 'd["drip_held_min_s"], d["drip_held_max_s"]' <"$VXG_TMP/drip.json") s"
vxg_stop || fail "vxgate exit status"
echo "control socket netns test: all passed"
