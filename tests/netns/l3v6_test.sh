#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The IPv6 router against the Linux kernel. VPC blue is dual-stack: web (VNI 100,
# 2001:db8:1::/64, MTU 1450) holds vm1, the kernel vxlan device of hypervisor v6r-hv1;
# db (VNI 200, 2001:db8:2::/64, MTU 1400) holds vm2 on hypervisor v6r-hv2. The VMs have
# static addresses (nodad, no RA) and a default route via their gateway ::1, which the
# kernel resolves by Neighbour Solicitation. vxgate's external interface wan
# (2001:db8:ff::2, a net_tap) is in namespace v6r-inet, the upstream router
# 2001:db8:ff::1, which routes both /64s to vxgate's address6 (vxgate resolves it by NS
# for `::/0 via wan`). Checked: ping6 of the gateway (global and link-local), across the
# networks, `ping -t 1` (time exceeded), traceroute6 with the gateway as the one hop,
# tracepath6's path MTU 1400, and vm1 <-> the internet both ways; then the counters.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan v6r
for t in traceroute6 tracepath ping; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:02:00:0c
WAN_MAC=02:00:cb:00:71:02 INET_MAC=02:00:cb:00:71:01
INET=v6r-inet
cleanup() {
	vxg_stop || true
	ip netns del $INET 2>/dev/null || true
	vxg_underlay_del v6r
	[ -n "${VXR_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-router6-netns.XXXXXX)

vxg_underlay v6r
vxg_hypervisor v6r 1 4789 static
vxg_hypervisor v6r 2 4789 static
ip -n v6r-hv2 link del v6r-vx
ip -n v6r-hv2 link add v6r-vx type vxlan id 200 remote 172.16.0.1 local 172.16.0.3 \
	dstport 4789 dev v6r-h2
ip -n v6r-hv1 link set v6r-vx address $VM1_MAC
ip -n v6r-hv2 link set v6r-vx address $VM2_MAC mtu 1400
# The VMs speak IPv6 on their vxlan device only (the underlay stays quiet), with static
# addresses: no DAD, no RA.
vm6() { # N ADDR
	local ns=v6r-hv$1
	ip netns exec $ns sysctl -qw net.ipv6.conf.v6r-vx.disable_ipv6=0 \
		net.ipv6.conf.v6r-vx.accept_ra=0 net.ipv6.conf.v6r-vx.accept_dad=0
	ip -n $ns link set v6r-vx up
	ip -n $ns -6 addr add "$2/64" dev v6r-vx nodad
	ip -n $ns -6 route add default via "${2%::*}::1" dev v6r-vx
	# the kernel leaves UDP checksums to the "hardware" (see l3_test.sh)
	ip netns exec $ns ethtool -K v6r-vx tx off >/dev/null 2>&1 || true
}

cat >"$VXG_TMP/router6.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_v6r,iface=v6r-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"},
     {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: wan, device: "net_tap_v6rw,iface=v6r-wan", role: external, address: 203.0.113.2/24,
     gateway: 203.0.113.1, address6: 2001:db8:ff::2/64, gateway6: 2001:db8:ff::1,
     mac: "$WAN_MAC", mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450,
         ipv6: {cidr: "2001:db8:1::/64", mode: slaac}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1400,
         ipv6: {cidr: "2001:db8:2::/64", mode: slaac}}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, ip6: "2001:db8:1::11",
         location: {vtep: 172.16.0.2}}
      - {name: vm2, network: db, mac: "$VM2_MAC", ip: 10.2.0.12, ip6: "2001:db8:2::12",
         location: {vtep: 172.16.0.3}}
    routes:
      - {prefix: "::/0", via: wan}
EOC
vxg_start v6r "$VXG_TMP/router6.yaml"
vm6 1 2001:db8:1::11
vm6 2 2001:db8:2::12

# The internet: the upstream router on the wan tap, routing the VPC's /64s to vxgate.
ip netns add $INET
ip link set v6r-wan netns $INET
ip netns exec $INET sysctl -qw net.ipv6.conf.all.forwarding=1 \
	net.ipv6.conf.v6r-wan.accept_dad=0
ip -n $INET link set v6r-wan address $INET_MAC up
ip -n $INET -6 addr add 2001:db8:ff::1/64 dev v6r-wan nodad
ip -n $INET -6 route add 2001:db8:1::/64 via 2001:db8:ff::2
ip -n $INET -6 route add 2001:db8:2::/64 via 2001:db8:ff::2

