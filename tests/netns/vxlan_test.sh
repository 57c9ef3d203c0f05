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
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxv
NS_VM=vxv-vm
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:01:00:0c
cleanup() {
	vxg_stop || true
	ip netns del $NS_VM 2>/dev/null || true
	vxg_underlay_del vxv
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT

# rx packets of hypervisor $1's vxlan device.
vx_rx() {
	ip -n vxv-hv$1 -s -j link show vxv-vx | vxg_json 'd[0]["stats64"]["rx"]["packets"]'
}

setup() { # $1: VXLAN UDP port on both sides
	local port=$1
	cleanup
	VXG_TMP=$(mktemp -d /tmp/vxg-vxlan-netns.XXXXXX)
	vxg_quiet_ns $NS_VM
	vxg_underlay vxv
	# Static ARP both ways: tests/netns/neigh_test.sh covers resolution by ARP.
	vxg_hypervisor vxv 1 "$port" static
	vxg_hypervisor vxv 2 "$port" static
	ip -n vxv-hv1 link set vxv-vx address $VM1_MAC up
	ip -n vxv-hv1 addr add 10.1.0.11/24 dev vxv-vx
	ip -n vxv-hv2 link set vxv-vx address 02:00:0a:01:00:0d up
	ip -n vxv-hv2 addr add 10.1.0.13/24 dev vxv-vx

	# One qpair per worker (VXG_QPAIRS): with more qpairs than polled rx queues,
	# net_af_packet's PACKET_FANOUT hands some flows to sockets no worker reads.
	cat >"$VXG_TMP/vxlan.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxv,iface=vxv-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
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
