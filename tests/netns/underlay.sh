# SPDX-License-Identifier: BSD-3-Clause
# The underlay the VXLAN tests share, sourced after tools/vxg-lib.sh. With prefix P:
# a switch namespace P-sw (bridge br0), vxgate's af_packet port on veth P-u0 plugged
# into it, and "hypervisor" namespaces P-hvN at 172.16.0.(N+1), MAC 02:00:ac:10:00:0(N+1),
# each with a kernel vxlan device P-vx (VNI 100) towards vxgate at 172.16.0.1.

# Skip (77) when the kernel has no vxlan driver.
vxg_need_vxlan() {
	if ! ip link add "$1-probe" type vxlan id 1 dstport 4789 2>/dev/null; then
		echo "SKIP: the kernel has no vxlan driver"
		exit 77
	fi
	ip link del "$1-probe"
}

# A namespace without IPv6 chatter: the tests count frames.
vxg_quiet_ns() {
	ip netns add "$1"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
}

vxg_underlay() {
	local p=$1
	vxg_quiet_ns "$p-sw"
	ip -n "$p-sw" link add br0 type bridge
	ip -n "$p-sw" link set br0 up
	ip link add "$p-u0" type veth peer name "$p-s0"
	ip link set "$p-s0" netns "$p-sw"
	ip -n "$p-sw" link set "$p-s0" master br0 up
	ip link set "$p-u0" up
	sysctl -qw "net.ipv6.conf.$p-u0.disable_ipv6=1" || true
}

# vxg_hypervisor P N PORT [static]: with `static`, a permanent ARP entry for vxgate's
# underlay address (02:00:ac:10:00:01); without, the kernel must ARP for it.
vxg_hypervisor() {
	local p=$1 n=$2 port=$3 ns=$1-hv$2 ip=172.16.0.$(($2 + 1))
	vxg_quiet_ns "$ns"
	ip link add "$p-h$n" type veth peer name "$p-s$n"
	ip link set "$p-h$n" netns "$ns"
	ip link set "$p-s$n" netns "$p-sw"
	ip -n "$p-sw" link set "$p-s$n" master br0 up
	ip -n "$ns" link set "$p-h$n" address "02:00:ac:10:00:0$((n + 1))" up
	ip -n "$ns" addr add "$ip/24" dev "$p-h$n"
	if [ "${4:-}" = static ]; then
		ip -n "$ns" neigh add 172.16.0.1 lladdr 02:00:ac:10:00:01 dev "$p-h$n" nud permanent
	fi
	ip -n "$ns" link add "$p-vx" type vxlan id 100 remote 172.16.0.1 local "$ip" \
		dstport "$port" dev "$p-h$n"
}

vxg_underlay_del() {
	local p=$1 ns
	for ns in "$p-sw" "$p-hv1" "$p-hv2"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	ip link del "$p-u0" 2>/dev/null || true
}
