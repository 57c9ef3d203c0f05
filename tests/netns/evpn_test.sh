#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# vxgate as one more VTEP of a BGP EVPN fabric. Two "hypervisors" run FRR (zebra + bgpd,
# advertise-all-vni, a full iBGP mesh with vxgate) and the kernel's VXLAN with
# `nolearning` and no static remote, each with VMs in namespaces on its bridges. vxgate's
# config has no flood list, declares the VMs as ports without a location (fixed IPs, port
# security, a security group), and data-plane learning off: all it knows of the fabric
# comes from EVPN, through the FRR it runs in its own namespace, peering in-band through
# its DPDK underlay port.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
. "$SRC/tests/netns/frr.sh"
vxg_need_root
vxg_need_vxlan ev
frr_need
P=ev
XNS=ev-vxgate # vxgate's namespace
GW_MAC100=02:76:78:00:00:64 GW_MAC200=02:76:78:00:00:c8
declare -A VM_MAC=([vm1]=02:00:0a:01:00:0b [vm2]=02:00:0a:02:00:0c [vm3]=02:00:0a:01:00:0d)
declare -A VM_IP=([vm1]=10.1.0.11 [vm2]=10.2.0.12 [vm3]=10.1.0.13)
declare -A VM_VNI=([vm1]=100 [vm2]=200 [vm3]=100)

cleanup() {
	vxg_stop || true
	for n in 1 2; do frr_kill "${VXG_TMP:-/nonexistent}/frr-$n" KILL 2>/dev/null || true; done
	for ns in $P-vm1 $P-vm2 $P-vm3 $XNS; do
		ip netns pids $ns 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
		ip netns del $ns 2>/dev/null || true
	done
	vxg_underlay_del $P
	rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
if [ -n "${EVPN_DEBUG:-}" ]; then eval "orig_$(declare -f fail)"; fail() { echo "FAIL: $*"; sleep 400; orig_fail "$@"; }; fi

# hv N: a hypervisor at 172.16.0.(N+1) with a bridge and a nolearning VXLAN device per VNI
# and FRR peering with vxgate and the other hypervisor.
hv() {
	local n=$1 ns=$P-hv$1 ip=172.16.0.$(($1 + 1)) d=$VXG_TMP/frr-$1 vni other
	vxg_quiet_ns "$ns"
	ip -n "$ns" link set lo up
	ip link add "$P-h$n" type veth peer name "$P-s$n"
	ip link set "$P-h$n" netns "$ns"
	ip link set "$P-s$n" netns "$P-sw"
	ip -n "$P-sw" link set "$P-s$n" master br0 up
	ip -n "$ns" link set "$P-h$n" address "02:00:ac:10:00:0$((n + 1))" up
	ip -n "$ns" addr add "$ip/24" dev "$P-h$n"
	# af_packet hands vxgate what the veth leaves unfinished: checksums done here.
	ip netns exec "$ns" ethtool -K "$P-h$n" tx off >/dev/null
	for vni in 100 200; do
		ip -n "$ns" link add br$vni type bridge
		ip -n "$ns" link set br$vni up
		ip -n "$ns" link add vx$vni type vxlan id $vni local "$ip" dstport 4789 nolearning
		ip -n "$ns" link set vx$vni master br$vni up
		ip -n "$ns" link set vx$vni type bridge_slave learning off
	done
	other=172.16.0.$((n == 1 ? 3 : 2))
	mkdir -p "$d"
	echo "hostname hv$n" >"$d/zebra.conf"
	cat >"$d/bgpd.conf" <<EOB
hostname hv$n
router bgp 65000
 bgp router-id $ip
 no bgp default ipv4-unicast
 timers bgp 3 9
 neighbor 172.16.0.1 remote-as internal
 neighbor $other remote-as internal
 address-family l2vpn evpn
  neighbor 172.16.0.1 activate
  neighbor $other activate
  advertise-all-vni
 exit-address-family
EOB
	frr_start "$ns" "$d" || fail "FRR of hypervisor $n did not start: $(cat "$d/daemons.log")"
}

# vm NAME HV: the VM's namespace on hypervisor HV's bridge of its VNI.
vm() {
	local vm=$1 n=$2 vni=${VM_VNI[$1]}
	ip netns list | grep -qw "$P-$vm" || vxg_quiet_ns "$P-$vm"
	ip link add "$P-$vm-t" type veth peer name "$P-$vm-v"
	ip link set "$P-$vm-t" netns "$P-hv$n"
	ip -n "$P-hv$n" link set "$P-$vm-t" master br$vni up
	ip link set "$P-$vm-v" netns "$P-$vm"
	ip -n "$P-$vm" link set "$P-$vm-v" address "${VM_MAC[$vm]}" up
}

vm_unplug() { # NAME HV
	ip -n "$P-hv$2" link del "$P-$1-t"
}

# The VMs: ports without location (EVPN places them), a fixed IP each, port security and
# a group that lets ICMP in.
port() { # VM NETWORK
	echo "      - {name: $1, network: $2, mac: \"${VM_MAC[$1]}\", ip: ${VM_IP[$1]}, security_groups: [vms]}"
}

config() { # $1: with db (1) or without (0)
	cat >"$VXG_TMP/evpn.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_$P,iface=$P-u0,qpairs=$VXG_QPAIRS", role: underlay,
     address: 172.16.0.1/24, mac: "02:00:ac:10:00:01"}
vtep:
  address: 172.16.0.1
  learning: false
  evpn: {asn: 65000, peers: [172.16.0.2, 172.16.0.3], namespace: $XNS}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450,
         dhcp: {range: [10.1.0.100, 10.1.0.199]}}
