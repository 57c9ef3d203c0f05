#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# EVPN's shadow end to end: vxgate (vtep.evpn, in-band off) and a peer FRR VTEP (AS 65002)
# across a veth from vxgate's namespace. Checks: the shadow of network web (VNI 100) is up;
# zebra advertises vxgate's gateway MAC/IP and a declared port's MAC, which the peer
# installs behind 172.16.0.1; the peer's VTEP becomes web's flood target (show vtep:
# source evpn) and a MAC behind it an FDB entry of origin evpn (show fdb, show evpn macs),
# withdrawn when the peer loses it; zebra killed: a reconcile keeps the state whole.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
. "$SRC/tests/netns/frr.sh"
vxg_need_root
vxg_need_vxlan evs
frr_need
P=evs NS=evs-vx PEER=evs-peer
cleanup() {
	vxg_stop || true
	peer_stop
	ip netns del $PEER 2>/dev/null || true
	ip netns del $NS 2>/dev/null || true
	ip link del $P-u0 2>/dev/null || true
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT

peer_start() {
	local d=$VXG_TMP/peer
	mkdir -p "$d"
	echo "hostname peer" >"$d/zebra.conf"
	cat >"$d/bgpd.conf" <<EOC
frr defaults datacenter
hostname peer
router bgp 65002
 bgp router-id 10.77.0.2
 no bgp default ipv4-unicast
 timers bgp 1 3
 neighbor 10.77.0.1 remote-as external
 address-family l2vpn evpn
  neighbor 10.77.0.1 activate
  advertise-all-vni
 exit-address-family
exit
EOC
	frr_start $PEER "$d" || fail "the peer's FRR did not start: $(cat "$d/daemons.log")"
}

peer_stop() {
	frr_kill "${VXG_TMP:-/nonexistent}/peer"
}

# until SECONDS CMD...: until CMD succeeds.
until_ok() {
	local t=$1
	shift
	for _ in $(seq 1 $((t * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

peer_has() { bridge -n $PEER fdb show dev vx100 | grep -q "^$1 dst 172.16.0.1 self extern_learn"; }
fdb_has() { vxg_ctl show fdb | grep -qi "$1"; }
fdb_lacks() { ! vxg_ctl show fdb | grep -qi "$1"; }

cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-evpn-sync.XXXXXX)
chmod 755 "$VXG_TMP" # the peer\'s FRR runs as frr
ip link add $P-u0 type veth peer name $P-u1
ip link set $P-u0 up
ip link set $P-u1 up
cat >"$VXG_TMP/evpn.yaml" <<EOC
dataplane: {mbufs: 4096, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_evs,iface=$P-u0,qpairs=$VXG_QPAIRS", role: underlay,
     address: 172.16.0.1/24}
  - {name: local, device: "net_null_evs,no-rx=1", role: access}
vtep:
  address: 172.16.0.1
  evpn:
    asn: 65001
    peers: [{address: 10.77.0.2, asn: 65002}]
    namespace: $NS
    inband: false
    keepalive: 1
    hold: 3
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
    ports:
      - {name: vm3, network: web, mac: "02:00:0a:01:00:fe", location: {interface: local}}
EOC
VXG_MEM=256 vxg_start evs "$VXG_TMP/evpn.yaml"

# 1. The shadow of web.
shadow_up() { vxg_ctl show evpn vnis | grep -q '^ *100 blue/web .* up '; }
until_ok 10 shadow_up ||
	fail "no shadow of VNI 100: $(vxg_ctl show evpn vnis)"
ip -n $NS -d link show vxv100 | grep -q 'vxlan id 100 local 172.16.0.1' || fail "vxv100"
ok "VNI 100's shadow is up in $NS: $(vxg_ctl show evpn vnis | grep blue/web)"

# 2. The peer: a veth from vxgate's namespace, VNI 100 with a MAC of its own.
ip netns add $PEER
ip link add $P-b0 type veth peer name $P-b1
ip link set $P-b0 netns $NS
ip link set $P-b1 netns $PEER
ip -n $NS addr add 10.77.0.1/24 dev $P-b0
ip -n $NS link set $P-b0 up
ip -n $PEER link set lo up
ip -n $PEER addr add 10.77.0.2/24 dev $P-b1
ip -n $PEER link set $P-b1 up
# vxgate's VTEP address (on lo of its namespace) reachable: zebra's next hop must resolve.
ip -n $PEER route add 172.16.0.1/32 via 10.77.0.1
ip -n $PEER link add br100 type bridge
ip -n $PEER link add vx100 type vxlan id 100 local 10.77.0.2 dstport 4789 nolearning
ip -n $PEER link add h1 type veth peer name h1p
ip -n $PEER link set vx100 master br100 up
ip -n $PEER link set h1 master br100 up
ip -n $PEER link set h1p up
ip -n $PEER link set br100 up
bridge -n $PEER fdb add 02:00:0b:00:00:01 dev h1 master static
peer_start

# 3. What vxgate advertises, at the peer: the gateway and vm3 behind 172.16.0.1.
for mac in 02:76:78:00:00:64 02:00:0a:01:00:fe; do
	until_ok 40 peer_has "$mac" ||
		fail "the peer did not get $mac: $(bridge -n $PEER fdb show dev vx100; vxg_ctl show evpn)"
done
ok "the peer installed vxgate's gateway and vm3 behind 172.16.0.1"

# 4. What the peer advertises, in vxgate: its VTEP floods, its MAC is an evpn entry.
until_ok 20 fdb_has '^02:00:0b:00:00:01 .*10.77.0.2 .*evpn' ||
	fail "no EVPN entry for the peer's MAC: $(vxg_ctl show fdb)"
# The flood set comes with the next generation (changes are coalesced for 50 ms).
vtep_is_evpn() { vxg_ctl show vtep | grep -q '^  10.77.0.2 .* evpn$'; }
until_ok 5 vtep_is_evpn || fail "show vtep: $(vxg_ctl show vtep)"
vxg_ctl show evpn vnis | grep -q 'remote VTEPs: 10.77.0.2' || fail "show evpn vnis"
vxg_ctl show evpn macs 100 | grep -qi '^02:00:0b:00:00:01 .* 10.77.0.2 *remote' ||
	fail "show evpn macs: $(vxg_ctl show evpn macs 100)"
# that generation was a rebuild of the same config (its security group tables taken
# over, not compiled again), and show config says how long it took
rb=$(vxg_ctl -j show config | vxg_json '"%d %d" % (d["rebuilds"], d["build_us"] > 0)')
[ "${rb%% *}" -ge 1 ] && [ "${rb##* }" = 1 ] || fail "show config: rebuilds and build time '$rb'"
ok "the peer's VTEP floods web (show vtep: evpn; rebuilds ${rb%% *}) and its MAC is an evpn FDB entry"

# 5. The peer loses its MAC: withdrawn from vxgate's FDB.
bridge -n $PEER fdb del 02:00:0b:00:00:01 dev h1 master
until_ok 20 fdb_lacks '^02:00:0b:00:00:01 ' ||
	fail "the withdrawn MAC stays: $(vxg_ctl show fdb)"
ok "a withdrawn route leaves vxgate's FDB"

# 6. zebra killed and started again: a reconcile, and the peer's VTEP is still there.
bridge -n $PEER fdb add 02:00:0b:00:00:02 dev h1 master static
until_ok 20 fdb_has '^02:00:0b:00:00:02 .*evpn' ||
	fail "no EVPN entry for the peer's second MAC"
rc0=$(vxg_ctl -j show evpn vnis | vxg_json "d['counters']['reconciles']")
pid=$(vxg_ctl -j show evpn | vxg_json "[x['pid'] for x in d['daemons'] if x['name'] == 'zebra'][0]")
kill -9 "$pid"
reconciled() { [ "$(vxg_ctl -j show evpn vnis | vxg_json "d['counters']['reconciles']")" -gt "$rc0" ]; }
until_ok 30 reconciled ||
	fail "no reconcile after zebra's restart: $(vxg_ctl show evpn vnis)"
whole() { fdb_has '^02:00:0b:00:00:02 .*evpn' && vxg_ctl show vtep | grep -q '^  10.77.0.2 .* evpn$'; }
until_ok 30 whole ||
	fail "after zebra's restart: $(vxg_ctl show fdb; vxg_ctl show vtep)"
[ "$(vxg_ctl -j show evpn vnis | vxg_json "d['counters']['errors']")" = 0 ] || fail "errors counted"
ok "zebra restarted: reconciled ($(vxg_ctl show evpn vnis | grep 'last reconcile')), state whole"

vxg_stop || fail "vxgate did not stop cleanly"
ip netns list | grep -qw $NS && fail "namespace $NS is left"
ok "vxgate stopped: its namespace and shadow are gone"
