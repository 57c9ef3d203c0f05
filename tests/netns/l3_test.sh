#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The VPC router and DHCP server against real Linux clients. VPC blue has two networks,
# web (VNI 100) and db (VNI 200). vm1 is the kernel vxlan device (VNI 100) of hypervisor
# vxr-hv1 and runs busybox udhcpc; vm2 is the kernel vxlan device (VNI 200) of
# hypervisor vxr-hv2 and runs ISC dhclient; vm3 sits on vxgate's net_tap access port
# (network db, a declared port without an address) and takes a lease from db's range.
# Then: pings to the gateways and across the networks, traceroute through the router,
# ICMP time exceeded (ping -t 1), path MTU discovery (ICMP fragmentation needed, DF
# clear: vxgate fragments) and the router's event counters.
# VXR_KEEP=1 keeps the temporary directory (configs, client logs, lease files).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxr
for t in busybox dhclient traceroute ping; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
NS_VM3=vxr-vm3
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:02:00:0c VM3_MAC=02:00:0a:02:00:0d
cleanup() {
	local pid
	# dhclient backgrounds itself once bound: stop it by its pid file.
	if [ -n "${VXG_TMP:-}" ] && [ -s "$VXG_TMP/dhclient.pid" ]; then
		pid=$(cat "$VXG_TMP/dhclient.pid")
		kill "$pid" 2>/dev/null || true
	fi
	vxg_stop || true
	ip netns del $NS_VM3 2>/dev/null || true
	vxg_underlay_del vxr
	[ -n "${VXR_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-router-netns.XXXXXX)

# --- underlay: hv1 (172.16.0.2) holds vm1 on VNI 100, hv2 (172.16.0.3) vm2 on VNI 200.
vxg_quiet_ns $NS_VM3
vxg_underlay vxr
vxg_hypervisor vxr 1 4789 static
vxg_hypervisor vxr 2 4789 static
ip -n vxr-hv2 link del vxr-vx
ip -n vxr-hv2 link add vxr-vx type vxlan id 200 remote 172.16.0.1 local 172.16.0.3 \
	dstport 4789 dev vxr-h2
ip -n vxr-hv1 link set vxr-vx address $VM1_MAC up
ip -n vxr-hv2 link set vxr-vx address $VM2_MAC up
# The kernel leaves a locally sent TCP/UDP checksum to the "hardware" (CHECKSUM_PARTIAL)
# across the vxlan device and the veths, and net_af_packet hands vxgate the frame with
# the checksum field not filled in: vm2 would drop traceroute's UDP probes as corrupt.
# A real hypervisor's NIC fills it in; here the VMs compute it in software. Without
# ethtool, traceroute uses ICMP probes.
TR_MODE=-I
if command -v ethtool >/dev/null; then
	ip netns exec vxr-hv1 ethtool -K vxr-vx tx off >/dev/null
	ip netns exec vxr-hv2 ethtool -K vxr-vx tx off >/dev/null
	TR_MODE=-U
fi

cat >"$VXG_TMP/router.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxr,iface=vxr-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"},
     {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: local, device: "net_tap_vxr,iface=vxr-acc", role: access, mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450,
         dhcp: {dns: [10.1.0.53], domain: example.internal}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1450,
         dhcp: {range: [10.2.0.100, 10.2.0.150]}}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {vtep: 172.16.0.2}}
      - {name: vm2, network: db, mac: "$VM2_MAC", ip: 10.2.0.12, location: {vtep: 172.16.0.3}}
      - {name: vm3, network: db, mac: "$VM3_MAC", location: {interface: local}}
EOC
vxg_start vxr "$VXG_TMP/router.yaml"
ip link set vxr-acc netns $NS_VM3
ip -n $NS_VM3 link set vxr-acc address $VM3_MAC up

# --- DHCP clients. Their scripts apply the lease and write what they got to a file.
cat >"$VXG_TMP/udhcpc.sh" <<'EOS'
#!/bin/sh
case "$1" in
deconfig)
	ip link set "$interface" up
	ip -4 addr flush dev "$interface" ;;
