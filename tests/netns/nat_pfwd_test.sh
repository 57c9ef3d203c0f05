#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Port forwards and hairpin against real peers. VPC blue, network web (VNI 100): vm1
# (10.1.0.11, floating IP 203.0.113.20, group web: ingress tcp/8000 only) is the kernel
# vxlan device of hypervisor vxp-hv1; vm3 (10.1.0.13, no group, SNAT to 203.0.113.10)
# sits on vxgate's net_tap access port. wan (203.0.113.2/24) is in namespace vxp-inet,
# the upstream router; behind it vxp-srv is "the internet" (198.51.100.10 and .11).
# Forwards: tcp 203.0.113.10:8080 -> vm1:8000, tcp 203.0.113.30:2222 -> vm3:8000,
# udp 203.0.113.30:5000-5009 -> vm3:6000-6009, tcp 203.0.113.30:9090 -> vm1:9000.
#   1. the server reaches vm1's and vm3's listeners through the forwards, which see the
#      server's real address; vm1 answers from 203.0.113.10:8080, not its floating IP
#   2. a UDP range: 5003 reaches vm3's 6003, the reply comes from 203.0.113.30:5003
#   3. hairpin to a forward: vm3 -> 203.0.113.10:8080 reaches vm1, seen from vm3's SNAT
#      address; vm1 -> 203.0.113.30:2222 reaches vm3, seen from vm1's floating IP
#   4. vm1's group has no rule for tcp/9000: the forward to it is dropped (sg_ingress_deny)
#   5. show nat lists the forwards with their hits; show nat sessions their sessions
#   6. coturn's turnserver (RFC 5780: two addresses) in the internet, and
#      turnutils_natdiscovery -H from vm3: its second socket's request to its own
#      mapping comes back in (hairpinning); vm1 reaches a mapping vm3 opened
#   7. a reload that removes a forward deletes its sessions; the forwards it keeps keep
#      their counters (packets, bytes, sessions: they only grow, as Prometheus expects)
# VXP_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxp
for t in socat python3 turnserver turnutils_natdiscovery; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
VM1_MAC=02:00:0a:01:00:0b VM3_MAC=02:00:0a:01:00:0d
WAN_MAC=02:00:cb:00:71:02 INET_MAC=02:00:cb:00:71:01
NS3=vxp-vm3 INET=vxp-inet SRV=vxp-srv
SERVER=198.51.100.10 SERVER2=198.51.100.11
cleanup() {
	for ns in vxp-hv1 $NS3 $INET $SRV; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop || true
	for ns in $NS3 $INET $SRV; do
		ip netns del "$ns" 2>/dev/null || true
	done
	vxg_underlay_del vxp
	[ -n "${VXP_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-pfwd-netns.XXXXXX)

vxg_quiet_ns $NS3
vxg_quiet_ns $INET
vxg_quiet_ns $SRV
vxg_underlay vxp
vxg_hypervisor vxp 1 4789 static
ip -n vxp-hv1 link set vxp-vx address $VM1_MAC mtu 1450 up
ip -n vxp-hv1 addr add 10.1.0.11/24 dev vxp-vx
ip -n vxp-hv1 route add default via 10.1.0.1
ip -n vxp-hv1 link set lo up
ip netns exec vxp-hv1 ethtool -K vxp-vx tx off >/dev/null 2>&1 || true
ip link add vxp-i1 type veth peer name vxp-sv
ip link set vxp-i1 netns $INET
ip link set vxp-sv netns $SRV
ip -n $INET link set lo up
ip -n $SRV link set lo up
ip -n $INET addr add 198.51.100.1/24 dev vxp-i1
ip -n $INET link set vxp-i1 up
ip -n $SRV addr add $SERVER/24 dev vxp-sv
ip -n $SRV addr add $SERVER2/24 dev vxp-sv
ip -n $SRV link set vxp-sv up
ip -n $SRV route add default via 198.51.100.1
ip netns exec $INET sysctl -qw net.ipv4.ip_forward=1
ip netns exec $SRV ethtool -K vxp-sv tx off >/dev/null 2>&1 || true
ip netns exec $INET ethtool -K vxp-i1 tx off >/dev/null 2>&1 || true

# config [EXTRA_FORWARD]: the whole file.
config() {
	cat <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, sessions: 4096, conntrack: 4096}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxp,iface=vxp-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
  - {name: wan, device: "net_tap_vxpw,iface=vxp-wan", role: external, address: 203.0.113.2/24,
     gateway: 203.0.113.1, mac: "$WAN_MAC"}
  - {name: local, device: "net_tap_vxp,iface=vxp-acc", role: access, mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450, flood: [172.16.0.2]}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {vtep: 172.16.0.2},
         security_groups: [web]}
      - {name: vm3, network: web, mac: "$VM3_MAC", ip: 10.1.0.13, location: {interface: local}}
    security_groups:
      - name: web
        rules:
          - {direction: ingress, protocol: tcp, ports: 8000}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat:
      snat: 203.0.113.10
      floating_ips: [{ip: 203.0.113.20, port: vm1}]
      port_forwards:
        - {ip: 203.0.113.10, protocol: tcp, port: 8080, to: vm1, to_port: 8000}
        - {ip: 203.0.113.30, protocol: udp, port: 5000-5009, to: vm3, to_port: 6000-6009}
        - {ip: 203.0.113.30, protocol: tcp, port: 9090, to: vm1, to_port: 9000}
$1
EOC
}
FWD_VM3="        - {ip: 203.0.113.30, protocol: tcp, port: 2222, to: vm3, to_port: 8000}"
config "$FWD_VM3" >"$VXG_TMP/pf.yaml"
"$BUILD/vxgate" -- --check -c "$VXG_TMP/pf.yaml" >"$VXG_TMP/check" 2>&1 ||
	fail "vxgate --check refuses the test config: $(cat "$VXG_TMP/check")"