EOC
	[ "$1" = 1 ] && cat >>"$VXG_TMP/evpn.yaml" <<EOC
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1450,
         dhcp: {range: [10.2.0.100, 10.2.0.199]}}
EOC
	{
		echo "    security_groups: [{name: vms, rules: [{direction: ingress, protocol: icmp}]}]"
		echo "    ports:"
		port vm1 web
		port vm3 web
		[ "$1" = 0 ] || port vm2 db
	} >>"$VXG_TMP/evpn.yaml"
}

# wait_for SECONDS WHAT COMMAND...: poll until COMMAND succeeds.
wait_for() {
	local t=$1 what=$2 i
	shift 2
	for i in $(seq 1 $((t * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	fail "$(eval "echo \"$what\"") (after $t s)"
}

hv_has_vtep() { # HV VNI: vxgate is a flood target of VNI on hypervisor HV
	bridge -n "$P-hv$1" fdb show dev vx$2 | grep -q "^00:00:00:00:00:00 dst 172.16.0.1 "
}
hv_has_mac() { # HV VNI MAC: the MAC is behind vxgate on hypervisor HV
	bridge -n "$P-hv$1" fdb show dev vx$2 | grep -qi "^$3 dst 172.16.0.1 "
}
vxg_mac_at() { # NET MAC: where vxgate's FDB puts MAC
	vxg_ctl -j show fdb "$1" |
		vxg_json "[e['where'] for e in d['entries'] if e['mac'].lower()=='$2'.lower()]"
}
vxg_mac_is() { [ "$(vxg_mac_at "$1" "$2")" = "['$3']" ]; }
vxg_port_at() { # NET MAC: a declared port's static entry, placed by EVPN: "static VTEP|pending"
	vxg_ctl -j show fdb "$1" | vxg_json "' '.join(e['type'] + ' ' + e['where'] for e in d['entries'] if e['mac'].lower()=='$2'.lower() and e['evpn_located'])"
}
vxg_port_is() { [ "$(vxg_port_at "$1" "$2")" = "static $3" ]; }
vtep_count_is() { # VNI N: vxgate floods VNI to N remote VTEPs
	[ "$(vxg_vtep_count "$1")" = "$2" ]
}
vxg_vtep_count() { # the VTEPs vxgate floods network NET to
	vxg_ctl -j show evpn vnis | vxg_json "[len(v['remote_vteps']) for v in d['vnis'] if v['vni']==$1][0]"
}
dhcp() { # VM: a lease from vxgate, through its hypervisor's VXLAN
	ip netns exec "$P-$1" busybox udhcpc -i "$P-$1-v" -n -q -t 5 -T 1 -s "$SRC/tests/netns/udhcpc.sh" \
		>"$VXG_TMP/dhcp-$1" 2>&1 || fail "$1: no DHCP lease: $(cat "$VXG_TMP/dhcp-$1")"
}
ping_ok() { # VM DST [COUNT]
	ip netns exec "$P-$1" ping -c "${3:-2}" -i 0.2 -W 1 "$2" >"$VXG_TMP/ping" 2>&1
}

lease_ip() { cat "$VXG_TMP/lease-$1"; }
spoofed() { vxg_ctl -j show stats | vxg_json "sum(w['drops'].get('spoof_mac', 0) for w in d['workers'])"; }

VXG_TMP=$(mktemp -d /tmp/vxg-evpn-netns.XXXXXX)
chmod 755 "$VXG_TMP" # FRR runs as frr
cat >"$VXG_TMP/udhcpc.sh" <<'EOS'
#!/bin/sh
case "$1" in
deconfig) ip link set "$interface" up; ip -4 addr flush dev "$interface" ;;
bound|renew)
	ip addr replace "$ip/$mask" dev "$interface"
	ip route replace default via "$router" dev "$interface"
	echo "$ip" >"$LEASE" ;;
