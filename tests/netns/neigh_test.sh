#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# vxgate resolves its underlay next hops itself. Two "hypervisor" namespaces hold kernel
# vxlan devices (VNI 100) towards vxgate; neither side has a static neighbour, so the
# kernel must ARP for vxgate's VTEP address and vxgate for each hypervisor's. Then: the VM
# on vxgate's access port pings the VMs behind both hypervisors, `show neighbours` lists
# the hypervisors as reachable with their MACs, and a hypervisor pings 172.16.0.1.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: needs root for network namespaces, taps and veths"
	exit 77
fi
if ! ip link add vxn-probe type vxlan id 1 dstport 4789 2>/dev/null; then
	echo "SKIP: the kernel has no vxlan driver"
	exit 77
fi
ip link del vxn-probe
NS_VM=vxn-vm NS_SW=vxn-sw
VM2_MAC=02:00:0a:01:00:0c
cleanup() {
	vxg_stop || true
	for ns in $NS_VM $NS_SW vxn-hv1 vxn-hv2; do ip netns del $ns 2>/dev/null || true; done
	ip link del vxn-u0 2>/dev/null || true
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [ -f "${VXG_LOG:-}" ] && cat "$VXG_LOG" >&2; exit 1; }
ok() { echo "ok - $*"; }
quiet_ns() {
	ip netns add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

# Hypervisor $1 at 172.16.0.$(( $1 + 1 )), MAC 02:00:ac:10:00:0$(( $1 + 1 )), whose vxlan
# device's own address 10.1.0.2$1 plays a VM. No static ARP entry for vxgate.
hypervisor() {
	local n=$1 ns=vxn-hv$1 ip=172.16.0.$(($1 + 1))
	quiet_ns "$ns"
	ip link add vxn-h$n type veth peer name vxn-s$n
	ip link set vxn-h$n netns "$ns"
	ip link set vxn-s$n netns $NS_SW
	ip -n $NS_SW link set vxn-s$n master br0 up
	ip -n "$ns" link set vxn-h$n address 02:00:ac:10:00:0$((n + 1)) up
	ip -n "$ns" addr add "$ip/24" dev vxn-h$n
	ip -n "$ns" link add vxn-vx type vxlan id 100 remote 172.16.0.1 local "$ip" \
		dstport 4789 dev vxn-h$n
	ip -n "$ns" link set vxn-vx address 02:00:0a:01:00:1$n up
	ip -n "$ns" addr add 10.1.0.2$n/24 dev vxn-vx
}

VXG_TMP=$(mktemp -d /tmp/vxg-neigh-netns.XXXXXX)
quiet_ns $NS_VM
quiet_ns $NS_SW
ip -n $NS_SW link add br0 type bridge
ip -n $NS_SW link set br0 up
ip link add vxn-u0 type veth peer name vxn-s0
ip link set vxn-s0 netns $NS_SW
ip -n $NS_SW link set vxn-s0 master br0 up
ip link set vxn-u0 up
sysctl -qw net.ipv6.conf.vxn-u0.disable_ipv6=1 || true
hypervisor 1
hypervisor 2
# No neighbours: on the underlay; qpairs=1, so control sends through worker 0.
cat >"$VXG_TMP/neigh.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 64}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxn,iface=vxn-u0,qpairs=1", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01"}
  - {name: local, device: "net_tap_vxn,iface=vxn-acc", role: access}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2, 172.16.0.3]}
    ports:
      - {name: vm2, network: web, mac: "$VM2_MAC", ip: 10.1.0.12, location: {interface: local}}
EOC
vxg_start vxn "$VXG_TMP/neigh.yaml" || fail "vxgate start"
ip link set vxn-acc netns $NS_VM
ip -n $NS_VM link set vxn-acc address $VM2_MAC up
ip -n $NS_VM addr add 10.1.0.12/24 dev vxn-acc

neigh_state() { # IP -> "MAC state" as show neighbours has it
	vxg_ctl -j show neighbours |
		vxg_json "' '.join(e['mac'].lower() + ' ' + e['state'] for e in d['neighbours'] if e['ip'] == '$1')"
}
for _ in $(seq 1 30); do
	[ "$(neigh_state 172.16.0.2)" = "02:00:ac:10:00:02 reachable" ] &&
		[ "$(neigh_state 172.16.0.3)" = "02:00:ac:10:00:03 reachable" ] && break
	sleep 0.2
done
[ "$(neigh_state 172.16.0.2)" = "02:00:ac:10:00:02 reachable" ] &&
	[ "$(neigh_state 172.16.0.3)" = "02:00:ac:10:00:03 reachable" ] ||
	fail "show neighbours: $(vxg_ctl show neighbours)"
vxg_ctl show vtep | grep -q "172.16.0.2 .* learned" || fail "show vtep: $(vxg_ctl show vtep)"
ok "vxgate's own ARP resolves both hypervisors (show neighbours: reachable, show vtep: learned)"

for n in 1 2; do
	ip netns exec $NS_VM ping -c 3 -i 0.2 -W 2 10.1.0.2$n >"$VXG_TMP/ping$n" 2>&1 ||
		fail "VM -> VM behind hypervisor $n: $(cat "$VXG_TMP/ping$n"); $(vxg_ctl show stats)"
done
ok "the VM pings the VMs behind both hypervisors, with no static neighbour on either side"

ip -n vxn-hv1 neigh show 172.16.0.1 | grep -qi "02:00:ac:10:00:01" ||
	fail "hypervisor's ARP for vxgate: $(ip -n vxn-hv1 neigh)"
# Hypervisor 2 forgets vxgate's MAC (the kernel learned it from vxgate's own probe), so it
# must ask, and vxgate answer.
ip -n vxn-hv2 neigh flush dev vxn-h2
ip netns exec vxn-hv2 ping -c 3 -i 0.2 -W 2 172.16.0.1 >"$VXG_TMP/ping-ul" 2>&1 ||
	fail "hypervisor -> 172.16.0.1: $(cat "$VXG_TMP/ping-ul"); $(vxg_ctl show neighbours)"
ip -n vxn-hv2 neigh show 172.16.0.1 | grep -qi "02:00:ac:10:00:01" ||
	fail "hypervisor 2's ARP for vxgate: $(ip -n vxn-hv2 neigh)"
vxg_ctl -j show neighbours >"$VXG_TMP/n.json"
replies=$(vxg_json 'd["counters"]["icmp_echo_replies_tx"]' <"$VXG_TMP/n.json")
arps=$(vxg_json 'd["counters"]["arp_replies_tx"]' <"$VXG_TMP/n.json")
[ "$replies" -ge 3 ] && [ "$arps" -ge 1 ] || fail "counters: $(cat "$VXG_TMP/n.json")"
ok "the hypervisor ARPs for and pings 172.16.0.1 ($arps ARP replies, $replies echo replies)"

vxg_ctl show neighbours
vxg_stop || fail "vxgate exit status"
echo "neigh netns test: all passed"