bound|renew)
	ip addr replace "$ip/$mask" dev "$interface"
	[ -z "$router" ] || ip route replace default via "${router%% *}" dev "$interface"
	[ -z "$mtu" ] || [ "$VXR_APPLY_MTU" != 1 ] || ip link set "$interface" mtu "$mtu"
	printf 'ip=%s\nmask=%s\nrouter=%s\ndns=%s\ndomain=%s\nmtu=%s\nserverid=%s\n' \
		"$ip" "$mask" "$router" "$dns" "$domain" "$mtu" "$serverid" >"$VXR_OUT" ;;
esac
exit 0
EOS
# dhclient runs its script with a clean environment: the output file is written in.
cat >"$VXG_TMP/dhclient.sh" <<EOS
#!/bin/sh
VXR_OUT=$VXG_TMP/vm2.lease
EOS
cat >>"$VXG_TMP/dhclient.sh" <<'EOS'
case "$reason" in
PREINIT) ip link set "$interface" up ;;
BOUND|RENEW|REBIND|REBOOT)
	ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface"
	[ -z "$new_routers" ] || ip route replace default via "${new_routers%% *}" dev "$interface"
	printf 'ip=%s\nmask=%s\nrouter=%s\ndns=%s\nmtu=%s\n' "$new_ip_address" \
		"$new_subnet_mask" "$new_routers" "$new_domain_name_servers" \
		"$new_interface_mtu" >"$VXR_OUT" ;;
esac
exit 0
EOS
cat >"$VXG_TMP/dhclient.conf" <<'EOS'
timeout 15;
retry 1;
request subnet-mask, routers, interface-mtu, domain-name-servers, domain-name;
EOS
chmod +x "$VXG_TMP/udhcpc.sh" "$VXG_TMP/dhclient.sh"

lease_val() { # FILE KEY
	sed -n "s/^$2=//p" "$1" 2>/dev/null || true
}

# 1. vm1: busybox udhcpc, a port's fixed address with the network's options. udhcpc's
# default options, as CirrOS runs it: it does not ask for the MTU (option 26), which
# vxgate sends anyway since the network's 1450 is below 1500.
VXR_OUT=$VXG_TMP/vm1.lease VXR_APPLY_MTU=1 timeout 20 ip netns exec vxr-hv1 \
	busybox udhcpc -f -q -n -t 5 -T 1 -i vxr-vx -s "$VXG_TMP/udhcpc.sh" \
	>"$VXG_TMP/udhcpc1.log" 2>&1 ||
	fail "vm1: udhcpc got no lease: $(cat "$VXG_TMP/udhcpc1.log"); $(vxg_ctl show dhcp stats 2>&1)"
L=$VXG_TMP/vm1.lease
got="$(lease_val "$L" ip)/$(lease_val "$L" mask) router $(lease_val "$L" router) dns $(lease_val "$L" dns)"
got="$got domain $(lease_val "$L" domain) mtu $(lease_val "$L" mtu)"
want="10.1.0.11/24 router 10.1.0.1 dns 10.1.0.53 domain example.internal mtu 1450"
[ "$got" = "$want" ] || fail "vm1 lease: got '$got', want '$want'"
ip -n vxr-hv1 -4 addr show vxr-vx | grep -q "inet 10.1.0.11/24" || fail "vm1 address not applied"
mtu=$(ip netns exec vxr-hv1 cat /sys/class/net/vxr-vx/mtu)
[ "$mtu" = 1450 ] || fail "vm1 link MTU is $mtu"
ok "vm1 (udhcpc, default options) leases 10.1.0.11/24, router 10.1.0.1, DNS 10.1.0.53, domain example.internal, MTU 1450"

