#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# vxgate against the Linux kernel's own VXLAN. A "hypervisor" namespace holds a kernel
# vxlan device (VNI 100) whose own address plays the remote VM; its underlay is a veth
# peered with vxgate's net_af_packet underlay port. A "VM" namespace sits on vxgate's
# net_tap access port. Across the overlay: ARP resolves, ping works both ways, and
# `show fdb` shows the remote VM's MAC learned at the hypervisor's VTEP address. Run once
# with the IANA port 4789 and once with Linux's old default 8472 on both sides.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root for network namespaces, taps and veths"
	exit 77
fi
if ! ip link add vxv-probe type vxlan id 1 dstport 4789 2>/dev/null; then
	echo "SKIP: the kernel has no vxlan driver"
	exit 77
fi
ip link del vxv-probe
NS_VM=vxv-vm NS_SW=vxv-sw
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:01:00:0c
cleanup() {
	vxg_stop || true
	for ns in $NS_VM $NS_SW vxv-hv1 vxv-hv2; do ip netns del $ns 2>/dev/null || true; done
	ip link del vxv-u0 2>/dev/null || true
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "${VXG_LOG:-}" ] && cat "$VXG_LOG" >&2; exit 1; }
ok() { echo "ok - $*"; }
quiet_ns() { # no IPv6 chatter: the tests count frames
	ip netns add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# Hypervisor $1 (1 or 2) at 172.16.0.$(( $1 + 1 )) on the underlay switch, with a kernel
# vxlan device towards vxgate whose own address plays a VM.
hypervisor() {
	local n=$1 port=$2 ns=vxv-hv$1 ip=172.16.0.$(($1 + 1))
	quiet_ns "$ns"
	ip link add vxv-h$n type veth peer name vxv-s$n
	ip link set vxv-h$n netns "$ns"
	ip link set vxv-s$n netns $NS_SW
	ip -n $NS_SW link set vxv-s$n master br0 up
	ip -n "$ns" link set vxv-h$n address 02:00:ac:10:00:0$((n + 1)) up
	ip -n "$ns" addr add "$ip/24" dev vxv-h$n
	# Static both ways: tests/netns/neigh_test.sh covers resolution by ARP.
	ip -n "$ns" neigh add 172.16.0.1 lladdr 02:00:ac:10:00:01 dev vxv-h$n nud permanent
	ip -n "$ns" link add vxv-vx type vxlan id 100 remote 172.16.0.1 local "$ip" \
		dstport "$port" dev vxv-h$n
}

# rx packets of hypervisor $1's vxlan device.
vx_rx() {
	ip -n vxv-hv$1 -s -j link show vxv-vx | vxg_json 'd[0]["stats64"]["rx"]["packets"]'
}

setup() { # $1: VXLAN UDP port on both sides
	local port=$1
	cleanup
	VXG_TMP=$(mktemp -d /tmp/vxg-vxlan-netns.XXXXXX)
	quiet_ns $NS_VM
	quiet_ns $NS_SW
	ip -n $NS_SW link add br0 type bridge
	ip -n $NS_SW link set br0 up
	# Underlay: vxgate's af_packet port on vxv-u0, switched to the hypervisors.
	ip link add vxv-u0 type veth peer name vxv-s0
	ip link set vxv-s0 netns $NS_SW
	ip -n $NS_SW link set vxv-s0 master br0 up
	ip link set vxv-u0 up
	sysctl -qw net.ipv6.conf.vxv-u0.disable_ipv6=1 || true
	hypervisor 1 "$port"
	hypervisor 2 "$port"
	ip -n vxv-hv1 link set vxv-vx address $VM1_MAC up
	ip -n vxv-hv1 addr add 10.1.0.11/24 dev vxv-vx
	ip -n vxv-hv2 link set vxv-vx address 02:00:0a:01:00:0d up
	ip -n vxv-hv2 addr add 10.1.0.13/24 dev vxv-vx

	# qpairs=1: with more qpairs than polled rx queues, net_af_packet's PACKET_FANOUT
	# hands some flows to sockets no worker reads.
	cat >"$VXG_TMP/vxlan.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxv,iface=vxv-u0,qpairs=1", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"},
     {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: local, device: "net_tap_vxv,iface=vxv-acc", role: access}
vtep: {address: 172.16.0.1, udp_port: $port}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2, 172.16.0.3]}
    ports:
      - {name: vm2, network: web, mac: "$VM2_MAC", ip: 10.1.0.12, location: {interface: local}}
