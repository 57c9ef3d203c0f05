#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Floating IPs and router SNAT against real peers. VPC blue, network web (VNI 100):
# vm1 (10.1.0.11, floating IP 203.0.113.20) is the kernel vxlan device of hypervisor
# vxt-hv1; vm3 (10.1.0.13, no floating IP: SNAT to 203.0.113.10) sits on vxgate's
# net_tap access port. vxgate's external interface wan (203.0.113.2/24, a net_tap) is in
# namespace vxt-inet, the upstream router (203.0.113.1, forwarding); behind it, namespace
# vxt-srv is "the internet": a server at 198.51.100.10 whose listeners echo the address
# they see the client at. Neither vxt-inet nor vxt-srv has a route to 10.1.0.0/24, so
# only translated traffic gets an answer.
#   1. vm3 reaches the server by TCP, UDP and ping, seen from 203.0.113.10
#   2. vm1 goes out as 203.0.113.20 (same port), and the server reaches it there
#   3. hairpin: vm3 reaches vm1 through 203.0.113.20, seen from 203.0.113.10; vm3 and vm1
#      ping the SNAT address 203.0.113.10 and get the reply from it
#   4. the router resolves 203.0.113.10 and .20 to vxgate's wan MAC (proxy ARP)
#   5. traceroute vm3 -> server: 10.1.0.1, 203.0.113.1, 198.51.100.10 (ICMP errors
#      translated back through SNAT); from outside to the floating IP: vxgate's wan
#      address is a hop (time exceeded), and a ping too big for web's MTU with DF draws
#      "fragmentation needed" with 1450, which the server's kernel takes as the path MTU
#   6. show nat; a reload to a 2-port SNAT range (2 per worker): 2 connections to one
#      server port hold, a third is dropped (nat_ports_exhausted; one worker only); a
#      reload to a smaller limits.sessions keeps both; show nat sessions, clear nat sessions
# With VXG_LCORES=0-2 (two workers), 17 SNAT connections after step 1 must be spread
# over both workers, their rx summing to the ports'.
#   7. a reload moves 203.0.113.20 to vm3 and adds 203.0.113.21 for vm1: gratuitous ARP
#      corrects the router's stale entries, and the server reaches each at its new place
# VXT_KEEP=1 (or VXS_KEEP=1) keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxt
for t in socat ping traceroute python3; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
VM1_MAC=02:00:0a:01:00:0b VM3_MAC=02:00:0a:01:00:0d
WAN_MAC=02:00:cb:00:71:02 # vxgate's wan port (config `mac`)
INET_MAC=02:00:cb:00:71:01 # the router's side of the wan tap
NS3=vxt-vm3 INET=vxt-inet SRV=vxt-srv
SERVER=198.51.100.10
HOLD_PIDS=""
cleanup() {
	local p
	for p in $HOLD_PIDS; do
		kill "$p" 2>/dev/null || true
	done
	exec 3>&- 4>&-
	for ns in vxt-hv1 $NS3 $INET $SRV; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop || true
	for ns in $NS3 $INET $SRV; do
		ip netns del "$ns" 2>/dev/null || true
	done
	vxg_underlay_del vxt
	[ -n "${VXT_KEEP:-}${VXS_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-nat-netns.XXXXXX)

# --- underlay and vm1 (VNI 100 behind hypervisor vxt-hv1 at 172.16.0.2).
vxg_quiet_ns $NS3
vxg_quiet_ns $INET
vxg_quiet_ns $SRV
vxg_underlay vxt
vxg_hypervisor vxt 1 4789 static
ip -n vxt-hv1 link set vxt-vx address $VM1_MAC mtu 1450 up
ip -n vxt-hv1 addr add 10.1.0.11/24 dev vxt-vx
ip -n vxt-hv1 route add default via 10.1.0.1
# Checksums in software (see l3_test.sh): net_af_packet hands over what the kernel
# left for the NIC to fill in, and vxgate's incremental NAT update of a checksum that
# was never computed gives garbage. The same on the taps: the kernel must not leave a
# checksum to "hardware" that vxgate reads as a plain buffer.
if command -v ethtool >/dev/null; then
	ip netns exec vxt-hv1 ethtool -K vxt-vx tx off >/dev/null
fi

# --- the internet: router vxt-inet (203.0.113.1 on the wan tap, 198.51.100.1 towards
# the server), server vxt-srv (198.51.100.10, default route via the router).
ip link add vxt-i1 type veth peer name vxt-sv
ip link set vxt-i1 netns $INET
ip link set vxt-sv netns $SRV
ip -n $INET link set lo up
ip -n $SRV link set lo up
ip -n $INET addr add 198.51.100.1/24 dev vxt-i1
ip -n $INET link set vxt-i1 up
ip -n $SRV addr add $SERVER/24 dev vxt-sv
ip -n $SRV link set vxt-sv up
ip -n $SRV route add default via 198.51.100.1
ip netns exec $INET sysctl -qw net.ipv4.ip_forward=1
if command -v ethtool >/dev/null; then
	ip netns exec $SRV ethtool -K vxt-sv tx off >/dev/null 2>&1 || true
	ip netns exec $INET ethtool -K vxt-i1 tx off >/dev/null 2>&1 || true
fi

# config SNAT_PORTS FLOATING_IPS [SESSIONS]: the whole file, so that reloads change one
# thing each.
config() {
	cat <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, sessions: ${3:-4096}}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxt,iface=vxt-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
  - {name: wan, device: "net_tap_vxtw,iface=vxt-wan", role: external, address: 203.0.113.2/24,
     gateway: 203.0.113.1, mac: "$WAN_MAC"}
  - {name: local, device: "net_tap_vxt,iface=vxt-acc", role: access, mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450, flood: [172.16.0.2]}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {vtep: 172.16.0.2}}
      - {name: vm3, network: web, mac: "$VM3_MAC", ip: 10.1.0.13, location: {interface: local}}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat:
      snat: 203.0.113.10
      snat_ports: $1
      floating_ips: [$2]
EOC
}
FIP1="{ip: 203.0.113.20, port: vm1}"
config 1024-65535 "$FIP1" >"$VXG_TMP/nat.yaml"
"$BUILD/vxgate" -- --check -c "$VXG_TMP/nat.yaml" >"$VXG_TMP/check" 2>&1 ||
	fail "vxgate --check refuses the test config: $(cat "$VXG_TMP/check")"
