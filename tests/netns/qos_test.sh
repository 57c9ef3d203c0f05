#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# QoS against real peers with iperf3. VPC blue, network web: vm1 (10.1.0.11, floating
# IP 203.0.113.20 with policy `limit`), vm2 (10.1.0.12, port policy `limit`) and vm3
# (10.1.0.13, no policy), each on a net_tap access port in a namespace of its own;
# vxgate's external interface wan (203.0.113.2/24) is in namespace vqs-inet, the
# "internet" (203.0.113.1), where an iperf3 server runs. `limit` is QOS_RATE (50mbit by
# default) each way, burst 2mb (QOS_BURST), drop: TCP through a policer needs a burst of about
# a third of a second at the rate (Neutron defaults to 80% of a second); iperf3 leaves
# the first second out (-O 1), so the burst does not count.
#   1. through the floating IP: vm1 -> internet (egress) and back (-R, ingress): UDP
#      offered at twice the rate arrives within 10% of it, TCP within 20%;
#   2. through the port: vm2 -> vm3 (vm2's egress) and vm3 -> vm2 (-R, vm2's ingress),
#      the same bounds, measured at the same time as 1 (each attachment has its meters);
#   3. an unlimited port on the same box is not slowed: vm1 <-> vm3 (switched, no
#      policy) over TCP well above the rate (at least twice);
#   4. show qos counts exceeding packets on both attachments; qos_exceeded drops.
# iperf3 counts payload: UDP datagrams of 1448 bytes carry 28 bytes of headers (IP bytes
# are metered), so the expected UDP figure is rate * 1448 / 1476.
# With VXG_LCORES=0-2 (two workers) the taps spread flows over both workers: UDP and TCP
# run 4 streams, so both workers meter one policy, which must still hold for the box;
# only the port is measured then (the floating IP's policy is divided the same way).
# VQS_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
for t in iperf3 python3; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
# Two workers on this class of machine (2 cores) leave the unlimited port at 60-80
# Mbit/s: the policy is 20 Mbit/s there, so the unlimited port can be seen above it.
RATE_M=${QOS_RATE:-50} # Mbit/s
[ "$(vxg_workers)" -gt 1 ] && RATE_M=${QOS_RATE:-20}
SECS=${QOS_SECONDS:-3}
WAN_MAC=02:00:cb:00:71:02 INET_MAC=02:00:cb:00:71:01
NS1=vqs-vm1 NS2=vqs-vm2 NS3=vqs-vm3 INET=vqs-inet
cleanup() {
	for ns in $NS1 $NS2 $NS3 $INET; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop || true
	for ns in $NS1 $NS2 $NS3 $INET; do
		ip netns del "$ns" 2>/dev/null || true
	done
	[ -n "${VQS_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-qos-netns.XXXXXX)
for ns in $NS1 $NS2 $NS3 $INET; do
	vxg_quiet_ns $ns
	ip -n $ns link set lo up
done

cat >"$VXG_TMP/qos.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, sessions: 4096}}
interfaces:
  - {name: wan, device: "net_tap_vqsw,iface=vqs-wan", role: external, address: 203.0.113.2/24,
     gateway: 203.0.113.1, mac: "$WAN_MAC", neighbours: [{ip: 203.0.113.1, mac: "$INET_MAC"}]}
  - {name: t1, device: "net_tap_vqs1,iface=vqs-t1", role: access}
  - {name: t2, device: "net_tap_vqs2,iface=vqs-t2", role: access}
  - {name: t3, device: "net_tap_vqs3,iface=vqs-t3", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1500}
    qos_policies:
      - {name: limit, ingress: {rate: ${RATE_M}mbit, burst: ${QOS_BURST:-2mb}}, egress: {rate: ${RATE_M}mbit, burst: ${QOS_BURST:-2mb}}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {interface: t1}}
      - {name: vm2, network: web, mac: "02:00:0a:01:00:0c", ip: 10.1.0.12, location: {interface: t2}, qos: limit}
      - {name: vm3, network: web, mac: "02:00:0a:01:00:0d", ip: 10.1.0.13, location: {interface: t3}}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat:
      floating_ips: [{ip: 203.0.113.20, port: vm1, qos: limit}]
EOC
vxg_start vqs "$VXG_TMP/qos.yaml" || fail "vxgate start"
sleep 1 # the taps' queues set up before they move
for i in 1 2 3; do
	ns=vqs-vm$i
	ip link set vqs-t$i netns $ns
	ip -n $ns link set vqs-t$i address 02:00:0a:01:00:0$(printf %x $((10 + i))) up
	ip -n $ns addr add 10.1.0.1$i/24 dev vqs-t$i
	ip -n $ns route add default via 10.1.0.1
	ip netns exec $ns ethtool -K vqs-t$i tx off >/dev/null 2>&1 || true
done
ip link set vqs-wan netns $INET
ip -n $INET link set vqs-wan address $INET_MAC up
ip -n $INET addr add 203.0.113.1/24 dev vqs-wan
ip netns exec $INET ethtool -K vqs-wan tx off >/dev/null 2>&1 || true
for ns in $INET $NS3 $NS1; do
	ip netns exec $ns iperf3 -s -D -p 5201 >/dev/null 2>&1
done
# reach NS DST: within 30 s. With two workers, a tap moved into a namespace sometimes
# feeds a queue nobody reads until it is set down and up again: then it is.
reach() {
	local i dev
	dev=$(ip -n "$1" -o link show | sed -n 's/^[0-9]*: \(vqs-[a-z0-9]*\)[:@].*/\1/p' | head -1)
	for i in $(seq 1 30); do
		ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0
		if [ "$i" = 5 ] || [ "$i" = 12 ] || [ "$i" = 20 ]; then
			ip -n "$1" link set "$dev" down
			ip -n "$1" link set "$dev" up
		fi
		sleep 0.5
	done
	fail "$1 cannot reach $2"
}
reach $NS1 203.0.113.1
reach $NS2 10.1.0.13
reach $NS3 10.1.0.11

# iperf NS DST [-u|-R...]: Mbit/s received, to one decimal
iperf() {
	local ns=$1 dst=$2 out
	shift 2
	out=$VXG_TMP/iperf-$ns.json
	for _ in 1 2 3; do
		ip netns exec "$ns" timeout $((SECS + 20)) iperf3 -c "$dst" -p 5201 -t "$SECS" -O 1 \
			--json "$@" >"$out" 2>&1 && break
		sleep 1
	done
	python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' "$out" ||
		fail "iperf3 $ns -> $dst $*: $(tail -5 "$out")"
}
# within WHAT GOT WANT PCT
within() {
	python3 -c 'import sys; g, w, p = map(float, sys.argv[1:]); sys.exit(0 if abs(g - w) <= w * p / 100 else 1)' "$2" "$3" "$4" ||
		fail "$1: $2 Mbit/s, expected $3 within $4%"
	ok "$1: $2 Mbit/s (expected $3 within $4%)"
}
UDP_WANT=$(python3 -c "print('%.1f' % ($RATE_M * 1448 / 1476))")
# One stream on one worker gets the whole rate; with two workers, 4 streams over both
# (a tap moves flows between workers). TCP on this 2-core machine shares the cores with
# vxgate and the peers: a figure out of bounds is measured once more. With two workers
# (three lcores on two cores) TCP is held only to never pass the rate by 20% (two
# workers must not double it): most runs give 17.7 to 19.6 of 20 Mbit/s, but runs of 14.8
# (twice in a row) and 9 were seen, CPU-starved peers making TCP bursty, which a policer
# punishes.
STREAMS=1 TCP_LOW=20
[ "$(vxg_workers)" -gt 1 ] && STREAMS=4 TCP_LOW=100
UDP=(-u -l 1448 -P $STREAMS -b $((2 * RATE_M / STREAMS))M)
TCP=(-P $STREAMS)
# tcp_ok WHAT GOT: within TCP_LOW% below the rate and 20% above
tcp_in() {
	python3 -c 'import sys; g, r, lo = map(float, sys.argv[1:]); sys.exit(0 if r * (1 - lo / 100) <= g <= r * 1.2 else 1)' "$1" "$RATE_M" "$TCP_LOW"
}
tcp_ok() {
	tcp_in "$2" || fail "$1: $2 Mbit/s, expected $RATE_M within -$TCP_LOW%/+20%"
	ok "$1: $2 Mbit/s (expected $RATE_M within -$TCP_LOW%/+20%)"
}

# pair WHAT ARGS...: the floating IP (vm1 <-> internet) and the port (vm2 <-> vm3) measured
# at once, each on its own meter, the same way; with two workers only the port, whose
# policy both workers share as the floating IP's would. TCP below its bound: once more.
pair() {
	local what=$1 kind=$2 fip= port try
	shift 2
	for try in 1 2; do
		if [ "$(vxg_workers)" = 1 ]; then
			iperf $NS1 203.0.113.1 "$@" >"$VXG_TMP/fip.mbit" &
			port=$(iperf $NS2 10.1.0.13 "$@")
			wait $! || fail "floating IP $what"
			fip=$(cat "$VXG_TMP/fip.mbit")
		else
			port=$(iperf $NS2 10.1.0.13 "$@")
		fi
		if [ $kind = udp ] || [ $try = 2 ] || { tcp_in "$port" && { [ -z "$fip" ] || tcp_in "$fip"; }; }; then
			break
		fi
		echo "# $what: ${fip:+floating IP $fip, }port $port Mbit/s, measured again"
	done
	[ -z "$fip" ] || check $kind "floating IP $what" "$fip"
	check $kind "port $what" "$port"
}
check() { # udp|tcp WHAT GOT
	if [ "$1" = udp ]; then within "$2" "$3" "$UDP_WANT" 10; else tcp_ok "$2" "$3"; fi
}
# 1-2. floating IP and port, each way: UDP at twice the rate, then TCP
pair "egress, UDP at twice the rate" udp "${UDP[@]}"
pair "ingress, UDP at twice the rate" udp "${UDP[@]}" -R
pair "egress, TCP" tcp "${TCP[@]}"
pair "ingress, TCP" tcp "${TCP[@]}" -R
# 3. unlimited
free=$(iperf $NS3 10.1.0.11)
python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= 2 * float(sys.argv[2]) else 1)' "$free" "$RATE_M" ||
	fail "vm3 -> vm1 (no policy): $free Mbit/s, not above twice the policy's $RATE_M"
ok "unlimited port on the same box: vm3 -> vm1 TCP at $free Mbit/s (policy rate $RATE_M)"
# 4. counters
vxg_ctl -j show qos >"$VXG_TMP/qos.json" || fail "show qos"
python3 - "$VXG_TMP/qos.json" "$(vxg_workers)" <<'PY' || fail "show qos: $(cat "$VXG_TMP/qos.json")"
import json, sys
d = json.load(open(sys.argv[1]))
att = {(a["kind"], a["name"]): a for v in d["vpcs"] for a in v["attachments"]}
keys = [("port", "vm2")] + ([("floating_ip", "203.0.113.20")] if sys.argv[2] == "1" else [])
for key in keys:
    for dr in ("ingress", "egress"):
        c = att[key][dr]
        assert c["conform_packets"] > 1000 and c["exceed_packets"] > 100, (key, dr, c)
print("ok - show qos: %s, both directions, conforming and exceeding counted"
      % " and ".join(k[1] for k in keys))
PY
vxg_ctl -j show stats >"$VXG_TMP/stats.json"
n=$(vxg_json 'sum(w["drops"].get("qos_exceeded", 0) for w in d["workers"])' <"$VXG_TMP/stats.json")
[ "$n" -gt 0 ] || fail "no qos_exceeded drop counted"
ok "qos_exceeded drops: $n; $(vxg_workers) worker(s)"