# 2. vm2: ISC dhclient, a port's fixed address in a network that also has a range.
timeout 25 ip netns exec vxr-hv2 dhclient -1 -4 \
	-cf "$VXG_TMP/dhclient.conf" -sf "$VXG_TMP/dhclient.sh" -pf "$VXG_TMP/dhclient.pid" \
	-lf "$VXG_TMP/dhclient.leases" vxr-vx >"$VXG_TMP/dhclient.log" 2>&1 ||
	fail "vm2: dhclient got no lease: $(cat "$VXG_TMP/dhclient.log"); $(vxg_ctl show dhcp stats 2>&1)"
L=$VXG_TMP/vm2.lease
got="$(lease_val "$L" ip) mask $(lease_val "$L" mask) router $(lease_val "$L" router)"
want="10.2.0.12 mask 255.255.255.0 router 10.2.0.1"
[ "$got" = "$want" ] || fail "vm2 lease: got '$got', want '$want'"
ip -n vxr-hv2 -4 addr show vxr-vx | grep -q "inet 10.2.0.12/24" || fail "vm2 address not applied"
ok "vm2 (dhclient) leases 10.2.0.12/24, router 10.2.0.1"

# 3. vm3: a port without an address takes one from db's range. Its link MTU stays the
# tap's 1500 (the lease's MTU is not applied) so that it can send packets bigger than
# the networks' 1450 for the path MTU checks below.
VXR_OUT=$VXG_TMP/vm3.lease VXR_APPLY_MTU=0 timeout 20 ip netns exec $NS_VM3 \
	busybox udhcpc -f -q -n -t 5 -T 1 -i vxr-acc -s "$VXG_TMP/udhcpc.sh" \
	-O router -O mtu >"$VXG_TMP/udhcpc3.log" 2>&1 ||
	fail "vm3: udhcpc got no lease: $(cat "$VXG_TMP/udhcpc3.log"); $(vxg_ctl show dhcp stats 2>&1)"
VM3_IP=$(lease_val "$VXG_TMP/vm3.lease" ip)
L=$VXG_TMP/vm3.lease
case "$VM3_IP" in
10.2.0.1[0-4][0-9] | 10.2.0.150) ;;
*) fail "vm3 leased '$VM3_IP', not in 10.2.0.100-10.2.0.150" ;;
esac
[ "$(lease_val "$L" router) $(lease_val "$L" mask) $(lease_val "$L" mtu)" = "10.2.0.1 24 1450" ] ||
	fail "vm3 lease: $(cat "$L")"
ok "vm3 (udhcpc, port without an address) leases $VM3_IP from the range, router 10.2.0.1"
if vxg_ctl help 2>&1 | grep -q "show dhcp"; then
	leases=$(vxg_ctl show dhcp leases 2>&1)
	echo "$leases" | grep -i "$VM3_MAC" | grep -q "$VM3_IP" ||
		fail "show dhcp leases does not list $VM3_MAC at $VM3_IP: $leases"
	ok "show dhcp leases lists vm3's lease ($VM3_MAC $VM3_IP)"
else
	echo "# skip: show dhcp leases: vxgate-ctl has no 'show dhcp' command"
fi

# 4. Pings: each VM to its gateway, then across the networks, both ways.
vping() { # NS DST [what]
	timeout 10 ip netns exec "$1" ping -c 3 -i 0.2 -W 2 "$2" >"$VXG_TMP/ping" 2>&1 ||
		fail "$1 -> $2 ping: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
}
vping vxr-hv1 10.1.0.1
vping vxr-hv2 10.2.0.1
vping $NS_VM3 10.2.0.1
ok "each VM pings its gateway"
vping vxr-hv1 10.2.0.12
vping vxr-hv1 "$VM3_IP"
vping vxr-hv2 10.1.0.11
vping $NS_VM3 10.1.0.11
ok "vm1 pings vm2 and vm3 across networks (routed), and they ping back"

# 5. traceroute vm1 -> vm2: the router is hop 1, vm2 hop 2.
timeout 20 ip netns exec vxr-hv1 traceroute $TR_MODE -n -q 1 -w 1 -m 5 10.2.0.12 >"$VXG_TMP/tr" 2>&1 ||
	fail "traceroute: $(cat "$VXG_TMP/tr")"
