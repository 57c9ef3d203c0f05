#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The DHCPv6 server against ISC dhclient -6. vm2 is the kernel vxlan device (VNI 200) of
# hypervisor vxd6-hv1, moved into a VM namespace of its own with IPv6 on. Network db is
# dual-stack, mode dhcpv6-stateful; vm2 is declared with the fixed address 2001:db8:2::22.
#  1. dhclient -6 -1 gets 2001:db8:2::22 with the network's DNS server and domain;
#  2. vxgate restarts on the same state directory; a second dhclient run (a lease file of
#     its own) gets the same address from a server with the same DUID, as both lease
#     files say; show dhcp6 leases lists who holds the address.
# VXD6_KEEP=1 keeps the temporary directory (configs, dhclient logs and lease files).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxd6
command -v dhclient >/dev/null ||
	{ echo "SKIP: dhclient is not installed (tools/install-deps.sh installs it)"; exit 77; }
VM=vxd6-vm2
VM2_MAC=02:00:0a:02:00:0c
stop_dhclient() { # N: the run's dhclient, which went to the background once bound
	if [ -s "$VXG_TMP/dhclient$1.pid" ]; then
		kill "$(cat "$VXG_TMP/dhclient$1.pid")" 2>/dev/null || true
		rm -f "$VXG_TMP/dhclient$1.pid"
	fi
}
cleanup() {
	if [ -n "${VXG_TMP:-}" ]; then
		stop_dhclient 1
		stop_dhclient 2
	fi
	vxg_stop || true
	ip netns del $VM 2>/dev/null || true
	vxg_underlay_del vxd6
	[ -n "${VXD6_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-dhcp6-netns.XXXXXX)
VXG_STATE=$VXG_TMP/state # both runs of vxgate

# --- underlay: hv1 (172.16.0.2) holds vm2's VXLAN device (VNI 200); vm2 lives in $VM.
vxg_underlay vxd6
vxg_hypervisor vxd6 1 4789 static
ip -n vxd6-hv1 link del vxd6-vx
ip -n vxd6-hv1 link add vxd6-vx type vxlan id 200 remote 172.16.0.1 local 172.16.0.2 \
	dstport 4789 dev vxd6-h1
ip netns add $VM
ip -n vxd6-hv1 link set vxd6-vx netns $VM # its tunnel stays in hv1's underlay
ip netns exec $VM sysctl -qw net.ipv6.conf.all.disable_ipv6=0 \
	net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.vxd6-vx.accept_ra=2
# UDP checksums: the kernel leaves them to the "hardware" across vxlan and veth, and
# af_packet hands vxgate the frame without; a real NIC fills them in, here the VM does.
if command -v ethtool >/dev/null; then
	ip netns exec $VM ethtool -K vxd6-vx tx off >/dev/null
fi
ip -n $VM link set vxd6-vx address $VM2_MAC up

cat >"$VXG_TMP/dhcp6.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxd6,iface=vxd6-u0,qpairs=$VXG_QPAIRS", role: underlay,
     address: 172.16.0.1/24, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, flood: [172.16.0.2],
         ipv6: {cidr: "2001:db8:2::/64", mode: dhcpv6-stateful, dns: ["2001:db8::53"],
                domain: db.example, range: ["2001:db8:2::100", "2001:db8:2::1ff"]}}
    ports:
      - {name: vm2, network: db, mac: "$VM2_MAC", ip6: "2001:db8:2::22",
         location: {vtep: 172.16.0.2}}
EOC
# dhclient runs its script with a clean environment: the output file is written in.
cat >"$VXG_TMP/dhclient.sh" <<EOS
#!/bin/sh
OUT=$VXG_TMP/vm2.lease
EOS
cat >>"$VXG_TMP/dhclient.sh" <<'EOS'
case "$reason" in
BOUND6|RENEW6|REBIND6|REBOOT6)
	ip -6 addr replace "$new_ip6_address/128" dev "$interface"
	printf 'ip=%s\ndns=%s\ndomain=%s\n' "$new_ip6_address" "$new_dhcp6_name_servers" \
		"$new_dhcp6_domain_search" >"$OUT.$reason" ;;
esac
exit 0
EOS
chmod +x "$VXG_TMP/dhclient.sh"

# A link-local address past DAD: dhclient -6 needs one to send from.
for _ in $(seq 1 50); do
	ip -n $VM -6 addr show dev vxd6-vx scope link | grep -q "inet6 fe80" &&
		! ip -n $VM -6 addr show dev vxd6-vx | grep -q tentative && break
	sleep 0.1
done

dhclient6() { # N: one dhclient -6 run with its own lease and pid files
	timeout 30 ip netns exec $VM dhclient -6 -1 -v -sf "$VXG_TMP/dhclient.sh" \
		-pf "$VXG_TMP/dhclient$1.pid" -lf "$VXG_TMP/dhclient$1.leases" vxd6-vx \
		>"$VXG_TMP/dhclient$1.log" 2>&1 ||
		fail "dhclient run $1: $(cat "$VXG_TMP/dhclient$1.log"); $(vxg_ctl show dhcp6 stats 2>&1)"
	stop_dhclient "$1"
}
server_id() { # N: the server DUID the run's lease file holds
	sed -n 's/^ *option dhcp6.server-id \(.*\);$/\1/p' "$VXG_TMP/dhclient$1.leases" | tail -1
}

# 1. The fixed address, the DNS server and domain.
vxg_start vxd6 "$VXG_TMP/dhcp6.yaml"
dhclient6 1
got=$(cat "$VXG_TMP/vm2.lease.BOUND6")
want="ip=2001:db8:2::22
dns=2001:db8::53
domain=db.example."
[ "$got" = "$want" ] || fail "vm2's lease: got '$got', want '$want'"
grep -q "iaaddr 2001:db8:2::22 " "$VXG_TMP/dhclient1.leases" ||
	fail "lease file: $(cat "$VXG_TMP/dhclient1.leases")"
ip -n $VM -6 addr show dev vxd6-vx | grep -q "inet6 2001:db8:2::22/128" ||
	fail "vm2 address not applied: $(ip -n $VM -6 addr show dev vxd6-vx)"
duid1=$(server_id 1)
[ -n "$duid1" ] || fail "no server DUID in the lease file: $(cat "$VXG_TMP/dhclient1.leases")"
ok "vm2 (dhclient -6) got its fixed address 2001:db8:2::22, DNS 2001:db8::53, domain db.example, from server $duid1"

# 2. A restart: the same address from the same server DUID.
vxg_stop || fail "vxgate did not stop cleanly"
rm -f "$VXG_TMP/vm2.lease.BOUND6"
vxg_start vxd6 "$VXG_TMP/dhcp6.yaml"
dhclient6 2
grep -q "^ip=2001:db8:2::22$" "$VXG_TMP/vm2.lease.BOUND6" ||
	fail "second run: $(cat "$VXG_TMP/vm2.lease.BOUND6")"
[ "$(server_id 2)" = "$duid1" ] || fail "server DUID changed across the restart: $(server_id 2), was $duid1"
ok "after a restart, a second dhclient run got 2001:db8:2::22 from the same server DUID"
leases=$(vxg_ctl show dhcp6 leases)
echo "$leases" | grep -q "^blue/db  *2001:db8:2::22  *fixed " ||
	fail "show dhcp6 leases: $leases"
ok "show dhcp6 leases: $leases"
echo "dhcp6 netns test: all passed"
