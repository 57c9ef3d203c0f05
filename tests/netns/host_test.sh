#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# BGP in-band through the DPDK underlay port. vxgate's underlay is af_packet on a veth
# into a switch namespace; a "hypervisor" namespace on it is the peer at 172.16.0.2 with
# a kernel vxlan device (VNI 100). With vtep.evpn (in-band), vxgate makes the tap vxg-ul
# in its namespace with 172.16.0.1/24. Then: the peer and that namespace ping each other,
# the peer opens a TCP connection to socat listening on port 179 there, VXLAN between the
# peer and a VM on vxgate's access tap keeps working, and FRR (zebra and bgpd) in vxgate's
# namespace and in the peer's reach Established over the tap. FRR is started by the test
# (frr: external), each instance with its own sockets and pid files.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
. "$SRC/tests/netns/frr.sh"
vxg_need_root
vxg_need_vxlan vxh
for t in socat ethtool /usr/lib/frr/zebra /usr/lib/frr/bgpd vtysh; do
	command -v $t >/dev/null || { echo "SKIP: needs $t"; exit 77; }
done
NS=vxh-vxg # vxgate's namespace
NS_VM=vxh-vm
PEER=vxh-hv1
VM2_MAC=02:00:0a:01:00:0c
SOCAT=
cleanup() {
	local n
	[ -z "$SOCAT" ] || kill "$SOCAT" 2>/dev/null || true
	for n in vxg peer; do
		frr_kill "${VXG_TMP:-/nonexistent}/frr-$n" KILL 2>/dev/null || true
	done
	vxg_stop || true
	ip netns del $NS 2>/dev/null || true
	ip netns del $NS_VM 2>/dev/null || true
	vxg_underlay_del vxh
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT

VXG_TMP=$(mktemp -d /tmp/vxg-host-netns.XXXXXX)
chmod 755 "$VXG_TMP"
vxg_quiet_ns $NS_VM
vxg_underlay vxh
vxg_hypervisor vxh 1 4789
ip -n $PEER link set vxh-vx address 02:00:0a:01:00:11 up
ip -n $PEER addr add 10.1.0.21/24 dev vxh-vx
# A wire computes checksums; a veth leaves TCP's to the receiver, which af_packet does
# not do for vxgate: the peer's kernel fills them in itself.
ip netns exec $PEER ethtool -K vxh-h1 tx off >/dev/null

cat >"$VXG_TMP/host.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 64}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxh,iface=vxh-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01"}
  - {name: local, device: "net_tap_vxh,iface=vxh-acc", role: access}
vtep:
  address: 172.16.0.1
  evpn: {asn: 65000, peers: [{address: 172.16.0.2, asn: 65001}], namespace: $NS, frr: external}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2]}
    ports:
      - {name: vm2, network: web, mac: "$VM2_MAC", ip: 10.1.0.12, location: {interface: local}}
EOC
"$VXGATE" -- --check -c "$VXG_TMP/host.yaml" >"$VXG_TMP/check.out" 2>&1 || {
	grep -q "evpn" "$VXG_TMP/check.out" && { echo "SKIP: the config has no vtep.evpn yet"; exit 77; }
	fail "config: $(cat "$VXG_TMP/check.out")"
}
vxg_start vxh "$VXG_TMP/host.yaml" || fail "vxgate start"
ip link set vxh-acc netns $NS_VM
ip -n $NS_VM link set vxh-acc address $VM2_MAC up
ip -n $NS_VM addr add 10.1.0.12/24 dev vxh-acc
ip -n $NS -4 addr show vxg-ul | grep -q "inet 172.16.0.1/24" || fail "the tap: $(ip -n $NS addr)"

ip netns exec $NS ping -c 3 -i 0.2 -W 2 172.16.0.2 >"$VXG_TMP/ping-out" 2>&1 ||
	fail "vxgate's namespace -> peer: $(cat "$VXG_TMP/ping-out"); $(vxg_ctl show host)"
ip netns exec $PEER ping -c 3 -i 0.2 -W 2 172.16.0.1 >"$VXG_TMP/ping-in" 2>&1 ||
	fail "peer -> 172.16.0.1: $(cat "$VXG_TMP/ping-in")"
ok "vxgate's namespace and the peer ping each other through the DPDK port"

ip netns exec $NS socat -T 5 TCP-LISTEN:179,bind=172.16.0.1,reuseaddr \
	SYSTEM:'echo hello-from-vxgate-ns' >"$VXG_TMP/socat.log" 2>&1 &
SOCAT=$!
sleep 0.5
got=$(ip netns exec $PEER timeout 10 socat -T 5 - TCP:172.16.0.1:179 </dev/null 2>&1) || true
[ "$got" = hello-from-vxgate-ns ] ||
	fail "TCP to 172.16.0.1:179: '$got' $(cat "$VXG_TMP/socat.log"); $(vxg_ctl show host)"
wait "$SOCAT" 2>/dev/null || true
SOCAT=
ok "the peer reaches socat on 172.16.0.1:179 in vxgate's namespace"

ip netns exec $NS_VM ping -c 3 -i 0.2 -W 2 10.1.0.21 >"$VXG_TMP/ping-vx" 2>&1 ||
	fail "VM -> VM behind the peer over VXLAN: $(cat "$VXG_TMP/ping-vx"); $(vxg_ctl show stats)"
ok "VXLAN between the peer and the VM keeps working"

# frr NAME NAMESPACE ASN ROUTER_ID PEER PEER_ASN: zebra and bgpd of their own in NAMESPACE
# (tests/netns/frr.sh).
frr() {
	local d=$VXG_TMP/frr-$1
	mkdir -p "$d"
	cat >"$d/bgpd.conf" <<EOC
frr defaults datacenter
hostname $1
router bgp $3
 bgp router-id $4
 no bgp ebgp-requires-policy
 neighbor $5 remote-as $6
 neighbor $5 timers 1 3
EOC
	: >"$d/zebra.conf"
	frr_start "$2" "$d" || fail "FRR of $1 did not start: $(cat "$d/daemons.log")"
}
frr vxg $NS 65000 172.16.0.1 172.16.0.2 65001
frr peer $PEER 65001 172.16.0.2 172.16.0.1 65000
frr_bgp_established $NS "$VXG_TMP/frr-vxg" 172.16.0.2 30 &&
	frr_bgp_established $PEER "$VXG_TMP/frr-peer" 172.16.0.1 5 ||
	fail "BGP: $(frr_vtysh $NS "$VXG_TMP/frr-vxg" -c 'show bgp summary'); $(vxg_ctl show host)"
ok "FRR in vxgate's namespace and FRR on the peer reach Established through the DPDK port"

vxg_ctl -j show host >"$VXG_TMP/h.json"
[ "$(vxg_json 'd["to_tap"]["packets"] > 0 and d["from_tap"]["packets"] > 0 and sum(d["drops"].values()) == 0' <"$VXG_TMP/h.json")" = True ] ||
	fail "show host: $(cat "$VXG_TMP/h.json")"
ip -n $NS -s link show vxg-ul
vxg_ctl show host
vxg_stop || fail "vxgate exit status"
echo "host netns test: all passed"
