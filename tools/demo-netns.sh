#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# `make run`, part two (root): vxgate between real Linux peers in network namespaces.
# A hypervisor runs the kernel's VXLAN (VNI 100, network web) with vm1 on it; vm3 sits
# on a tap in network db. Both get their addresses from vxgate's DHCP server (vm1's over
# VXLAN), then ping and traceroute each other across the VPC router. vm1's security
# group lets tcp/80 and ICMP in, not tcp/22: one connection passes, one is dropped.
# NAT: vxgate's external interface wan (a tap) leads to namespace vxd-inet, "the
# internet": its router 203.0.113.1 and a server 198.51.100.10 that tells each client
# the address it sees. vm3 (no floating IP) reaches it by SNAT as 203.0.113.10; vm1 has
# the floating IP 203.0.113.20, and the server reaches it there (vm1's group web lets
# tcp/80 and ICMP in, so that is what the server tries).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
VXG_TMP="$BUILD/demo-netns"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }
# check WANT CMD...: run CMD and show its output, which must contain WANT.
check() {
	local want=$1 out
	shift
	echo "\$ $*"
	out=$("$@" 2>&1 </dev/null) || true
	echo "$out"
	[[ $out == *"$want"* ]] || { echo "demo: expected '$want' there" >&2; exit 1; }
}
cleanup() {
	for ns in vxd-hv1 vxd-inet; do
		ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop >/dev/null 2>&1 || true
	ip netns del vxd-vm3 2>/dev/null || true
	ip netns del vxd-inet 2>/dev/null || true
	vxg_underlay_del vxd
}
trap cleanup EXIT
cleanup
rm -rf "$VXG_TMP"
mkdir -p "$VXG_TMP"

say "9. Real peers: a hypervisor with the kernel's VXLAN (vm1, web) and a VM on a tap (vm3, db)"
vxg_need_vxlan vxd
vxg_underlay vxd
vxg_hypervisor vxd 1 4789
# vm1 takes its IPv6 address by SLAAC from vxgate's Router Advertisements (the
# namespaces have IPv6 off elsewhere, so that only what the demo shows is sent).
ip netns exec vxd-hv1 sysctl -qw net.ipv6.conf.vxd-vx.disable_ipv6=0 \
	net.ipv6.conf.vxd-vx.accept_ra=2 net.ipv6.conf.vxd-vx.autoconf=1 \
	net.ipv6.conf.vxd-vx.accept_dad=0
ip -n vxd-hv1 link set vxd-vx address 02:00:0a:01:00:0b up
ip netns exec vxd-hv1 ethtool -K vxd-vx tx off >/dev/null 2>&1 || true
vxg_quiet_ns vxd-vm3
vxg_quiet_ns vxd-inet
cat >"$VXG_TMP/demo.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxd,iface=vxd-u0,qpairs=1", role: underlay,
     address: 172.16.0.1/24, mac: "02:00:ac:10:00:01"}
  - {name: local, device: "net_tap_vxd,iface=vxd-acc", role: access}
  - {name: wan, device: "net_tap_vxdw,iface=vxd-wan", role: external,
     address: 203.0.113.2/24, gateway: 203.0.113.1, mac: "02:00:cb:00:71:02"}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450,
         dhcp: {dns: [10.1.0.53], domain: example.internal},
         ipv6: {cidr: "2001:db8:1::/64", mode: slaac, dns: ["2001:db8:1::53"]}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1450,
         dhcp: {range: [10.2.0.100, 10.2.0.150]}, ipv6: {cidr: "2001:db8:2::/64"}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {vtep: 172.16.0.2},
         security_groups: [web]}
      - {name: vm3, network: db, mac: "02:00:0a:02:00:0d", location: {interface: local}}
    security_groups:
      - name: web
        rules:
          - {direction: ingress, protocol: tcp, ports: 80}
          - {direction: ingress, protocol: icmp}
          - {direction: ingress, protocol: icmpv6}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat: {snat: 203.0.113.10, floating_ips: [{ip: 203.0.113.20, port: vm1}]}
EOC
cat "$VXG_TMP/demo.yaml"
vxg_start demo-netns "$VXG_TMP/demo.yaml"
ip link set vxd-acc netns vxd-vm3
ip netns exec vxd-vm3 sysctl -qw net.ipv6.conf.vxd-acc.disable_ipv6=0 \
	net.ipv6.conf.vxd-acc.accept_ra=2 net.ipv6.conf.vxd-acc.autoconf=1 \
	net.ipv6.conf.vxd-acc.accept_dad=0
