#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Ports against real Linux peers: a net_tap access port moved into a VM namespace and a
# net_af_packet underlay port on a veth whose far end is in a hypervisor namespace. The
# kernel's own ARP and ping reach the workers and are counted per interface and reason;
# the MTU from the config lands on the kernel side; stopping vxgate removes the tap.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
vxg_need_root
VXG_TMP=$(mktemp -d /tmp/vxg-port-test.XXXXXX)
NS_VM=vxgt-vm NS_HV=vxgt-hv
cleanup() {
	vxg_stop || true
	ip netns del $NS_VM 2>/dev/null || true
	ip netns del $NS_HV 2>/dev/null || true
	ip link del vxgt-u0 2>/dev/null || true
	rm -rf "$VXG_TMP"
}
trap cleanup EXIT

cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-port-test.XXXXXX)
ip netns add $NS_VM
ip netns add $NS_HV
ip link add vxgt-u0 type veth peer name vxgt-u1
ip link set vxgt-u1 netns $NS_HV
ip link set vxgt-u0 up
ip -n $NS_HV link set vxgt-u1 up
ip -n $NS_HV addr add 172.16.0.2/24 dev vxgt-u1

cat >"$VXG_TMP/ports.yaml" <<EOC
dataplane: {mbufs: 8192}
interfaces:
  - {name: uplink, device: "net_af_packet_u,iface=vxgt-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24}
  - {name: local, device: "net_tap_acc,iface=vxgt-acc", role: access, mtu: 1400}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, location: {interface: local}}
EOC
vxg_start ports "$VXG_TMP/ports.yaml"

mtu=$(cat /sys/class/net/vxgt-acc/mtu)
[ "$mtu" = 1400 ] || fail "tap MTU is $mtu, config says 1400"
vxg_ctl show interfaces | grep -qE "^local +access +.*up" || fail "tap link not up: $(vxg_ctl show interfaces)"
ok "tap created with the config's MTU, link up"

ip link set vxgt-acc netns $NS_VM
ip -n $NS_VM link set vxgt-acc address 02:00:0a:02:00:0c up
ip -n $NS_VM addr add 10.2.0.12/24 dev vxgt-acc
vxg_ctl clear stats >/dev/null
# The VM's gateway is the VPC router: it answers ARP and ping from the access tap.
ip netns exec $NS_VM ping -c 3 -i 0.3 -W 1 10.2.0.1 >/dev/null 2>&1 ||
	fail "the VM cannot ping its gateway 10.2.0.1: $(vxg_ctl show stats)"
ip netns exec $NS_HV ping -c 3 -i 0.3 -W 1 172.16.0.1 >/dev/null 2>&1 ||
	fail "the hypervisor cannot ping the underlay address"
sleep 0.5
stats=$(vxg_ctl -j show stats)
rx=$(echo "$stats" | vxg_json 'sum(w["rx"] for w in d["workers"])')
[ "$rx" -ge 6 ] || fail "workers saw $rx packets from the kernel peers"
ifs=$(vxg_ctl -j show interfaces)
for i in uplink local; do
	n=$(echo "$ifs" | vxg_json "[i['rx_packets'] for i in d['interfaces'] if i['name']=='$i'][0]")
	[ "$n" -ge 1 ] || fail "interface $i received $n packets: $ifs"
done
ok "the kernel pings the gateway from the tap and the underlay address from the veth ($rx packets)"

vxg_stop || fail "vxgate exit status"
if ip -n $NS_VM link show vxgt-acc >/dev/null 2>&1; then
	fail "the tap outlived vxgate"
fi
ok "clean stop removes the tap"
echo "core_ports_test: all passed"