# ping6 NS FROM DST [ARGS...]: true when DST answers (a few tries: the first may wait
# for Neighbour Discovery on both sides).
pings() {
	local ns=$1 dst=$2
	shift 2
	ip netns exec "$ns" ping -6 -c 3 -i 0.2 -W 2 "$@" "$dst" >"$VXG_TMP/ping" 2>&1 ||
		ip netns exec "$ns" ping -6 -c 3 -i 0.2 -W 2 "$@" "$dst" >"$VXG_TMP/ping" 2>&1
}
expect() { # WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# 1. The gateways, global and link-local (fe80::EUI-64 of the gateway MAC 02:76:78 + VNI).
pings v6r-hv1 2001:db8:1::1 || fail "vm1 -> gateway 2001:db8:1::1: $(cat "$VXG_TMP/ping")"
pings v6r-hv2 2001:db8:2::1 || fail "vm2 -> gateway 2001:db8:2::1: $(cat "$VXG_TMP/ping")"
pings v6r-hv1 fe80::76:78ff:fe00:64%v6r-vx ||
	fail "vm1 -> gateway fe80::76:78ff:fe00:64: $(cat "$VXG_TMP/ping")"
mac=$(ip -n v6r-hv1 -6 neigh show 2001:db8:1::1 dev v6r-vx |
	awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}')
expect "vm1's neighbour entry for its gateway" "$mac" 02:76:78:00:00:64
ok "vm1 and vm2 ping6 their gateways; vm1 its link-local one; NS answered ($mac)"

# 2. Across the networks, through the router, both ways.
pings v6r-hv1 2001:db8:2::12 || fail "vm1 -> vm2: $(cat "$VXG_TMP/ping")$(vxg_ctl show stats)"
pings v6r-hv2 2001:db8:1::11 || fail "vm2 -> vm1: $(cat "$VXG_TMP/ping")"
ok "vm1 and vm2 ping6 each other across the router"

# 3. Hop limit 1: time exceeded from the gateway.
ip netns exec v6r-hv1 ping -6 -c 1 -t 1 -W 2 2001:db8:2::12 >"$VXG_TMP/ping" 2>&1 || true
grep -q "From 2001:db8:1::1.*[Tt]ime exceeded" "$VXG_TMP/ping" ||
	fail "ping -t 1: no time exceeded from 2001:db8:1::1: $(cat "$VXG_TMP/ping")"
ok "ping -6 -t 1: time exceeded from the gateway 2001:db8:1::1"

# 4. traceroute6: the gateway is the one hop between vm1 and vm2.
ip netns exec v6r-hv1 traceroute6 -n -q 1 -w 2 -m 4 2001:db8:2::12 >"$VXG_TMP/tr" 2>&1 ||
	fail "traceroute6: $(cat "$VXG_TMP/tr")"
hops=$(awk 'NR > 1 {print $2}' "$VXG_TMP/tr" | paste -sd ' ')
expect "traceroute6 vm1 -> vm2 hops" "$hops" "2001:db8:1::1 2001:db8:2::12"
ok "traceroute6 vm1 -> vm2: $hops"

# 5. tracepath6 from vm1 (MTU 1450) to vm2 (db's MTU 1400): packet too big from the
# router gives the path MTU.
ip netns exec v6r-hv1 ip -6 route flush cache 2>/dev/null || true
ip netns exec v6r-hv1 tracepath -6 -n -m 4 2001:db8:2::12 >"$VXG_TMP/tp" 2>&1 || true
grep -q "pmtu 1400" "$VXG_TMP/tp" || fail "tracepath6: no pmtu 1400: $(cat "$VXG_TMP/tp")"
grep -q "Resume: pmtu 1400" "$VXG_TMP/tp" || fail "tracepath6: $(cat "$VXG_TMP/tp")"
ok "tracepath6 vm1 -> vm2 reports pmtu 1400 (packet too big from the router)"

# 6. The internet: vm1 reaches the upstream router through wan (vxgate resolves its
# gateway6 by NS), and the upstream router reaches vm1 (vxgate answers NS for its
# address6, and routes what comes in into the VPC).
pings v6r-hv1 2001:db8:ff::1 || fail "vm1 -> internet 2001:db8:ff::1: $(cat "$VXG_TMP/ping")"
pings $INET 2001:db8:1::11 || fail "internet -> vm1: $(cat "$VXG_TMP/ping")"
pings $INET 2001:db8:ff::2 || fail "internet -> vxgate's address6: $(cat "$VXG_TMP/ping")"
mac=$(ip -n $INET -6 neigh show 2001:db8:ff::2 dev v6r-wan |
	awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}')
expect "the upstream router's neighbour entry for vxgate's address6" "$mac" "$WAN_MAC"
ok "vm1 <-> internet over IPv6 through wan, which answers NS and ping for 2001:db8:ff::2"

# 7. What the router counted, and the neighbours it learned.
vxg_ctl -j show stats >"$VXG_TMP/stats"
for ev in routed6 icmp6_time_exceeded icmp6_pkt_too_big; do
	n=$(vxg_json "sum(w['events'].get('$ev', 0) for w in d['workers'])" <"$VXG_TMP/stats")
	[ "$n" -gt 0 ] || fail "event $ev not counted: $(vxg_ctl show stats)"
done
vxg_ctl show neighbours blue >"$VXG_TMP/neigh" || fail "show neighbours blue"
grep -q "2001:db8:2::12" "$VXG_TMP/neigh" || fail "show neighbours blue: $(cat "$VXG_TMP/neigh")"
grep -q "2001:db8:ff::1" "$VXG_TMP/neigh" || fail "show neighbours blue: $(cat "$VXG_TMP/neigh")"
ok "routed6, time exceeded and packet too big counted; show neighbours lists IPv6"
vxg_stop || fail "vxgate did not exit cleanly: $(tail -5 "$VXG_LOG")"
ok "vxgate stopped cleanly"