vxg_start vxp "$VXG_TMP/pf.yaml" || fail "vxgate start"
ip link set vxp-acc netns $NS3
ip -n $NS3 link set lo up
ip -n $NS3 link set vxp-acc address $VM3_MAC up
ip -n $NS3 addr add 10.1.0.13/24 dev vxp-acc
ip -n $NS3 route add default via 10.1.0.1
ip netns exec $NS3 ethtool -K vxp-acc tx off >/dev/null 2>&1 || true
ip link set vxp-wan netns $INET
ip -n $INET link set vxp-wan address $INET_MAC up
ip -n $INET addr add 203.0.113.1/24 dev vxp-wan
ip netns exec $INET ethtool -K vxp-wan tx off >/dev/null 2>&1 || true

drops() { # REASON
	vxg_ctl -j show stats | vxg_json "sum(w['drops'].get('$1', 0) for w in d['workers'])" || echo "?"
}
events() { # NAME
	vxg_ctl -j show stats | vxg_json "sum(w.get('events', {}).get('$1', 0) for w in d['workers'])" || echo "?"
}
echo_server() { # NS PROTO-LISTEN PORT NAME
	local opt=reuseaddr,fork
	[ "$2" = TCP-LISTEN ] || opt=fork
	ip netns exec "$1" socat "$2:$3,$opt" \
		SYSTEM:"echo $4 \$SOCAT_PEERADDR \$SOCAT_PEERPORT" >/dev/null 2>&1 &
}
echo_server vxp-hv1 TCP-LISTEN 8000 vm1
echo_server vxp-hv1 TCP-LISTEN 9000 vm1-9000
echo_server $NS3 TCP-LISTEN 8000 vm3
echo_server $NS3 UDP-RECVFROM 6003 vm3-udp
echo_server $SRV UDP-RECVFROM 7001 srv
sleep 0.5
tcp() { # NS DST PORT [socat options]: what the listener echoed ("" on failure)
	timeout 8 ip netns exec "$1" socat -u "TCP:$2:$3,connect-timeout=4${4:+,$4}" - 2>/dev/null || true
}
udp() { # NS DST PORT [socat options]
	echo probe | timeout 8 ip netns exec "$1" socat -t 4 -T 4 - "UDP:$2:$3${4:+,$4}" 2>/dev/null | head -n 1 || true
}
expect() {
	# shellcheck disable=SC2053
	[[ $2 == $3 ]] || fail "$1: expected '$3', got '$2'; $(vxg_ctl show stats 2>&1)"
}

# 1. The server through the forwards, seen as itself.
got=$(tcp $SRV 203.0.113.10 8080 sourceport=41001)
expect "server -> 203.0.113.10:8080 (vm1:8000), vm1 sees" "$got" "vm1 $SERVER 41001"
got=$(tcp $SRV 203.0.113.30 2222 sourceport=41002)
expect "server -> 203.0.113.30:2222 (vm3:8000), vm3 sees" "$got" "vm3 $SERVER 41002"
ok "the server reaches vm1 through 203.0.113.10:8080 and vm3 through 203.0.113.30:2222, seen as $SERVER (vm1's replies leave from 203.0.113.10:8080: its floating IP would reset the connection)"