esac
exit 0
EOS
chmod +x "$VXG_TMP/udhcpc.sh"
dhcp() { # VM: a lease from vxgate, through its hypervisor's VXLAN
	LEASE=$VXG_TMP/lease-$1 ip netns exec "$P-$1" busybox udhcpc -f -q -n -t 5 -T 1 \
		-i "$P-$1-v" -s "$VXG_TMP/udhcpc.sh" >"$VXG_TMP/dhcp-$1" 2>&1 ||
		fail "$1: no DHCP lease: $(cat "$VXG_TMP/dhcp-$1"); $(vxg_ctl show dhcp stats)"
}

vxg_underlay $P
hv 1
hv 2
vm vm1 1
vm vm3 2
vm vm2 2
config 1
vxg_start ev "$VXG_TMP/evpn.yaml"

# --- Sessions, and each side learns the other's VTEPs.
for n in 1 2; do
	frr_bgp_established $P-hv$n "$VXG_TMP/frr-$n" 172.16.0.1 30 ||
		fail "hypervisor $n: no session with vxgate: $(vxg_ctl show evpn)"
done
ok "both hypervisors' FRR reach Established with vxgate's, in-band through the DPDK port"
for n in 1 2; do
	for vni in 100 200; do
		wait_for 20 "hypervisor $n: vxgate is no flood target of VNI $vni" hv_has_vtep $n $vni
	done
	wait_for 10 "hypervisor $n: no gateway MAC behind vxgate" hv_has_mac $n 100 $GW_MAC100
	wait_for 10 "hypervisor $n: no gateway MAC behind vxgate" hv_has_mac $n 200 $GW_MAC200
done
ok "both hypervisors flood VNIs 100 and 200 to vxgate and reach its gateway MACs there (type 3 and 2)"
wait_for 30 'vxgate does not flood web to both hypervisors: $(vxg_ctl show evpn vnis)' \
	vtep_count_is 100 2
ok "vxgate floods web to both hypervisors, learned from EVPN (no flood list)"
for v in vm1 vm3; do
	vxg_port_is web ${VM_MAC[$v]} pending || fail "$v before it spoke: $(vxg_ctl show fdb web)"
