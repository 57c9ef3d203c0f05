#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# EVPN's FRR, managed by vxgate, against a peer FRR. vxgate runs with vtep.evpn (in-band
# off: the VTEP address on lo of its namespace) and makes its namespace; a veth joins that
# namespace to a peer namespace running its own zebra and bgpd (AS 65002, eBGP). Checks:
# vxgate started zebra and bgpd inside its namespace; the session reaches Established, as
# `show evpn` says; a VNI both sides have gets the peer's VTEP through FRR's derived route
# targets (another AS: matched on the VNI); bgpd killed is started again and the session
# comes back; once vxgate stopped no FRR of its own is left, nor its namespace.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
. "$SRC/tests/netns/frr.sh"
vxg_need_root
vxg_need_vxlan evf
frr_need
P=evf NS=evf-vx PEER=evf-peer
cleanup() {
	vxg_stop || true
	peer_stop
	ip netns del $PEER 2>/dev/null || true
	ip netns del $NS 2>/dev/null || true
	ip link del $P-u0 2>/dev/null || true
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT

# The peer's FRR: its own sockets, pid files and config in $VXG_TMP/peer.
peer_start() {
	local d=$VXG_TMP/peer
	mkdir -p "$d"
	cat >"$d/zebra.conf" <<EOC
hostname peer
EOC
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

evpn_json() { # a Python expression on `show evpn`'s JSON
	vxg_ctl -j show evpn | vxg_json "$1"
}

# wait_for SECONDS EXPR: until `show evpn` makes EXPR true.
wait_for() {
	local t=$1 expr=$2
	for _ in $(seq 1 $((t * 5))); do
		[ "$(evpn_json "$expr" 2>/dev/null)" = True ] && return 0
		sleep 0.2
	done
	return 1
}

ESTABLISHED="any(s['state'] == 'Established' and s['peer'] == '10.77.0.2' for s in d['sessions'])"

cleanup
ip netns del $NS 2>/dev/null || true
VXG_TMP=$(mktemp -d /tmp/vxg-evpn-netns.XXXXXX)
chmod 755 "$VXG_TMP" # the peer\'s FRR runs as frr
METRICS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ip link add $P-u0 type veth peer name $P-u1
ip link set $P-u0 up
ip link set $P-u1 up
cat >"$VXG_TMP/evpn.yaml" <<EOC
dataplane: {mbufs: 4096, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_evf,iface=$P-u0,qpairs=$VXG_QPAIRS", role: underlay,
     address: 172.16.0.1/24}
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
metrics: {listen: "127.0.0.1:$METRICS_PORT"}
EOC
VXG_MEM=256 vxg_start evf "$VXG_TMP/evpn.yaml"
FRR_DIR=$VXG_STATE/frr

# 1. The namespace, with the VTEP address on lo, and FRR in it.
ip netns list | grep -qw $NS || fail "vxgate did not make namespace $NS"
ip -n $NS addr show dev lo | grep -q '172.16.0.1/32' || fail "no VTEP address on lo in $NS"
wait_for 10 "all(x['running'] for x in d['daemons'])" || fail "FRR did not start: $(vxg_ctl show evpn)"
for dm in zebra bgpd; do
	pid=$(evpn_json "[x['pid'] for x in d['daemons'] if x['name'] == '$dm'][0]")
	[ "$(readlink /proc/"$pid"/ns/net)" = "$(ip netns exec $NS readlink /proc/self/ns/net)" ] ||
		fail "$dm ($pid) does not run in namespace $NS"
done
grep -q '^router bgp 65001' "$FRR_DIR/bgpd.conf" || fail "bgpd.conf: $(cat "$FRR_DIR/bgpd.conf")"
[ "$(evpn_json "[(n['network'], n['vni']) for n in d['networks']]")" = "[('web', 100)]" ] ||
	fail "show evpn's networks: $(vxg_ctl show evpn)"
ok "vxgate made namespace $NS and runs zebra and bgpd in it"

# 2. A peer across a veth, and the session.
ip netns add $PEER
ip link add $P-b0 type veth peer name $P-b1
ip link set $P-b0 netns $NS
ip link set $P-b1 netns $PEER
ip -n $NS addr add 10.77.0.1/24 dev $P-b0
ip -n $NS link set $P-b0 up
ip -n $PEER link set lo up
ip -n $PEER addr add 10.77.0.2/24 dev $P-b1
ip -n $PEER link set $P-b1 up
# VNI 100 on both sides; vxgate's side is its shadow device unless something made one.
ip -n $PEER link add br100 type bridge
ip -n $PEER link add vx100 type vxlan id 100 local 10.77.0.2 dstport 4789 nolearning
ip -n $PEER link set vx100 master br100 up
ip -n $PEER link set br100 up
if ! ip -n $NS -d link show type vxlan | grep -q 'vxlan id 100 '; then
	ip -n $NS link add $P-br100 type bridge
	ip -n $NS link add $P-vx100 type vxlan id 100 local 172.16.0.1 dstport 4789 nolearning
	ip -n $NS link set $P-vx100 master $P-br100 up
	ip -n $NS link set $P-br100 up
fi
peer_start
wait_for 30 "$ESTABLISHED" || fail "no Established session: $(vxg_ctl show evpn)"
ok "the session to the peer is Established: $(vxg_ctl show evpn | grep 10.77.0.2)"

# 3. The peer's VTEP for VNI 100, imported across ASes with FRR's derived targets.
vt() {
	ip netns exec $NS vtysh --vty_socket "$FRR_DIR" -c 'show evpn vni 100 json' |
		vxg_json "'10.77.0.2' in str(d.get('remoteVteps', d.get('numRemoteVteps')))"
}
for _ in $(seq 1 50); do
	[ "$(vt 2>/dev/null)" = True ] && break
	sleep 0.2
done
[ "$(vt)" = True ] || fail "VNI 100 has no remote VTEP 10.77.0.2: $(ip netns exec $NS vtysh --vty_socket "$FRR_DIR" -c 'show evpn vni 100')"
ok "VNI 100 learned the peer's VTEP 10.77.0.2 from AS 65002"

# 4. A reload adding a peer goes to bgpd through vtysh: the session that stays is not reset.
sed -e 's/peers: \[{address: 10.77.0.2, asn: 65002}\]/peers: [{address: 10.77.0.2, asn: 65002}, 10.77.0.3]/' \
	"$VXG_TMP/evpn.yaml" >"$VXG_TMP/evpn2.yaml"
grep -q 10.77.0.3 "$VXG_TMP/evpn2.yaml" || fail "the test's sed did not add a peer"
vxg_ctl reload "$VXG_TMP/evpn2.yaml" >/dev/null || fail "reload: $(vxg_ctl reload "$VXG_TMP/evpn2.yaml" 2>&1)"
wait_for 10 "d['applies_ok'] == 1 and any(s['peer'] == '10.77.0.3' for s in d['sessions'])" ||
	fail "the new peer did not reach bgpd: $(vxg_ctl show evpn)"
grep -q 'neighbor 10.77.0.3 remote-as internal' "$FRR_DIR/bgpd.conf" || fail "bgpd.conf lacks the new peer"
[ "$(evpn_json "[s['remote_as'] for s in d['sessions'] if s['peer'] == '10.77.0.3'][0]")" = 65001 ] ||
	fail "an iBGP peer's AS is not ours: $(vxg_ctl show evpn)"
[ "$(evpn_json "d['bgpd_restarts_for_config']")" = 0 ] || fail "bgpd restarted for a new peer"
wait_for 5 "$ESTABLISHED and [s['established'] for s in d['sessions'] if s['peer'] == '10.77.0.2'][0] == 1" ||
	fail "the session to 10.77.0.2 was reset by the reload: $(vxg_ctl show evpn)"
ok "a reload added peer 10.77.0.3 through vtysh; the session to 10.77.0.2 stayed up"

# 5. bgpd killed: started again, the session back.
pid=$(evpn_json "[x['pid'] for x in d['daemons'] if x['name'] == 'bgpd'][0]")
kill -9 "$pid"
wait_for 10 "[x['restarts'] for x in d['daemons'] if x['name'] == 'bgpd'][0] == 1 and all(x['running'] for x in d['daemons'])" ||
	fail "bgpd was not started again: $(vxg_ctl show evpn)"
wait_for 30 "$ESTABLISHED and d['sessions_age_ms'] < 3000" ||
	fail "the session did not come back: $(vxg_ctl show evpn)"
[ -d "/var/tmp/frr/bgpd.$pid" ] && fail "FRR's folder of the killed bgpd is left"
ok "bgpd killed ($pid) was started again and the session is back: $(vxg_ctl show evpn | grep -E 'bgpd|10.77.0.2')"

# 6. zebra killed: started again, and it learns the peer's VTEP again from bgpd.
pid=$(evpn_json "[x['pid'] for x in d['daemons'] if x['name'] == 'zebra'][0]")
kill -9 "$pid"
wait_for 10 "[x['restarts'] for x in d['daemons'] if x['name'] == 'zebra'][0] == 1 and all(x['running'] for x in d['daemons'])" ||
	fail "zebra was not started again: $(vxg_ctl show evpn)"
for _ in $(seq 1 75); do
	[ "$(vt 2>/dev/null)" = True ] && break
	sleep 0.2
done
[ "$(vt)" = True ] || fail "after zebra's restart VNI 100 has no remote VTEP: $(ip netns exec $NS vtysh --vty_socket "$FRR_DIR" -c 'show evpn vni 100')"
wait_for 30 "$ESTABLISHED" || fail "the session did not come back after zebra: $(vxg_ctl show evpn)"
ok "zebra killed ($pid) was started again, with bgpd after it: the peer's VTEP for VNI 100 is back"

# 7. The metrics: sessions by state, restarts by daemon.
curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" >"$VXG_TMP/metrics" || fail "no metrics"
for want in 'vxgate_evpn_peers{state="Established"} 1' 'vxgate_evpn_frr_restarts_total{daemon="bgpd"} 1' \
	'vxgate_evpn_frr_restarts_total{daemon="zebra"} 1'; do
	grep -qF "$want" "$VXG_TMP/metrics" || fail "metrics lack '$want': $(grep evpn "$VXG_TMP/metrics")"
done
ok "metrics: $(grep -E '^vxgate_evpn_(peers\{state="Established"|frr_restarts)' "$VXG_TMP/metrics" | tr '\n' ' ')"

# 8. A new AS: bgpd restarts on its new file (FRR changes no AS in place).
pid=$(evpn_json "[x['pid'] for x in d['daemons'] if x['name'] == 'bgpd'][0]")
sed -e 's/asn: 65001/asn: 65009/' "$VXG_TMP/evpn2.yaml" >"$VXG_TMP/evpn3.yaml"
vxg_ctl reload "$VXG_TMP/evpn3.yaml" >/dev/null || fail "reload with AS 65009"
wait_for 10 "d['bgpd_restarts_for_config'] == 1 and [x['pid'] for x in d['daemons'] if x['name'] == 'bgpd'][0] not in (0, $pid)" ||
	fail "bgpd did not restart for AS 65009: $(vxg_ctl show evpn)"
for _ in $(seq 1 25); do
	ip netns exec $NS vtysh --vty_socket "$FRR_DIR" -c 'show running-config' 2>/dev/null |
		grep -q '^router bgp 65009' && break
	sleep 0.2
done
ip netns exec $NS vtysh --vty_socket "$FRR_DIR" -c 'show running-config' | grep -q '^router bgp 65009' ||
	fail "bgpd does not run AS 65009"
[ "$(evpn_json "[x['restarts'] for x in d['daemons'] if x['name'] == 'bgpd'][0]")" = 1 ] ||
	fail "a restart for a new AS counted as a death"
ok "a reload to AS 65009 restarted bgpd on its new file"

# 9. Stopped: no FRR of vxgate's left, no namespace.
pids=$(evpn_json "' '.join(str(x['pid']) for x in d['daemons'])")
vxg_stop || fail "vxgate did not stop cleanly"
for pid in $pids; do
	kill -0 "$pid" 2>/dev/null && fail "FRR pid $pid still runs after vxgate stopped"
	[ -d "/var/tmp/frr/zebra.$pid" ] || [ -d "/var/tmp/frr/bgpd.$pid" ] &&
		fail "FRR's folder of $pid is left"
done
if pgrep -f -- "--vty_socket $FRR_DIR" >/dev/null; then
	fail "an FRR daemon of $FRR_DIR still runs"
fi
ip netns list | grep -qw $NS && fail "namespace $NS is left"
ok "vxgate stopped: no FRR of its own left, namespace $NS removed"

# 10. frr: external, in a namespace the operator made: vxgate only writes the files; FRR
# started by the command the README gives answers `show evpn`. A reload without evpn
# leaves the namespace (not vxgate's) and takes the VTEP address off its lo.
ip netns add $NS
sed -e 's/inband: false/inband: false\n    frr: external/' "$VXG_TMP/evpn.yaml" >"$VXG_TMP/evpn-ext.yaml"
VXG_MEM=256 vxg_start evf "$VXG_TMP/evpn-ext.yaml"
[ "$(evpn_json "d['frr'] + ' ' + str(d['namespace_created']) + ' ' + str('daemons' in d)")" = "external False False" ] ||
	fail "frr external: $(vxg_ctl show evpn)"
pgrep -f -- "--vty_socket $FRR_DIR" >/dev/null && fail "frr external: vxgate started FRR"
# the old pair goes with the namespace vxgate removed, which the kernel frees later
ip -n $PEER link del $P-b1 2>/dev/null || true
ip link add $P-b0 type veth peer name $P-b1
ip link set $P-b0 netns $NS
ip link set $P-b1 netns $PEER
ip -n $NS addr add 10.77.0.1/24 dev $P-b0
ip -n $NS link set $P-b0 up
ip -n $PEER addr add 10.77.0.2/24 dev $P-b1
ip -n $PEER link set $P-b1 up
D=$FRR_DIR
for dm in zebra bgpd; do
	ip netns exec $NS /usr/lib/frr/$dm -d -f $D/$dm.conf -i $D/$dm.pid -z $D/zserv.api \
		--vty_socket $D -P 0 -u root -g frrvty >/dev/null 2>&1
done
wait_for 30 "$ESTABLISHED" || fail "frr external: no session: $(vxg_ctl show evpn)"
ok "frr external: the operator's FRR, started as documented, is Established with the peer"
grep -v 'evpn:\|asn:\|peers:\|namespace:\|inband:\|frr:\|keepalive:\|hold:' "$VXG_TMP/evpn-ext.yaml" >"$VXG_TMP/noevpn.yaml"
vxg_ctl reload "$VXG_TMP/noevpn.yaml" >/dev/null || fail "reload without evpn: $(vxg_ctl reload "$VXG_TMP/noevpn.yaml" 2>&1)"
[ "$(evpn_json "d['enabled']")" = False ] || fail "evpn still on after a reload without it"
ip netns list | grep -qw $NS || fail "vxgate removed a namespace it did not make"
ip -n $NS addr show dev lo | grep -q '172.16.0.1/32' && fail "the VTEP address stays on lo"
ok "a reload without evpn: the operator's namespace stays, the VTEP address left its lo"
for dm in bgpd zebra; do
	pid=$(cat $D/$dm.pid)
	kill "$pid"
	for _ in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	rm -rf "/var/tmp/frr/$dm.$((pid - 1))" # named before -d forked
done