vxg_start vxt "$VXG_TMP/nat.yaml" || fail "vxgate start"
ip link set vxt-acc netns $NS3
ip -n $NS3 link set vxt-acc address $VM3_MAC up
ip -n $NS3 addr add 10.1.0.13/24 dev vxt-acc
ip -n $NS3 route add default via 10.1.0.1
ip netns exec $NS3 ethtool -K vxt-acc tx off >/dev/null 2>&1 || true
ip link set vxt-wan netns $INET
ip -n $INET link set vxt-wan address $INET_MAC up
ip -n $INET addr add 203.0.113.1/24 dev vxt-wan
ip netns exec $INET ethtool -K vxt-wan tx off >/dev/null 2>&1 || true

drops() { # REASON
	vxg_ctl -j show stats | vxg_json "sum(w['drops'].get('$1', 0) for w in d['workers'])" || echo "?"
}
events() { # NAME
	vxg_ctl -j show stats | vxg_json "sum(w.get('events', {}).get('$1', 0) for w in d['workers'])" || echo "?"
}
# The MAC the router's neighbour table has for IP on the wan ("" for none).
inet_mac() {
	ip -n $INET neigh show "$1" dev vxt-wan | awk '{for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1)}'
}

# Listeners: each echoes "NAME PEERADDR PEERPORT" and closes. The server: TCP 7000 and
# UDP 7001; TCP 7002 appends what it receives to a file (held connections). vm1 and vm3:
# TCP 8000.
echo_server() { # NS PROTO-LISTEN PORT NAME
	local opt=reuseaddr,fork
	[ "$2" = TCP-LISTEN ] || opt=fork
	ip netns exec "$1" socat "$2:$3,$opt" \
		SYSTEM:"echo $4 \$SOCAT_PEERADDR \$SOCAT_PEERPORT" >/dev/null 2>&1 &
}
echo_server $SRV TCP-LISTEN 7000 srv
echo_server $SRV UDP-RECVFROM 7001 srv
ip netns exec $SRV socat -u TCP-LISTEN:7002,reuseaddr,fork \
	"OPEN:$VXG_TMP/srv.7002,creat,append" >/dev/null 2>&1 &
echo_server vxt-hv1 TCP-LISTEN 8000 vm1
echo_server $NS3 TCP-LISTEN 8000 vm3
sleep 0.5

