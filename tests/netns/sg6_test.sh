#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IPv6 security groups against real TCP over IPv6. VPC blue, one dual-stack network web
# (VNI 100, 10.1.0.0/24 and 2001:db8:1::/64). vm1 (group web) is the kernel vxlan device
# of hypervisor vx6-hv1; vm2 (group client: no ingress rule) sits on vxgate's net_tap
# access port (VTEPs do not switch between each other: split horizon); both have static
# IPv6 addresses. web lets tcp/80 in over IPv6 from anywhere, not tcp/22; vm1's
# replies to vm2 pass (stateful); ND between them passes. show security-groups lists the
# IPv6 rule with its hits and show conntrack the IPv6 connection.
# VXS_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vx6
command -v socat >/dev/null || { echo "SKIP: socat is not installed"; exit 77; }
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:01:00:0c
VM1=2001:db8:1::11 VM2=2001:db8:1::12
NS2=vx6-vm2
cleanup() {
	for ns in vx6-hv1 $NS2; do
		ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop || true
	ip netns del $NS2 2>/dev/null || true
	vxg_underlay_del vx6
	[ -n "${VXS_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-sg6-netns.XXXXXX)

vxg_quiet_ns $NS2
vxg_underlay vx6
vxg_hypervisor vx6 1 4789 static
# the hypervisor is quiet (no IPv6) but for its VM's device; no RS, no DAD
ip netns exec vx6-hv1 sysctl -qw net.ipv6.conf.vx6-vx.disable_ipv6=0 \
	net.ipv6.conf.vx6-vx.router_solicitations=0
ip -n vx6-hv1 link set vx6-vx address $VM1_MAC mtu 1450 up
ip -n vx6-hv1 addr add 10.1.0.11/24 dev vx6-vx
ip -n vx6-hv1 addr add $VM1/64 dev vx6-vx nodad
# Checksums in software (see l3_test.sh)
if command -v ethtool >/dev/null; then
	ip netns exec vx6-hv1 ethtool -K vx6-vx tx off >/dev/null
fi

cat >"$VXG_TMP/sg6.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, conntrack: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vx6,iface=vx6-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"},
     {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: local, device: "net_tap_vx6,iface=vx6-acc", role: access, mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450,
         flood: [172.16.0.2], ipv6: {cidr: "2001:db8:1::/64"}}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, ip6: "$VM1",
         location: {vtep: 172.16.0.2}, security_groups: [web]}
      - {name: vm2, network: web, mac: "$VM2_MAC", ip: 10.1.0.12, ip6: "$VM2",
         location: {interface: local}, security_groups: [client]}
    security_groups:
      - name: web
        rules:
          - {direction: ingress, ethertype: ipv6, protocol: tcp, ports: 80, remote: "::/0"}
      - {name: client}
EOC
vxg_start vx6 "$VXG_TMP/sg6.yaml"
ip link set vx6-acc netns $NS2
ip netns exec $NS2 sysctl -qw net.ipv6.conf.vx6-acc.disable_ipv6=0 \
	net.ipv6.conf.vx6-acc.router_solicitations=0
ip -n $NS2 link set vx6-acc address $VM2_MAC up
ip -n $NS2 addr add 10.1.0.12/24 dev vx6-acc
ip -n $NS2 addr add $VM2/64 dev vx6-acc nodad
ip netns exec $NS2 ethtool -K vx6-acc tx off >/dev/null 2>&1 || true

drops() { # REASON
	vxg_ctl -j show stats | vxg_json "sum(w['drops'].get('$1', 0) for w in d['workers'])"
}
serve() { # NS PORT
	ip netns exec "$1" socat -u "TCP6-LISTEN:$2,reuseaddr,fork" \
		"OPEN:$VXG_TMP/$1.$2,creat,append" >/dev/null 2>&1 &
}
serve vx6-hv1 80
serve vx6-hv1 22
serve $NS2 80
sleep 0.5
# tcp NS DST PORT WORD: connect over IPv6 and send WORD; succeeds when the server got it.
tcp() {
	echo "$4" | timeout 6 ip netns exec "$1" socat -u - "TCP6:[$2]:$3,connect-timeout=3" \
		>/dev/null 2>&1 || return 1
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -qx "$4" "$VXG_TMP"/*."$3" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# 1. tcp/80 in over IPv6 (the handshake's replies pass on the connection), tcp/22 not.
tcp $NS2 $VM1 80 from-vm2 ||
	fail "vm2 -> vm1 tcp/80 over IPv6 refused: $(vxg_ctl show stats; vxg_ctl show conntrack)"
ok "web's IPv6 tcp/80 is reachable from vm2, and vm1's replies come back"
before=$(drops sg_ingress_deny)
tcp $NS2 $VM1 22 ssh-vm2 && fail "vm2 -> vm1 tcp/22 over IPv6 went through"
after=$(drops sg_ingress_deny)
[ "$after" -gt "$before" ] || fail "tcp/22 refused but sg_ingress_deny did not move ($before)"
ok "IPv6 tcp/22 to vm1 is dropped (sg_ingress_deny $before -> $after)"
tcp vx6-hv1 $VM2 80 from-vm1 && fail "vm1 -> vm2 tcp/80 passed: client has no ingress rule"
ok "vm1 -> vm2 tcp/80 is dropped: client takes nothing in"

# 2. The shell: the IPv6 rule and its hits, the IPv6 connection.
sgs=$(vxg_ctl show security-groups vm1)
echo "$sgs" | grep -q "web ingress ipv6 tcp 80 remote ::/0 stateful hits [1-9]" ||
	fail "show security-groups vm1 lacks the IPv6 rule's hits: $sgs"
ct=$(vxg_ctl show conntrack blue)
echo "$ct" | grep -q "tcp \[$VM2\]:[0-9]* -> \[$VM1\]:80" ||
	fail "show conntrack lacks the IPv6 connection: $ct"
hits=$(vxg_ctl -j show security-groups vm1 | vxg_json \
	"[r['hits'] for p in d['ports'] for r in p['rules'] if r.get('ethertype') == 'ipv6'][0]")
ok "show security-groups: the IPv6 rule, hits $hits; show conntrack: the IPv6 connection"