hops=$(awk '$1 ~ /^[0-9]+$/ {printf "%s:%s ", $1, $2}' "$VXG_TMP/tr")
[ "$hops" = "1:10.1.0.1 2:10.2.0.12 " ] || fail "traceroute hops '$hops': $(cat "$VXG_TMP/tr")"
ok "traceroute $TR_MODE vm1 -> vm2: hop 1 10.1.0.1, hop 2 10.2.0.12"

# 6. TTL 1 across the router: ICMP time exceeded from the gateway.
timeout 10 ip netns exec vxr-hv1 ping -c 1 -t 1 -W 2 10.2.0.12 >"$VXG_TMP/ttl" 2>&1 || true
grep -q "From 10.1.0.1 .*Time to live exceeded" "$VXG_TMP/ttl" ||
	fail "ping -t 1 vm1 -> vm2: $(cat "$VXG_TMP/ttl")"
ok "ping -t 1 vm1 -> vm2 draws 'Time to live exceeded' from 10.1.0.1"

# 7. Path MTU: vm3 (link MTU 1500) to vm1 (network web, MTU 1450), 1488-byte packets.
# First without DF, before vm3 has learnt the path MTU: vxgate fragments. Then with DF:
# fragmentation needed (mtu 1450) from the router, and tracepath finds pmtu 1450.
timeout 10 ip netns exec $NS_VM3 ping -c 2 -i 0.3 -W 2 -M dont -s 1460 10.1.0.11 \
	>"$VXG_TMP/big" 2>&1 || fail "ping -M dont -s 1460 vm3 -> vm1: $(cat "$VXG_TMP/big"); $(vxg_ctl show stats)"
ok "vm3 -> vm1 1488-byte ping without DF succeeds (vxgate fragments to the web MTU 1450)"
timeout 10 ip netns exec $NS_VM3 ping -c 2 -i 0.3 -W 2 -M "do" -s 1460 10.1.0.11 \
	>"$VXG_TMP/df" 2>&1 || true
grep -qE "From 10.2.0.1 .*Frag needed.*mtu = 1450" "$VXG_TMP/df" ||
	fail "ping -M do -s 1460 vm3 -> vm1: $(cat "$VXG_TMP/df")"
ok "vm3 -> vm1 1488-byte DF ping draws 'Frag needed (mtu = 1450)' from 10.2.0.1"
if command -v tracepath >/dev/null; then
	ip -n $NS_VM3 route flush cache
	timeout 15 ip netns exec $NS_VM3 tracepath -n -m 5 10.1.0.11 >"$VXG_TMP/tp" 2>&1 || true
	grep -q "pmtu 1450" "$VXG_TMP/tp" || fail "tracepath vm3 -> vm1: $(cat "$VXG_TMP/tp")"
	ok "tracepath vm3 -> vm1 reports pmtu 1450"
else
	echo "# skip: tracepath (package iputils-tracepath) is not installed"
fi

# 8. The router's counters.
stats=$(vxg_ctl -j show stats)
ev() {
	echo "$stats" | vxg_json "sum(w.get('events', {}).get('$1', 0) for w in d['workers'])"
}
routed=$(ev routed) te=$(ev icmp_time_exceeded) fn=$(ev icmp_frag_needed) fr=$(ev fragmented)
{ [ "$routed" -gt 0 ] && [ "$te" -ge 1 ] && [ "$fn" -ge 1 ] && [ "$fr" -ge 2 ]; } ||
	fail "show stats: routed $routed, icmp_time_exceeded $te, icmp_frag_needed $fn, fragmented $fr: $stats"
ok "show stats: routed $routed, icmp_time_exceeded $te, icmp_frag_needed $fn, fragmented $fr"

vxg_stop || fail "vxgate exit status"
echo "router netns test: all passed"