# tcp NS DST PORT [socat options]: what the listener echoed ("" on failure).
tcp() {
	timeout 8 ip netns exec "$1" socat -u "TCP:$2:$3,connect-timeout=4${4:+,$4}" - 2>/dev/null || true
}
udp() { # NS DST PORT
	echo probe | timeout 8 ip netns exec "$1" socat -t 4 -T 4 - "UDP:$2:$3" 2>/dev/null | head -n 1 || true
}
pings() { # NS DST [ping args]
	local ns=$1 dst=$2
	shift 2
	timeout 8 ip netns exec "$ns" ping -c 2 -i 0.2 -W 2 "$@" "$dst" >"$VXG_TMP/ping" 2>&1
}
# expect WHAT GOT PATTERN: GOT must match the shell pattern.
expect() {
	# shellcheck disable=SC2053
	[[ $2 == $3 ]] || fail "$1: expected '$3', got '$2'; $(vxg_ctl show stats 2>&1)"
}

# 0. The setup, with no NAT involved: the router resolves and pings wan's own address,
# the VMs ping their gateway.
pings $INET 203.0.113.2 || fail "router -> vxgate's wan 203.0.113.2 ping: $(cat "$VXG_TMP/ping")"
mac=$(inet_mac 203.0.113.2)
expect "router's ARP entry for wan's address 203.0.113.2" "$mac" "$WAN_MAC"
pings vxt-hv1 10.1.0.1 || fail "vm1 -> gateway 10.1.0.1 ping: $(cat "$VXG_TMP/ping")"
pings $NS3 10.1.0.1 || fail "vm3 -> gateway 10.1.0.1 ping: $(cat "$VXG_TMP/ping")"
ok "setup: the router resolves ($mac) and pings wan's 203.0.113.2; vm1 and vm3 ping 10.1.0.1"

# 1. SNAT: vm3 (no floating IP) reaches the server as 203.0.113.10.
got=$(tcp $NS3 $SERVER 7000)
expect "vm3 -> server tcp/7000, the server sees" "$got" "srv 203.0.113.10 *"
got=$(udp $NS3 $SERVER 7001)
expect "vm3 -> server udp/7001, the server sees" "$got" "srv 203.0.113.10 *"
pings $NS3 $SERVER || fail "vm3 -> server ping: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
ok "vm3 reaches the server by TCP, UDP and ping, seen from 203.0.113.10 (SNAT)"
# More SNAT connections, each from a new source port: with two workers, the taps' queues
# spread them over both (the check prints who opened sessions and who translated replies).
for i in $(seq 1 16); do
	got=$(tcp $NS3 $SERVER 7000)
	expect "vm3 -> server tcp/7000, connection $i" "$got" "srv 203.0.113.10 *"
done
vxg_workers_check "17 SNAT connections"

# 2. Floating IP: vm1 goes out as 203.0.113.20, its port unchanged (1:1); the server
# reaches vm1's listener at 203.0.113.20, which sees the server's own address.
got=$(tcp vxt-hv1 $SERVER 7000 sourceport=40123)
expect "vm1 -> server tcp/7000 from port 40123, the server sees" "$got" "srv 203.0.113.20 40123"
got=$(tcp $SRV 203.0.113.20 8000)
expect "server -> 203.0.113.20 tcp/8000, the listener sees" "$got" "vm1 $SERVER *"
pings $SRV 203.0.113.20 || fail "server -> 203.0.113.20 ping: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
pings vxt-hv1 $SERVER || fail "vm1 -> server ping: $(cat "$VXG_TMP/ping"); $(vxg_ctl show stats)"
ok "vm1 goes out as 203.0.113.20:40123; the server reaches vm1 at 203.0.113.20 (TCP, ping) from $SERVER"

# 3. Hairpin: vm3 to vm1's floating IP loops inside vxgate, SNATed on the way.
got=$(tcp $NS3 203.0.113.20 8000)
expect "vm3 -> 203.0.113.20 tcp/8000 (hairpin), vm1 sees" "$got" "vm1 203.0.113.10 *"
hp=$(events nat_hairpin)
[ "$hp" -gt 0 ] || fail "hairpin worked but the nat_hairpin event did not move"
ok "hairpin: vm3 reaches vm1 through 203.0.113.20, seen from 203.0.113.10 (nat_hairpin $hp)"
# A ping of the SNAT address from inside is the router's to answer, as for a Linux router
# that owns the address: ping only counts replies from the address it pinged.
pings $NS3 203.0.113.10 || fail "vm3 -> SNAT address 203.0.113.10 ping: $(cat "$VXG_TMP/ping")"
pings vxt-hv1 203.0.113.10 || fail "vm1 -> SNAT address 203.0.113.10 ping: $(cat "$VXG_TMP/ping")"
ok "vm3 (SNAT) and vm1 (floating IP) ping the SNAT address 203.0.113.10 and get its reply"