# 2. UDP range: 5003 -> 6003; the client takes the reply only from 203.0.113.30:5003.
got=$(udp $SRV 203.0.113.30 5003 sourceport=41003)
expect "server -> 203.0.113.30:5003 udp (vm3:6003), the reply says" "$got" "vm3-udp $SERVER 41003"
ok "udp 203.0.113.30:5003 reaches vm3:6003, seen as $SERVER:41003; the reply comes from 203.0.113.30:5003"

# 3. Hairpin to the forwards from inside.
h0=$(events nat_hairpin_fwd)
got=$(tcp $NS3 203.0.113.10 8080)
expect "vm3 -> 203.0.113.10:8080 (hairpin to vm1), vm1 sees" "$got" "vm1 203.0.113.10 *"
got=$(tcp vxp-hv1 203.0.113.30 2222)
expect "vm1 -> 203.0.113.30:2222 (hairpin to vm3), vm3 sees" "$got" "vm3 203.0.113.20 *"
h1=$(events nat_hairpin_fwd)
[ "$h1" -gt "$h0" ] || fail "hairpins to forwards worked but nat_hairpin_fwd stayed $h0"
ok "hairpin: vm3 reaches vm1 through 203.0.113.10:8080 (seen from 203.0.113.10), vm1 reaches vm3 through 203.0.113.30:2222 (seen from 203.0.113.20); nat_hairpin_fwd $h0 -> $h1"

# 4. The security group wins: vm1's group allows tcp/8000 only.
d0=$(drops sg_ingress_deny)
got=$(tcp $SRV 203.0.113.30 9090)
expect "server -> 203.0.113.30:9090 (vm1:9000, no rule)" "$got" ""
d1=$(drops sg_ingress_deny)
[ "$d1" -gt "$d0" ] || fail "the forward to vm1:9000 failed but sg_ingress_deny stayed $d0"
ok "the forward 203.0.113.30:9090 -> vm1:9000 is dropped by vm1's group (sg_ingress_deny $d0 -> $d1)"

# 5. show nat and show nat sessions.
nat=$(vxg_ctl -j show nat 2>&1) || fail "show nat: $nat"
got=$(echo "$nat" | vxg_json "' '.join('%s/%s:%s>%s:%s=%s' % (f['protocol'], f['ip'], f['ports'], f['to'], f['to_ports'],
	'hit' if f['packets'] > 0 else 'none') for f in d['vpcs'][0]['port_forwards'])" 2>&1 || true)
expect "show nat forwards" "$got" "tcp/203.0.113.10:8080>vm1:8000=hit tcp/203.0.113.30:2222>vm3:8000=hit tcp/203.0.113.30:9090>vm1:9000=hit udp/203.0.113.30:5000-5009>vm3:6000-6009=hit"
ok "show nat: $got"
sess=$(vxg_ctl -j show nat sessions 2>&1) || fail "show nat sessions: $sess"
got=$(echo "$sess" | vxg_json "' '.join(sorted('%s %s %s' % (s['kind'], s['inside'], s['outside'])
	for v in d['vpcs'] for s in v['sessions'] if s['remote'].startswith('$SERVER:4100')))" 2>&1 || true)
expect "show nat sessions, the server's forwarded flows" "$got" \
	"forward 10.1.0.11:8000 203.0.113.10:8080 forward 10.1.0.13:6003 203.0.113.30:5003 forward 10.1.0.13:8000 203.0.113.30:2222"
ok "show nat sessions: $got"
vxg_ctl show nat >"$VXG_TMP/shownat" 2>&1
grep -q "port forward tcp 203.0.113.10:8080 -> 10.1.0.11:8000 (port vm1) packets [1-9]" "$VXG_TMP/shownat" ||
	fail "show nat text: $(cat "$VXG_TMP/shownat")"

# 6. RFC 5780 hairpinning as coturn's natdiscovery checks it: from vm3, a binding request
# to the server gives vm3's mapping; a second socket sends a request to that mapping,
# which must come back in to the first.
ip netns exec $SRV turnserver -n -L $SERVER -L $SERVER2 --no-tls --no-dtls --no-cli -z \
	--userdb "$VXG_TMP/turndb" --pidfile "$VXG_TMP/turn.pid" --log-file stdout \
	--simple-log >"$VXG_TMP/turn.log" 2>&1 &
for _ in $(seq 1 50); do
	ip netns exec $SRV ss -lun | grep -q "$SERVER2:3478" && break
	sleep 0.1
