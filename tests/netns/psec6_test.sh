#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Port security for IPv6 against real Linux peers. Two VMs share the dual-stack network
# web (VNI 100, 2001:db8:1::/64, dhcpv6-stateful: vxgate's own RAs give no SLAAC address
# besides the fixed ones) with port security and fixed IPv6 addresses: vm1 is the
# kernel vxlan device of hypervisor vp6-hv1, vm2 (namespace vp6-vm2) sits on vxgate's
# net_tap access port (a frame from a VTEP is not flooded to another VTEP, so multicast
# between two hypervisors would never meet port security). What a VM may send
# passes: ping6 between their fixed addresses (Neighbour Discovery included) and between
# their link-local addresses. What it may not is dropped and counted: vm1 pinging from an
# extra address it gave itself (nodad), under psec_ip6_src; Debian's radvd in vm1
# announcing a rogue prefix, under psec_ra_guard, and vm2 (accept_ra=2) never gets an
# address in that prefix. VP6_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vp6
for t in ping radvd; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
if [ ! -e /proc/sys/net/ipv6 ]; then
	echo "SKIP: the kernel has no IPv6"
	exit 77
fi
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:01:00:0c
VM1_IP6=2001:db8:1::11 VM2_IP6=2001:db8:1::12 SPOOF=2001:db8:1::99 ROGUE=2001:db8:bad:
VM1_LL=fe80::aff:fe01:b VM2_LL=fe80::aff:fe01:c
NS2=vp6-vm2
cleanup() {
	for ns in vp6-hv1 $NS2; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop || true
	ip netns del $NS2 2>/dev/null || true
	vxg_underlay_del vp6
	[ -n "${VP6_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-psec6-netns.XXXXXX)

vxg_underlay vp6
vxg_hypervisor vp6 1 4789 static
vxg_quiet_ns $NS2
# vm NS DEV N MAC IP6: IPv6 on the VM's device only (the underlay stays quiet), no DAD to
# wait for; Router Advertisements taken as a host takes them (accept_ra=2: even if
# forwarding).
vm() {
	local ns=$1 dev=$2
	ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=0" \
		"net.ipv6.conf.$dev.accept_dad=0" "net.ipv6.conf.$dev.accept_ra=2" \
		"net.ipv6.conf.$dev.autoconf=1"
	ip -n "$ns" link set "$dev" address "$4" mtu 1450 up
	ip -n "$ns" addr add "10.1.0.1$3/24" dev "$dev"
	ip -n "$ns" -6 addr add "$5/64" dev "$dev" nodad
	# Checksums in software (see l3_test.sh).
	ip netns exec "$ns" ethtool -K "$dev" tx off >/dev/null 2>&1 || true
}
vm vp6-hv1 vp6-vx 1 $VM1_MAC $VM1_IP6

cat >"$VXG_TMP/psec6.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vp6,iface=vp6-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"},
     {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: local, device: "net_tap_vp6,iface=vp6-acc", role: access, mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450,
         flood: [172.16.0.2],
         ipv6: {cidr: "2001:db8:1::/64", mode: dhcpv6-stateful}}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, ip6: "$VM1_IP6",
         location: {vtep: 172.16.0.2}}
      - {name: vm2, network: web, mac: "$VM2_MAC", ip: 10.1.0.12, ip6: "$VM2_IP6",
         location: {interface: local}}
EOC
vxg_start vp6 "$VXG_TMP/psec6.yaml"
ip link set vp6-acc netns $NS2
vm $NS2 vp6-acc 2 $VM2_MAC $VM2_IP6

drops() { # REASON
	vxg_ctl -j show stats | vxg_json "sum(w['drops'].get('$1', 0) for w in d['workers'])"
}
p6() { # NS DST [ping args]
	local ns=$1 dst=$2
	shift 2
	timeout 10 ip netns exec "$ns" ping -6 -c 3 -i 0.2 -W 2 "$@" "$dst" >"$VXG_TMP/ping" 2>&1
}