# 4. Proxy ARP: the router resolved the SNAT address and the floating IP to wan's MAC.
for ip in 203.0.113.10 203.0.113.20; do
	expect "the router's ARP entry for $ip" "$(inet_mac $ip)" "$WAN_MAC"
done
ok "the router resolves 203.0.113.10 and 203.0.113.20 to vxgate's wan MAC $WAN_MAC"

# 5. traceroute vm3 -> server through SNAT: the time exceeded from 203.0.113.1 and the
# port unreachable from the server are addressed to 203.0.113.10 and must be translated
# back to vm3. UDP probes need software checksums (ethtool); else ICMP probes.
TR_MODE=
command -v ethtool >/dev/null || TR_MODE=-I
# shellcheck disable=SC2086
timeout 25 ip netns exec $NS3 traceroute $TR_MODE -n -q 1 -w 2 -m 6 $SERVER >"$VXG_TMP/tr" 2>&1 ||
	fail "traceroute: $(cat "$VXG_TMP/tr")"
hops=$(awk '$1 ~ /^[0-9]+$/ {printf "%s:%s ", $1, $2}' "$VXG_TMP/tr")
expect "traceroute ${TR_MODE:-(UDP)} vm3 -> server hops" "$hops" "1:10.1.0.1 2:203.0.113.1 3:$SERVER "
ie=$(events nat_icmp_error)
[ "$ie" -gt 0 ] || fail "traceroute worked but the nat_icmp_error event did not move"
ok "traceroute vm3 -> server: 10.1.0.1, 203.0.113.1, $SERVER (nat_icmp_error $ie)"

# From outside to the floating IP: the probe whose TTL runs out at vxgate draws a time
# exceeded from wan's address, quoting the probe as the server sent it (else traceroute
# would not match it to its probe).
te=$(events icmp_time_exceeded)
# shellcheck disable=SC2086
timeout 25 ip netns exec $SRV traceroute $TR_MODE -n -q 1 -w 2 -m 6 203.0.113.20 >"$VXG_TMP/tr" 2>&1 ||
	fail "traceroute server -> 203.0.113.20: $(cat "$VXG_TMP/tr")"
hops=$(awk '$1 ~ /^[0-9]+$/ {printf "%s:%s ", $1, $2}' "$VXG_TMP/tr")
expect "traceroute ${TR_MODE:-(UDP)} server -> 203.0.113.20 hops" "$hops" "1:198.51.100.1 2:203.0.113.2 3:203.0.113.20 "
[ "$(events icmp_time_exceeded)" -gt "$te" ] || fail "traceroute worked but icmp_time_exceeded stayed $te"
ok "traceroute server -> 203.0.113.20: 198.51.100.1, 203.0.113.2 (vxgate), 203.0.113.20"
# Too big for web (MTU 1450) with DF: fragmentation needed from wan's address, and the
# server's kernel lowers its path MTU to the floating IP (PMTU discovery).
fn=$(events icmp_frag_needed)
timeout 8 ip netns exec $SRV ping -c 1 -W 2 -M do -s 1430 203.0.113.20 >"$VXG_TMP/ping" 2>&1 || true
grep -q "From 203.0.113.2 .*mtu = 1450" "$VXG_TMP/ping" ||
	fail "server -> 203.0.113.20 ping of 1458 bytes with DF: expected frag needed (mtu 1450) from 203.0.113.2: $(cat "$VXG_TMP/ping")"
[ "$(events icmp_frag_needed)" -gt "$fn" ] || fail "icmp_frag_needed stayed $fn"
got=$(ip -n $SRV route get 203.0.113.20 | grep -o "mtu [0-9]*" || true)
expect "the server's route to 203.0.113.20 after the error" "$got" "mtu 1450"
ip -n $SRV route flush cache
ok "a 1458-byte ping with DF to 203.0.113.20: fragmentation needed (mtu 1450) from 203.0.113.2, the server's path MTU follows"

# 6. show nat, then a 2-port SNAT range.
nat=$(vxg_ctl -j show nat 2>&1) || fail "show nat: $nat"
got=$(echo "$nat" | vxg_json "' '.join('%s %s %s %s' % (v['vpc'], v['interface'], v['snat'], v['ports']) + ' ' +
	','.join('%s=%s/%s' % (f['ip'], f['port'], f['fixed_ip']) for f in v['floating_ips']) for v in d['vpcs'])" 2>&1 || true)