done
hs0=$(events nat_hairpin_snat)
timeout 30 ip netns exec $NS3 turnutils_natdiscovery -H $SERVER >"$VXG_TMP/nd" 2>&1 || true
grep -q "RFC 5780 response" "$VXG_TMP/nd" || fail "natdiscovery: no RFC 5780 response: $(cat "$VXG_TMP/nd"; tail -5 "$VXG_TMP/turn.log")"
grep -q "Received a request (maybe a successful hairpinning)" "$VXG_TMP/nd" ||
	fail "natdiscovery -H: no hairpinning: $(cat "$VXG_TMP/nd"); $(vxg_ctl show stats)"
hs1=$(events nat_hairpin_snat)
[ "$hs1" -gt "$hs0" ] || fail "natdiscovery saw its hairpin but nat_hairpin_snat stayed $hs0"
ok "turnutils_natdiscovery -H from vm3: hairpinning supported ('Received a request'); nat_hairpin_snat $hs0 -> $hs1"

# vm1 reaches a mapping vm3 opened: vm3 asks the server's UDP echo from port 45000 (the
# echo names its mapping), then waits on that socket; vm1 sends to the mapping.
ip netns exec $NS3 python3 - "$SERVER" >"$VXG_TMP/vm3.udp" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.1.0.13", 45000))
s.settimeout(8)
s.sendto(b"probe\n", (sys.argv[1], 7001))
data, _ = s.recvfrom(200)
print("mapping", data.decode().split()[2], flush=True)
data, peer = s.recvfrom(200)
print("from", peer[0], data.decode().strip(), flush=True)
PY
pyp=$!
for _ in $(seq 1 50); do
	grep -q mapping "$VXG_TMP/vm3.udp" && break
	sleep 0.1
done
mport=$(awk '$1 == "mapping" {print $2}' "$VXG_TMP/vm3.udp")
[ -n "$mport" ] || fail "vm3's mapping towards the server: $(cat "$VXG_TMP/vm3.udp")"
echo hello-vm3 | timeout 4 ip netns exec vxp-hv1 socat -u - "UDP:203.0.113.10:$mport" || true
wait $pyp || true
got=$(awk '$1 == "from"' "$VXG_TMP/vm3.udp")
expect "vm1 -> vm3's mapping 203.0.113.10:$mport, vm3 gets" "$got" "from 203.0.113.20 hello-vm3"
ok "vm1 reaches vm3's SNAT mapping 203.0.113.10:$mport (seen from vm1's floating IP)"

# 7. A reload without the forward to vm3:8000 deletes its sessions; the others (each at
# another index then) keep their counters.
fwd_ctrs() {
	vxg_ctl -j show nat | vxg_json "' '.join('%s:%s=%d/%d/%d' % (f['ip'], f['ports'], f['packets'], f['bytes'],
		f['sessions']) for f in d['vpcs'][0]['port_forwards'] if f['ports'] != '2222')"
}
before=$(fwd_ctrs)
config "" >"$VXG_TMP/pf2.yaml"
out=$(vxg_ctl reload "$VXG_TMP/pf2.yaml" 2>&1) || fail "reload without the forward: $out"
after=$(fwd_ctrs)
python3 - "$before" "$after" <<'PY' || fail "forward counters across the reload: before $before, after $after"
import sys
b, a = (dict(x.split("=") for x in s.split()) for s in sys.argv[1:])
assert b.keys() == a.keys() and len(b) == 3, (b, a)
for k in b:
    pb, pa = (list(map(int, x[k].split("/"))) for x in (b, a))
    assert all(y >= x for x, y in zip(pb, pa)) and pb[0] > 0, (k, pb, pa)
PY
ok "the forwards the reload kept kept their counters: $after"
got=$(vxg_ctl -j show nat sessions | vxg_json "len([s for v in d['vpcs'] for s in v['sessions']
	if s['kind'] == 'forward' and s['outside'].endswith(':2222')])" 2>&1 || true)
expect "forward sessions of 203.0.113.30:2222 after the reload" "$got" "0"
removed=$(vxg_ctl -j show nat | vxg_json "d['counters']['forward_sessions_removed']" 2>&1 || true)
[ "$removed" -gt 0 ] || fail "forward_sessions_removed is '$removed' after the reload"
got=$(tcp $SRV 203.0.113.30 2222)
expect "server -> 203.0.113.30:2222 after the reload" "$got" ""
got=$(tcp $SRV 203.0.113.10 8080)
expect "server -> 203.0.113.10:8080 after the reload" "$got" "vm1 $SERVER *"
ok "a reload removing 203.0.113.30:2222 deleted its sessions (forward_sessions_removed $removed); 8080 still forwards"

vxg_stop || fail "vxgate exit status"
echo "nat port forward netns test: all passed"