done
ok "the declared VMs are static entries, pending until EVPN places them"

# --- VMs take leases from vxgate and reach their gateways and each other across networks.
for v in vm1 vm3 vm2; do
	dhcp $v
	[ "$(lease_ip $v)" = "${VM_IP[$v]}" ] || fail "$v leased $(lease_ip $v), not its fixed ${VM_IP[$v]}"
done
ping_ok vm1 10.1.0.1 || fail "vm1 -> its gateway: $(cat "$VXG_TMP/ping")"
ping_ok vm1 "$(lease_ip vm2)" || fail "vm1 -> vm2 across networks: $(cat "$VXG_TMP/ping")"
ping_ok vm3 "$(lease_ip vm2)" || fail "vm3 -> vm2 across networks: $(cat "$VXG_TMP/ping")"
vxg_port_is web ${VM_MAC[vm1]} 172.16.0.2 || fail "vm1 at $(vxg_port_at web ${VM_MAC[vm1]})"
vxg_port_is db ${VM_MAC[vm2]} 172.16.0.3 || fail "vm2 at $(vxg_port_at db ${VM_MAC[vm2]})"
vxg_ctl show fdb web | grep -i "^${VM_MAC[vm1]} .* evpn: 172.16.0.2 *static " >/dev/null ||
	fail "show fdb: $(vxg_ctl show fdb web)"
ok "VMs lease their fixed IPs from vxgate, ping their gateway and each other across networks; EVPN placed their ports"

# --- vm3 moves from hypervisor 2 to hypervisor 1.
vm_unplug vm3 2
vm vm3 1
ip -n $P-vm3 addr add "${VM_IP[vm3]}/24" dev $P-vm3-v
ip -n $P-vm3 route replace default via 10.1.0.1
t0=$(date +%s%N)
ip netns exec $P-vm3 ping -c 1 -W 1 10.1.0.1 >/dev/null 2>&1 || true
moved=""
for _ in $(seq 1 30); do
	if vxg_port_is web ${VM_MAC[vm3]} 172.16.0.2 && ping_ok vm2 "${VM_IP[vm3]}" 1; then
		moved=$((($(date +%s%N) - t0) / 1000000))
		break
	fi
	sleep 0.1
done
[ -n "$moved" ] && [ "$moved" -le 3000 ] ||
	fail "vm3 not reached at hypervisor 1 within 3 s: at $(vxg_port_at web ${VM_MAC[vm3]})"
ok "vm3 moved to hypervisor 1 is reached there after $moved ms (port security follows its VTEP)"
# Its port security holds at the new place: vm3's MAC from hypervisor 2 is a spoof.
s0=$(spoofed)
ip netns exec $P-hv2 python3 -c "
import socket; s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('br100', 0))
s.send(bytes.fromhex('ffffffffffff' + '${VM_MAC[vm3]}'.replace(':', '') + '0800') + bytes(46))"
wait_for 5 'no spoof_mac drop of vm3 from hypervisor 2: $(spoofed) (before $s0)' eval '[ "$(spoofed)" -gt "$s0" ]'
ok "vm3's MAC sent from hypervisor 2 after the move is dropped (spoof_mac)"
# Unplugged, it is withdrawn: its port is pending again.
vm_unplug vm3 1
wait_for 10 'vm3 not pending after its withdrawal: $(vxg_port_at web ${VM_MAC[vm3]})' \
	vxg_port_is web ${VM_MAC[vm3]} pending
ok "vm3 unplugged: the route is withdrawn and its port pending again"

# --- A network removed by reload is withdrawn from both hypervisors; re-added, it returns.
config 0
vxg_ctl reload >/dev/null || fail "reload without db: $(vxg_ctl reload)"
for n in 1 2; do
	wait_for 10 "hypervisor $n still floods VNI 200 to vxgate" eval "! hv_has_vtep $n 200"