expect "show nat" "$got" "blue wan 203.0.113.10 1024-65535 203.0.113.20=vm1/10.1.0.11"
ok "show nat: $got"

# Each worker takes ports from its own stripe of the range (every W-th port): with W
# workers, 2 ports each, so that both held connections find one whichever worker the
# tap hands them to. With one worker, a third connection must then find none; with
# more, it may land on a worker with a free port, so that part runs with one only.
W=$(vxg_workers)
PORTS2=40000-$((40000 + 2 * W - 1))
config $PORTS2 "$FIP1" >"$VXG_TMP/nat2.yaml"
out=$(vxg_ctl reload "$VXG_TMP/nat2.yaml" 2>&1) || fail "reload to snat_ports $PORTS2: $out"
got=$(vxg_ctl -j show nat | vxg_json "d['vpcs'][0]['ports']" 2>&1 || true)
expect "show nat ports after the reload" "$got" "$PORTS2"
# hold N: a connection from vm3 to the server's tcp/7002 fed from fd 2+N.
hold() {
	mkfifo "$VXG_TMP/hold$1"
	timeout 60 ip netns exec $NS3 socat -u "PIPE:$VXG_TMP/hold$1" \
		"TCP:$SERVER:7002,connect-timeout=4" >/dev/null 2>&1 &
	HOLD_PIDS="$HOLD_PIDS $!"
	# Read-write: opening a FIFO so never blocks, even if socat did not start.
	eval "exec $(($1 + 2))<>\"\$VXG_TMP/hold$1\""
}
received() { # LINE: wait up to 3 s for the server to get it
	for _ in $(seq 1 30); do
		grep -qx "$1" "$VXG_TMP/srv.7002" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
hold 1
echo held1 >&3
received held1 || fail "held connection 1 carries nothing; $(vxg_ctl show stats)"
hold 2
echo held2 >&4
received held2 || fail "held connection 2 carries nothing; $(vxg_ctl show stats)"
if [ "$W" = 1 ]; then
	before=$(drops nat_ports_exhausted)
	echo third | timeout 8 ip netns exec $NS3 socat -u - "TCP:$SERVER:7002,connect-timeout=3" \
		>/dev/null 2>&1 && fail "a third connection to $SERVER:7002 went through with 2 SNAT ports"
	received third && fail "the server got the third connection's data"
	after=$(drops nat_ports_exhausted)
	[ "$after" -gt "$before" ] || fail "the third connection failed but nat_ports_exhausted stayed $before"
fi
echo again1 >&3
echo again2 >&4
received again1 || fail "held connection 1 lost after the third was refused"
received again2 || fail "held connection 2 lost after the third was refused"
if [ "$W" = 1 ]; then
	ok "2 SNAT ports: 2 connections to $SERVER:7002 hold, a third fails (nat_ports_exhausted $before -> $after)"
else
	ok "$PORTS2 ($W workers, 2 ports each): 2 connections to $SERVER:7002 hold"
fi

# A reload that only changes dataplane.limits.sessions (4096 -> 64): blue's session table
# is rebuilt at the new size with its sessions, so both held connections keep their
# translated ports and carry on.
natmem() {
	vxg_ctl -j show memory | vxg_json '[t["bytes"] for t in d["tables"] if t["name"] == "nat sessions"][0]'
}
m_before=$(natmem)
config $PORTS2 "$FIP1" 64 >"$VXG_TMP/nat2s.yaml"
out=$(vxg_ctl reload "$VXG_TMP/nat2s.yaml" 2>&1) || fail "reload to limits.sessions 64: $out"
echo resized1 >&3
echo resized2 >&4
received resized1 || fail "held connection 1 lost by the reload to 64 sessions; $(vxg_ctl show nat sessions)"
received resized2 || fail "held connection 2 lost by the reload to 64 sessions; $(vxg_ctl show nat sessions)"
nat=$(vxg_ctl -j show nat 2>&1) || fail "show nat: $nat"
got=$(echo "$nat" | vxg_json "'%s %s' % (d['vpcs'][0]['limit'], d['counters']['sessions_dropped_on_resize'])")
expect "show nat after the reload to 64 sessions: limit, sessions_dropped_on_resize" "$got" "64 0"
m_after=$(natmem)
[ "$m_after" -lt "$m_before" ] || fail "show memory: nat sessions $m_before -> $m_after bytes for 4096 -> 64"
ok "a reload to limits.sessions 64 resizes blue's table ($m_before -> $m_after bytes); the held connections carry on"

sess=$(vxg_ctl -j show nat sessions 2>&1) || fail "show nat sessions: $sess"
got=$(echo "$sess" | vxg_json "' '.join(sorted('%s %s %s' % (s['proto'], s['outside'], s['state'])
	for v in d['vpcs'] if v['vpc'] == 'blue' for s in v['sessions']
	if s['inside'].startswith('10.1.0.13:') and s['remote'] == '$SERVER:7002'))" 2>&1 || true)