EOC
	vxg_start "vxv-$port" "$VXG_TMP/vxlan.yaml"
	ip link set vxv-acc netns $NS_VM
	ip -n $NS_VM link set vxv-acc address $VM2_MAC up
	ip -n $NS_VM addr add 10.1.0.12/24 dev vxv-acc
}

fdb_where() { # MAC -> where show fdb has it, and whether learned
	vxg_ctl -j show fdb web | vxg_json "[(e['where'], e['type']) for e in d['entries'] if e['mac'].lower()=='$1']"
}

run() { # $1: VXLAN UDP port
	local port=$1
	setup "$port"
	ip netns exec $NS_VM ping -c 3 -i 0.2 -W 2 10.1.0.11 >"$VXG_TMP/ping1" 2>&1 ||
		fail "port $port: VM -> hypervisor VM ping: $(cat "$VXG_TMP/ping1"); $(vxg_ctl show stats)"
	ip -n $NS_VM neigh show 10.1.0.11 | grep -qi "$VM1_MAC" ||
		fail "port $port: ARP did not resolve through vxgate: $(ip -n $NS_VM neigh)"
	ok "port $port: ARP resolves and the VM pings the remote VM across the kernel's VXLAN"
	ip netns exec vxv-hv1 ping -c 3 -i 0.2 -W 2 10.1.0.12 >"$VXG_TMP/ping2" 2>&1 ||
		fail "port $port: hypervisor VM -> VM ping: $(cat "$VXG_TMP/ping2")"
	ok "port $port: the remote VM pings back"
	[ "$(fdb_where $VM1_MAC)" = "[('172.16.0.2', 'learned')]" ] ||
		fail "port $port: show fdb: $VM1_MAC at $(fdb_where $VM1_MAC): $(vxg_ctl show fdb)"
	ip -n vxv-hv1 -d link show vxv-vx | grep -q "dstport $port" || fail "kernel vxlan port"
	ok "port $port: show fdb has the remote VM's MAC learned at the hypervisor's VTEP"
}

# A broadcast from the local VM reaches each hypervisor exactly once (head-end
# replication), and a MAC that moves from one hypervisor to the other is followed.
run_two() {
	local a1 a2 b1 b2
	a1=$(vx_rx 1) a2=$(vx_rx 2)
	ip netns exec $NS_VM ping -b -c 5 -i 0.2 -W 1 10.1.0.255 >/dev/null 2>&1 || true
	sleep 0.3
	b1=$(vx_rx 1) b2=$(vx_rx 2)
	[ $((b1 - a1)) = 5 ] && [ $((b2 - a2)) = 5 ] ||
		fail "5 broadcasts reached hypervisor 1 $((b1 - a1)) and hypervisor 2 $((b2 - a2)) times"
	ok "5 broadcasts from the VM reach each of two hypervisors exactly 5 times"
	# The VM behind hypervisor 1 moves to hypervisor 2.
	ip -n vxv-hv1 link set vxv-vx down
	ip -n vxv-hv2 addr flush dev vxv-vx
	ip -n vxv-hv2 link set vxv-vx address $VM1_MAC
	ip -n vxv-hv2 addr add 10.1.0.11/24 dev vxv-vx
	ip netns exec vxv-hv2 ping -c 3 -i 0.2 -W 2 10.1.0.12 >"$VXG_TMP/ping3" 2>&1 ||
		fail "moved VM -> VM ping: $(cat "$VXG_TMP/ping3")"
	[ "$(fdb_where $VM1_MAC)" = "[('172.16.0.3', 'learned')]" ] ||
		fail "after the move, $VM1_MAC at $(fdb_where $VM1_MAC)"
	ip netns exec $NS_VM ping -c 2 -i 0.2 -W 2 10.1.0.11 >"$VXG_TMP/ping4" 2>&1 ||
		fail "VM -> moved VM ping: $(cat "$VXG_TMP/ping4")"
	ok "a MAC that moves to another hypervisor is followed (show fdb: 172.16.0.3; ping both ways)"
}

run 4789
run_two
vxg_stop || fail "vxgate exit status"
run 8472
vxg_stop || fail "vxgate exit status"
echo "vxlan netns test: all passed"