done
hv_has_vtep 1 100 || fail "web withdrawn too"
ok "db removed by reload: both hypervisors withdraw vxgate from VNI 200, web stays"
config 1
vxg_ctl reload >/dev/null || fail "reload with db"
for n in 1 2; do
	wait_for 10 "hypervisor $n does not flood VNI 200 to vxgate again" hv_has_vtep $n 200
done
wait_for 10 'vm2 not placed after db came back: $(vxg_port_at db ${VM_MAC[vm2]})' \
	vxg_port_is db ${VM_MAC[vm2]} 172.16.0.3
ok "db re-added: both hypervisors flood VNI 200 to vxgate again, and EVPN places vm2 again"

# --- Hypervisor 2's FRR dies: its VTEP and MACs leave vxgate after the hold time, while
# hypervisor 1's VM keeps reaching its gateway.
ip netns exec $P-vm1 ping -i 0.1 -W 1 10.1.0.1 >"$VXG_TMP/ping-bg" 2>&1 &
PING=$!
frr_kill "$VXG_TMP/frr-2" KILL
wait_for 15 'hypervisor 2 still a VTEP of web after its FRR died: $(vxg_ctl show evpn vnis)' \
	vtep_count_is 100 1
wait_for 5 'vm2 still at $(vxg_port_at db ${VM_MAC[vm2]})' vxg_port_is db ${VM_MAC[vm2]} pending
ok "hypervisor 2's FRR killed: its VTEP leaves vxgate after the hold time, vm2's port is pending"
frr_start $P-hv2 "$VXG_TMP/frr-2" || fail "FRR of hypervisor 2 did not start again"
frr_bgp_established $P-hv2 "$VXG_TMP/frr-2" 172.16.0.1 30 ||
	fail "hypervisor 2: no session after its FRR restarted: $(frr_vtysh $P-hv2 "$VXG_TMP/frr-2" -c 'show bgp l2vpn evpn summary'; vxg_ctl show evpn)"
wait_for 45 'hypervisor 2 not back in web: $(vxg_ctl show evpn vnis; bridge -n $XNS fdb show dev vxv100)' vtep_count_is 100 2
kill -INT $PING
wait $PING || true
# One ping of the ~60 is sometimes lost while hypervisor 2 leaves and returns (not yet
# understood; see the notes): more than one fails.
sent=$(grep -o '^[0-9]* packets transmitted' "$VXG_TMP/ping-bg" | cut -d' ' -f1)
got=$(grep -o '[0-9]* received' "$VXG_TMP/ping-bg" | cut -d' ' -f1)
[ -n "$sent" ] && [ "$sent" -ge 20 ] && [ $((sent - got)) -le 1 ] ||
	fail "vm1's pings to its gateway: $got of $sent answered meanwhile: $(tail -3 "$VXG_TMP/ping-bg")"
ping_ok vm1 "$(lease_ip vm2)" || fail "vm1 -> vm2 after hypervisor 2 came back"
ok "restarted, hypervisor 2 returns; vm1 kept reaching its gateway all along ($got of $sent pings)"

# --- vxgate killed and started again: the fabric converges without touching the hypervisors.
kill -KILL "$VXG_PID"
wait "$VXG_PID" 2>/dev/null || true
VXG_PID=
vxg_start ev "$VXG_TMP/evpn.yaml"
for n in 1 2; do
	frr_bgp_established $P-hv$n "$VXG_TMP/frr-$n" 172.16.0.1 40 ||
		fail "hypervisor $n: no session after vxgate restarted: $(vxg_ctl show evpn)"
done
wait_for 30 'vxgate has not relearned both hypervisors: $(vxg_ctl show evpn vnis)' vtep_count_is 100 2
wait_for 15 "vm1 -> vm2 after vxgate restarted" ping_ok vm1 "$(lease_ip vm2)" 1
ok "vxgate killed and restarted: sessions, VTEPs and routing come back"
vxg_stop || fail "vxgate exit status"
echo "evpn netns test: all passed"
