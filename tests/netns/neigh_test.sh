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
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxn
NS_VM=vxn-vm
VM2_MAC=02:00:0a:01:00:0c
cleanup() {
	vxg_stop || true
	ip netns del $NS_VM 2>/dev/null || true
	vxg_underlay_del vxn
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT

VXG_TMP=$(mktemp -d /tmp/vxg-neigh-netns.XXXXXX)
vxg_quiet_ns $NS_VM
vxg_underlay vxn
# No static ARP entry for vxgate on the hypervisors: the kernel must ask.
for n in 1 2; do
	vxg_hypervisor vxn $n 4789
	ip -n vxn-hv$n link set vxn-vx address 02:00:0a:01:00:1$n up
	ip -n vxn-hv$n addr add 10.1.0.2$n/24 dev vxn-vx
done
# No neighbours: on the underlay; one qpair per worker (no spare tx queue), so control
# sends through worker 0.
cat >"$VXG_TMP/neigh.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 64}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxn,iface=vxn-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
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
