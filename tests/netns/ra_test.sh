#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# SLAAC from vxgate's Router Advertisements, by the Linux kernel. vm1 is the kernel vxlan
# device (VNI 100) of hypervisor vxra-hv1, moved into a VM namespace of its own with IPv6
# on (accept_ra=2, autoconf=1). Network web is dual-stack, mode slaac, MTU 1400, with DNS
# servers and a domain. The kernel's Router Solicitation is answered; vm1 gets:
#  - its SLAAC address, EUI-64 of its MAC in 2001:db8:1::/64, and a default route via the
#    gateway's link-local address;
#  - its IPv6 MTU (/proc/sys/net/ipv6/conf/IF/mtu) from the RA's MTU option: 1400;
#  - RDNSS and DNSSL, as rdisc6 (ndisc6) prints them, with the M/O flags and router
#    lifetime.
# show ra counts the solicitations and the RAs sent.
# VXRA_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxra
for t in rdisc6 ping; do
	command -v $t >/dev/null ||
		{ echo "SKIP: $t is not installed (tools/install-deps.sh installs it)"; exit 77; }
done
VM=vxra-vm1
VM1_MAC=02:00:0a:01:00:0b
cleanup() {
	vxg_stop || true
	ip netns del $VM 2>/dev/null || true
	vxg_underlay_del vxra
	[ -n "${VXRA_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-ra-netns.XXXXXX)

# --- underlay: hv1 (172.16.0.2) holds vm1's VXLAN device (VNI 100); vm1 lives in $VM.
vxg_underlay vxra
vxg_hypervisor vxra 1 4789 static
ip netns add $VM
ip -n vxra-hv1 link set vxra-vx netns $VM # its tunnel stays in hv1's underlay
ip netns exec $VM sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
	net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.vxra-vx.accept_ra=2 \
	net.ipv6.conf.vxra-vx.autoconf=1 net.ipv6.conf.vxra-vx.addr_gen_mode=0 \
	net.ipv6.conf.vxra-vx.use_tempaddr=0
ip -n $VM link set vxra-vx address $VM1_MAC

cat >"$VXG_TMP/ra.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxra,iface=vxra-u0,qpairs=$VXG_QPAIRS", role: underlay,
     address: 172.16.0.1/24, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1400, flood: [172.16.0.2],
         ipv6: {cidr: "2001:db8:1::/64", mode: slaac, dns: ["2001:db8::53", "2001:db8::54"],
                domain: blue.example, ra_interval: 30}}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", location: {vtep: 172.16.0.2}}
EOC
vxg_start vxra "$VXG_TMP/ra.yaml"
ip -n $VM link set vxra-vx up # the kernel solicits once its link-local address is up

# 1. The SLAAC address and the default route.
SLAAC=2001:db8:1::aff:fe01:b
GW_LL=fe80::76:78ff:fe00:64
for _ in $(seq 1 150); do
	ip -n $VM -6 addr show dev vxra-vx scope global | grep -q "inet6 $SLAAC/64 .*dynamic" &&
		! ip -n $VM -6 addr show dev vxra-vx | grep -q tentative && break
	sleep 0.1
done
ip -n $VM -6 addr show dev vxra-vx scope global | grep -q "inet6 $SLAAC/64 .*dynamic" ||
	fail "vm1 has no SLAAC address: $(ip -n $VM -6 addr show dev vxra-vx); $(vxg_ctl show ra)"
ip -n $VM -6 route show default | grep -q "via $GW_LL dev vxra-vx proto ra" ||
	fail "vm1 default route: $(ip -n $VM -6 route show)"
ok "vm1 configured $SLAAC/64 (EUI-64 of $VM1_MAC) and a default route via $GW_LL from the RA"

# 2. The IPv6 MTU from the RA's MTU option (the link's stays the vxlan device's 1450).
mtu6=$(ip netns exec $VM cat /proc/sys/net/ipv6/conf/vxra-vx/mtu)
[ "$mtu6" = 1400 ] || fail "vm1 IPv6 MTU is $mtu6, want 1400 from the RA"
ok "vm1's IPv6 MTU is 1400, from the RA's MTU option"

# 3. rdisc6: a solicitation of its own, and the RA's fields as it prints them.
timeout 10 ip netns exec $VM rdisc6 -1 -w 1500 vxra-vx >"$VXG_TMP/rdisc6" 2>&1 ||
	fail "rdisc6: $(cat "$VXG_TMP/rdisc6"); $(vxg_ctl show ra)"
for want in "Stateful address conf\\.  *: *No" "Stateful other conf\\.  *: *No" \
	"Router lifetime  *: *90 " "MTU  *: *1400 bytes" "Prefix  *: *2001:db8:1::/64" \
	"Recursive DNS server  *: *2001:db8::53" "Recursive DNS server  *: *2001:db8::54" \
	"DNS search list  *: *blue\\.example" "from $GW_LL"; do
	grep -q "$want" "$VXG_TMP/rdisc6" || fail "rdisc6 lacks '$want': $(cat "$VXG_TMP/rdisc6")"
done
ok "rdisc6: M and O off, router lifetime 90 s, MTU 1400, the prefix, RDNSS 2001:db8::53 and ::54, DNSSL blue.example, from the gateway's link-local address"

# 4. The counters.
vxg_ctl -j show ra >"$VXG_TMP/ra.json"
got=$(vxg_json 'd["networks"][0]["rs_received"] >= 2 and d["networks"][0]["sent"]["solicited_unicast"] + d["networks"][0]["sent"]["solicited_multicast"] >= 1 and d["networks"][0]["sent"]["periodic"] >= 1' <"$VXG_TMP/ra.json")
[ "$got" = True ] || fail "show ra: $(cat "$VXG_TMP/ra.json")"
ok "show ra: $(vxg_ctl show ra | sed -n 2p)"
echo "ra netns test: all passed"