ip -n vxd-vm3 link set vxd-acc address 02:00:0a:02:00:0d up
# Checksums in software on the taps: NAT patches L4 checksums incrementally, and one the
# kernel left to "hardware" was never computed.
ip netns exec vxd-vm3 ethtool -K vxd-acc tx off >/dev/null 2>&1 || true
# The internet: the router's side of wan, and the server on its loopback.
ip link set vxd-wan netns vxd-inet
ip -n vxd-inet link set lo up
ip -n vxd-inet addr add 198.51.100.10/32 dev lo
ip -n vxd-inet link set vxd-wan address 02:00:cb:00:71:01 up
ip -n vxd-inet addr add 203.0.113.1/24 dev vxd-wan
ip netns exec vxd-inet ethtool -K vxd-wan tx off >/dev/null 2>&1 || true
cat >"$VXG_TMP/udhcpc.sh" <<'EOS'
#!/bin/sh
case "$1" in
deconfig) ip link set "$interface" up; ip -4 addr flush dev "$interface" ;;
bound|renew)
	ip addr replace "$ip/$mask" dev "$interface"
	ip route replace default via "${router%% *}" dev "$interface"
	[ -z "$mtu" ] || ip link set "$interface" mtu "$mtu"
	echo "udhcpc: $interface got $ip/$mask router $router dns $dns domain $domain mtu $mtu" ;;
esac
EOS
chmod +x "$VXG_TMP/udhcpc.sh"

say "10. vm1 asks for an address over VXLAN (busybox udhcpc): its port's fixed IP"
echo "(udhcpc's default options, as CirrOS runs it: it does not ask for the MTU, and vxgate"
echo " sends it anyway because it is below 1500, as Neutron does)"
check "mtu 1450" timeout 20 ip netns exec vxd-hv1 busybox udhcpc -f -q -n -t 5 -T 1 -i vxd-vx \
	-s "$VXG_TMP/udhcpc.sh"
check "mtu 1450" ip -n vxd-hv1 link show vxd-vx
say "11. vm3 on the tap: an address from db's range"
run timeout 20 ip netns exec vxd-vm3 busybox udhcpc -f -q -n -t 5 -T 1 -i vxd-acc \
	-s "$VXG_TMP/udhcpc.sh"
run "$VXCTL" -s "$VXG_SOCK" show dhcp leases
vm3=$(ip -n vxd-vm3 -4 -o addr show dev vxd-acc | awk '{print $4}' | cut -d/ -f1)
say "12. vm1 (web, behind VXLAN) pings vm3 (db, on the tap) across the router, and back"
run ip netns exec vxd-hv1 ping -c 3 -i 0.3 "$vm3"
run ip netns exec vxd-vm3 ping -c 3 -i 0.3 10.1.0.11
run ip netns exec vxd-hv1 traceroute -n -q 1 -w 1 -m 4 "$vm3"
say "12b. IPv6: both VMs took SLAAC addresses from vxgate's Router Advertisements"
echo "(EUI-64 of their MACs in their networks' /64; default route via the gateway's link-local)"
for _ in $(seq 1 50); do
	ip -n vxd-hv1 -6 addr show dev vxd-vx scope global | grep -q 2001:db8:1: &&
		ip -n vxd-vm3 -6 addr show dev vxd-acc scope global | grep -q 2001:db8:2: && break
	sleep 0.2
done
check "2001:db8:1::aff:fe01:b" ip -n vxd-hv1 -6 addr show dev vxd-vx scope global
check "fe80::76:78ff:fe00:64" ip -n vxd-hv1 -6 route show default
check "2001:db8:2::aff:fe02:d" ip -n vxd-vm3 -6 addr show dev vxd-acc scope global
run ip netns exec vxd-hv1 ping -6 -c 3 -i 0.3 2001:db8:2::aff:fe02:d
run ip netns exec vxd-vm3 ping -6 -c 3 -i 0.3 2001:db8:1::aff:fe01:b
run "$VXCTL" -s "$VXG_SOCK" show ra
say "13. Security groups: vm1's group web lets tcp/80 in; tcp/22 is dropped"
for port in 80 22; do
	ip netns exec vxd-hv1 socat TCP-LISTEN:$port,reuseaddr,fork \
		SYSTEM:"echo vm1 answers on tcp/$port" >/dev/null 2>&1 &