# Two sessions, each with its own port of the range (with one worker: both ports).
expect "show nat sessions, vm3 -> $SERVER:7002" "$got" \
	"tcp 203.0.113.10:400[0-9][0-9] ESTABLISHED tcp 203.0.113.10:400[0-9][0-9] ESTABLISHED"
ports=$(echo "$got" | grep -o ':400[0-9]*' | sort -u | wc -l)
[ "$ports" = 2 ] || fail "show nat sessions: the two held connections share a port: $got"
[ "$W" != 1 ] || expect "show nat sessions, one worker" "$got" \
	"tcp 203.0.113.10:40000 ESTABLISHED tcp 203.0.113.10:40001 ESTABLISHED"
n=$(vxg_ctl -j clear nat sessions 2>&1 | vxg_json 'd["cleared"]' 2>&1 || true)
{ [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 2 ]; } || fail "clear nat sessions: expected cleared >= 2, got '$n'"
ok "show nat sessions lists both held connections ($got); clear nat sessions cleared $n"
for p in $HOLD_PIDS; do
	kill "$p" 2>/dev/null || true
done
HOLD_PIDS=""
exec 3>&- 4>&-

# 7. Gratuitous ARP: the router holds stale entries with a bogus MAC for 203.0.113.20
# (to move to vm3) and 203.0.113.21 (new, for vm1). Linux lets an ARP override an entry
# only when it is older than locktime (1 s): wait that out before the reload.
# 203.0.113.22, which vxgate does not own, is the control: it must keep its bogus MAC.
for ip in 203.0.113.20 203.0.113.21 203.0.113.22; do
	ip -n $INET neigh replace $ip lladdr 02:de:ad:be:ef:01 dev vxt-wan nud stale
done
sleep 1.2
config 1024-65535 "{ip: 203.0.113.20, port: vm3}, {ip: 203.0.113.21, port: vm1}" >"$VXG_TMP/nat3.yaml"
out=$(vxg_ctl reload "$VXG_TMP/nat3.yaml" 2>&1) || fail "reload moving 203.0.113.20: $out"
for _ in $(seq 1 50); do
	[ "$(inet_mac 203.0.113.20)" = $WAN_MAC ] && [ "$(inet_mac 203.0.113.21)" = $WAN_MAC ] && break
	sleep 0.1
done
expect "the router's entry for 203.0.113.20 (moved) 5 s after the reload" "$(inet_mac 203.0.113.20)" $WAN_MAC
expect "the router's entry for 203.0.113.21 (added) 5 s after the reload" "$(inet_mac 203.0.113.21)" $WAN_MAC
expect "the router's entry for 203.0.113.22 (not vxgate's)" "$(inet_mac 203.0.113.22)" 02:de:ad:be:ef:01
ok "gratuitous ARP on reload: the router's stale entries for .20 (moved) and .21 (added) now say $WAN_MAC, .22's is untouched"
got=$(tcp $SRV 203.0.113.20 8000)
expect "server -> 203.0.113.20 tcp/8000 after the move" "$got" "vm3 $SERVER *"
got=$(tcp $SRV 203.0.113.21 8000)
expect "server -> 203.0.113.21 tcp/8000" "$got" "vm1 $SERVER *"
got=$(tcp $NS3 $SERVER 7000)
expect "vm3 -> server tcp/7000 with its floating IP, the server sees" "$got" "srv 203.0.113.20 *"
ok "the server reaches vm3 at 203.0.113.20 and vm1 at 203.0.113.21; vm3 goes out as 203.0.113.20"

# 8. Counters.
for e in nat_snat_out nat_snat_in nat_fip_out nat_fip_in nat_session_created; do
	v=$(events $e)
	[ "$v" -gt 0 ] || fail "event $e is $v after SNAT and floating IP traffic: $(vxg_ctl show stats)"
done
ok "show stats: nat_snat_out/in, nat_fip_out/in and nat_session_created all moved"

vxg_stop || fail "vxgate exit status"
echo "nat netns test: all passed"