# 1. What a VM may send: its fixed address (ND resolves through vxgate), its link-local.
p6 vp6-hv1 $VM2_IP6 || fail "ping6 $VM1_IP6 -> $VM2_IP6: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
p6 $NS2 $VM1_IP6 || fail "ping6 $VM2_IP6 -> $VM1_IP6: $(cat "$VXG_TMP/ping")"
ok "ping6 between the VMs' fixed addresses, Neighbour Discovery included"
p6 vp6-hv1 "$VM2_LL%vp6-vx" || fail "link-local ping6: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
p6 $NS2 "$VM1_LL%vp6-acc" || fail "link-local ping6 back: $(cat "$VXG_TMP/ping")"
ok "ping6 between the VMs' link-local addresses"
for r in psec_ip6_src psec_ra_guard psec_nd_target psec_nd_lladdr psec_ip6_header; do
	[ "$(drops $r)" = 0 ] || fail "$r dropped a legitimate frame: $(vxg_ctl show stats)"
done

# 2. A source the VM gave itself: every echo request dropped and counted.
before=$(drops psec_ip6_src)
ip -n vp6-hv1 -6 addr add $SPOOF/64 dev vp6-vx nodad
if p6 vp6-hv1 $VM2_IP6 -I $SPOOF; then
	fail "ping6 from the spoofed $SPOOF got through: $(cat "$VXG_TMP/ping")"
fi
after=$(drops psec_ip6_src)
[ $((after - before)) -ge 3 ] || fail "psec_ip6_src counted $((after - before)), not >= 3"
p6 vp6-hv1 $VM2_IP6 -I $VM1_IP6 || fail "vm1's own address no longer passes: $(cat "$VXG_TMP/ping")"
ip -n vp6-hv1 -6 addr del $SPOOF/64 dev vp6-vx
ok "a spoofed IPv6 source is dropped ($((after - before)) under psec_ip6_src), the port's own still passes"

# 3. radvd in vm1 announcing a rogue prefix: dropped, and vm2 never takes it.
cat >"$VXG_TMP/radvd.conf" <<EOC
interface vp6-vx {
	AdvSendAdvert on;
	MinRtrAdvInterval 3;
	MaxRtrAdvInterval 4;
	prefix $ROGUE:/64 { AdvOnLink on; AdvAutonomous on; };
};
EOC
ip netns exec vp6-hv1 sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec vp6-hv1 radvd -n -C "$VXG_TMP/radvd.conf" -p "$VXG_TMP/radvd.pid" -m logfile \
	-l "$VXG_TMP/radvd.log" &
RADVD_PID=$!
# vm2 asks as a host does on link up; radvd answers, and sends its own every 3-4 s.
ip -n $NS2 link set vp6-acc down
ip -n $NS2 link set vp6-acc up
ip -n $NS2 -6 addr add $VM2_IP6/64 dev vp6-acc nodad 2>/dev/null || true
sleep 6
kill -0 $RADVD_PID 2>/dev/null || fail "radvd did not run: $(cat "$VXG_TMP/radvd.log" 2>/dev/null)"
if ip -n $NS2 -6 addr show dev vp6-acc | grep -q "$ROGUE"; then
	fail "vm2 took the rogue prefix: $(ip -n $NS2 -6 addr show dev vp6-acc)"
fi
if ip -n $NS2 -6 route show | grep -q "$ROGUE\|via $VM1_LL"; then
	fail "vm2 took a route from the rogue RA: $(ip -n $NS2 -6 route show)"
fi
ra=$(drops psec_ra_guard)
[ "$ra" -ge 2 ] || fail "psec_ra_guard counted $ra, not >= 2: $(cat "$VXG_TMP/radvd.log"); $(vxg_ctl show stats)"
kill $RADVD_PID 2>/dev/null || true
ok "radvd's rogue RAs are dropped ($ra under psec_ra_guard); vm2 has no address in ${ROGUE}:/64"
p6 $NS2 $VM1_IP6 || fail "ping6 after the RAs: $(cat "$VXG_TMP/ping")"
ok "the VMs still ping each other"