done
sleep 0.3
run ip netns exec vxd-vm3 socat -T 3 - TCP:10.1.0.11:80,connect-timeout=3 </dev/null
echo "\$ ip netns exec vxd-vm3 socat -T 3 - TCP:10.1.0.11:22,connect-timeout=3"
ip netns exec vxd-vm3 socat -T 3 - TCP:10.1.0.11:22,connect-timeout=3 </dev/null 2>&1 ||
	echo "(no answer: vxgate dropped the SYN and its retransmissions under sg_ingress_deny, the 'denied' count below)"
run "$VXCTL" -s "$VXG_SOCK" show security-groups vm1
run "$VXCTL" -s "$VXG_SOCK" show conntrack blue
"$VXCTL" -s "$VXG_SOCK" show stats | grep -E "sg_|ct_" || true
ip netns pids vxd-hv1 | xargs -r kill 2>/dev/null || true

say "14. SNAT: vm3 (no floating IP) reaches the internet server 198.51.100.10 as 203.0.113.10"
ip netns exec vxd-inet socat TCP-LISTEN:7000,bind=198.51.100.10,reuseaddr,fork \
	SYSTEM:'echo "internet server 198.51.100.10: you are \$SOCAT_PEERADDR port \$SOCAT_PEERPORT"' \
	>/dev/null 2>&1 &
ip netns exec vxd-hv1 socat TCP-LISTEN:80,reuseaddr,fork \
	SYSTEM:'echo "vm1 10.1.0.11 on tcp/80: you are \$SOCAT_PEERADDR"' >/dev/null 2>&1 &
sleep 0.3
check "you are 203.0.113.10 " ip netns exec vxd-vm3 socat -T 3 - TCP:198.51.100.10:7000,connect-timeout=3
run ip netns exec vxd-vm3 ping -c 3 -i 0.3 198.51.100.10
# the server's port unreachable, addressed to 203.0.113.10, is translated back to vm3
run ip netns exec vxd-vm3 traceroute -n -q 1 -w 1 -m 4 198.51.100.10

say "15. Floating IP: vm1 goes out as 203.0.113.20, and the internet reaches it there"
echo "(vm1's security group web lets tcp/80 and ICMP in: the server uses those; tcp/22 stays dropped)"
check "you are 203.0.113.20 " ip netns exec vxd-hv1 socat -T 3 - TCP:198.51.100.10:7000,connect-timeout=3
check "you are 198.51.100.10" \
	ip netns exec vxd-inet socat -T 3 - TCP:203.0.113.20:80,bind=198.51.100.10,connect-timeout=3
run ip netns exec vxd-inet ping -c 3 -i 0.3 -I 198.51.100.10 203.0.113.20
echo "\$ ip netns exec vxd-inet socat -T 3 - TCP:203.0.113.20:22,bind=198.51.100.10,connect-timeout=3"
ip netns exec vxd-inet socat -T 3 - TCP:203.0.113.20:22,bind=198.51.100.10,connect-timeout=3 </dev/null 2>&1 ||
	echo "(no answer: translated to vm1, then dropped by its group under sg_ingress_deny, as are its retransmissions)"
echo "\$ ip -n vxd-inet neigh show dev vxd-wan   # vxgate answers ARP for its NAT addresses"
ip -n vxd-inet neigh show dev vxd-wan

say "16. NAT state: the mappings, the SNAT sessions, the counters"
run "$VXCTL" -s "$VXG_SOCK" show nat
run "$VXCTL" -s "$VXG_SOCK" show nat sessions
"$VXCTL" -s "$VXG_SOCK" show stats | grep -E "nat_" || true
for ns in vxd-hv1 vxd-inet; do
	ip netns pids $ns | xargs -r kill 2>/dev/null || true
done

say "17. What vxgate saw"
run "$VXCTL" -s "$VXG_SOCK" show neighbours blue
run "$VXCTL" -s "$VXG_SOCK" show fdb
run "$VXCTL" -s "$VXG_SOCK" show router blue
run "$VXCTL" -s "$VXG_SOCK" show dhcp stats
run "$VXCTL" -s "$VXG_SOCK" shutdown
vxg_stop
echo "vxgate stopped cleanly"
