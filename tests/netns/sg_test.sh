#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Security groups and port security against real TCP, UDP and ICMP. VPC blue: network
# web (VNI 100) and db (VNI 200). vm1 (groups web, app) is the kernel vxlan device of
# hypervisor vxs-hv1 on web; vm2 (group db) the one of vxs-hv2 on db; vm3 (group client,
# no ingress rule; an allowed address pair) sits on vxgate's net_tap access port, on web.
#   web:    ingress tcp/80 and udp/53 from anywhere, ICMP from anywhere (not tcp/22)
#   db:     ingress tcp/5432 and ICMP from members of app only
#   client: no ingress rule (its replies still pass: stateful)
# A reload that only shrinks limits.conntrack keeps the TCP connection vm3 holds open to
# vm1:80 and the rules' hits. Then a reload takes vm1 out of app (5432 closes for it) and
# takes web's tcp/80 rule away, which cuts that connection, and lets client send TCP, and
# ICMP to web's members only (vm3 no longer pings its gateway).
# VXS_KEEP=1 keeps the temporary directory.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
. "$SRC/tests/netns/underlay.sh"
vxg_need_root
vxg_need_vxlan vxs
for t in socat ping; do
	command -v $t >/dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:02:00:0c VM3_MAC=02:00:0a:01:00:0d
NS3=vxs-vm3
cleanup() {
	if [ -n "${HOLD_PID:-}" ]; then
		kill "$HOLD_PID" 2>/dev/null || true
	fi
	exec 3>&-
	for ns in vxs-hv1 vxs-hv2 $NS3; do
		ip netns pids $ns 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	vxg_stop || true
	ip netns del $NS3 2>/dev/null || true
	vxg_underlay_del vxs
	[ -n "${VXS_KEEP:-}" ] || rm -rf "${VXG_TMP:-/nonexistent}"
}
trap cleanup EXIT
cleanup
VXG_TMP=$(mktemp -d /tmp/vxg-sg-netns.XXXXXX)

vxg_quiet_ns $NS3
vxg_underlay vxs
vxg_hypervisor vxs 1 4789 static
vxg_hypervisor vxs 2 4789 static
ip -n vxs-hv2 link del vxs-vx
ip -n vxs-hv2 link add vxs-vx type vxlan id 200 remote 172.16.0.1 local 172.16.0.3 \
	dstport 4789 dev vxs-h2
ip -n vxs-hv1 link set vxs-vx address $VM1_MAC mtu 1450 up
ip -n vxs-hv2 link set vxs-vx address $VM2_MAC mtu 1450 up
ip -n vxs-hv1 addr add 10.1.0.11/24 dev vxs-vx
ip -n vxs-hv2 addr add 10.2.0.12/24 dev vxs-vx
ip -n vxs-hv1 route add default via 10.1.0.1
ip -n vxs-hv2 route add default via 10.2.0.1
# Checksums in software (see l3_test.sh): net_af_packet hands over what the kernel
# left for the NIC to fill in.
if command -v ethtool >/dev/null; then
	ip netns exec vxs-hv1 ethtool -K vxs-vx tx off >/dev/null
	ip netns exec vxs-hv2 ethtool -K vxs-vx tx off >/dev/null
fi

# config VM1_GROUPS WEB_RULES [CONNTRACK [CLIENT_RULES]]: the whole file, so that reloads
# change one thing each.
config() {
	cat <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, conntrack: ${3:-4096}}}
interfaces:
  - {name: uplink, device: "net_af_packet_vxs,iface=vxs-u0,qpairs=$VXG_QPAIRS", role: underlay, address: 172.16.0.1/24,
     mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"},
     {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: local, device: "net_tap_vxs,iface=vxs-acc", role: access, mtu: 1500}
vtep: {address: 172.16.0.1, udp_port: 4789}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1450, flood: [172.16.0.2]}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1450, flood: [172.16.0.3]}
    ports:
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {vtep: 172.16.0.2},
         security_groups: [$1]}
      - {name: vm2, network: db, mac: "$VM2_MAC", ip: 10.2.0.12, location: {vtep: 172.16.0.3},
         security_groups: [db]}
      - {name: vm3, network: web, mac: "$VM3_MAC", ip: 10.1.0.13, location: {interface: local},
         security_groups: [client], allowed_address_pairs: [{ip: 10.1.0.50}]}
    security_groups:
      - name: web
        rules:
$2
          - {direction: ingress, protocol: udp, ports: 53}
          - {direction: ingress, protocol: icmp}
      - name: app
        rules: []
      - name: db
        rules:
          - {direction: ingress, protocol: tcp, ports: 5432, remote_group: app}
          - {direction: ingress, protocol: icmp, remote_group: app}
      - name: client
        rules: ${4:-[]}
EOC
}
RULE80="          - {direction: ingress, protocol: tcp, ports: 80}"
config "web, app" "$RULE80" >"$VXG_TMP/sg.yaml"
vxg_start vxs "$VXG_TMP/sg.yaml"
ip link set vxs-acc netns $NS3
ip -n $NS3 link set vxs-acc address $VM3_MAC up
ip -n $NS3 addr add 10.1.0.13/24 dev vxs-acc
ip -n $NS3 route add default via 10.1.0.1
ip netns exec $NS3 ethtool -K vxs-acc tx off >/dev/null 2>&1 || true

drops() { # REASON
	vxg_ctl -j show stats | vxg_json "sum(w['drops'].get('$1', 0) for w in d['workers'])"
}
# Servers: TCP 80, 22 and 5432 append what they receive to a file; UDP 53 too.
serve() { # NS PROTO PORT
	ip netns exec "$1" socat -u "$2-LISTEN:$3,reuseaddr,fork" \
		"OPEN:$VXG_TMP/$1.$3,creat,append" >/dev/null 2>&1 &
}
serve vxs-hv1 TCP 80
serve vxs-hv1 TCP 22
serve vxs-hv2 TCP 5432
ip netns exec vxs-hv1 socat -u UDP-RECV:53 "OPEN:$VXG_TMP/vxs-hv1.u53,creat,append" \
	>/dev/null 2>&1 &
ip netns exec vxs-hv1 socat -u UDP-RECV:54 "OPEN:$VXG_TMP/vxs-hv1.u54,creat,append" \
	>/dev/null 2>&1 &
sleep 0.5

# tcp NS DST PORT WORD: connect and send WORD; succeeds when the server got it. A
# connection expected to be refused waits 1 s for its SYN's answer (TCP_WAIT=1), not 3.
tcp() {
	echo "$4" | timeout 6 ip netns exec "$1" socat -u - "TCP:$2:$3,connect-timeout=${TCP_WAIT:-3}" \
		>/dev/null 2>&1 || return 1
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		grep -qx "$4" "$VXG_TMP"/*."$3" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
udp() { # NS DST PORT WORD
	echo "$4" | ip netns exec "$1" socat -u - "UDP-SENDTO:$2:$3" >/dev/null 2>&1
	sleep 0.5
	grep -qx "$4" "$VXG_TMP/vxs-hv1.u$3" 2>/dev/null
}
pings() { # NS DST [ping args]
	local ns=$1 dst=$2
	shift 2
	timeout 8 ip netns exec "$ns" ping -c 2 -i 0.2 -W 1 "$@" "$dst" >/dev/null 2>&1
}

# 1. web: tcp/80 from anywhere (switched from vm3, routed from vm2), tcp/22 from nowhere.
tcp $NS3 10.1.0.11 80 from-vm3 || fail "vm3 -> vm1 tcp/80 refused: $(vxg_ctl show stats; vxg_ctl show conntrack)"
tcp vxs-hv2 10.1.0.11 80 from-vm2 || fail "vm2 -> vm1 tcp/80 (routed) refused"
ok "web's tcp/80 is reachable from vm3 (same network) and vm2 (routed)"
before=$(drops sg_ingress_deny)
TCP_WAIT=1 tcp $NS3 10.1.0.11 22 ssh-vm3 && fail "vm3 -> vm1 tcp/22 went through"
TCP_WAIT=1 tcp vxs-hv2 10.1.0.11 22 ssh-vm2 && fail "vm2 -> vm1 tcp/22 went through"
after=$(drops sg_ingress_deny)
[ "$after" -gt "$before" ] || fail "tcp/22 refused but sg_ingress_deny did not move ($before)"
ok "tcp/22 to vm1 is dropped (sg_ingress_deny $before -> $after)"

# 2. UDP and ICMP follow their rules; replies to what a VM started pass.
udp $NS3 10.1.0.11 53 dns-query || fail "vm3 -> vm1 udp/53 not received"
udp $NS3 10.1.0.11 54 not-dns && fail "vm3 -> vm1 udp/54 received"
ok "udp/53 to vm1 passes, udp/54 does not"
pings $NS3 10.1.0.11 || fail "vm3 -> vm1 ping (web allows ICMP) failed"
pings $NS3 10.1.0.1 || fail "vm3 cannot ping its gateway (client lets everything out)"
pings vxs-hv1 10.1.0.13 && fail "vm1 -> vm3 ping passed: client has no ingress rule"
ok "vm3 pings vm1 and gets the replies (stateful); vm1 cannot ping vm3"

# 3. db: 5432 and ICMP from members of app only.
tcp vxs-hv1 10.2.0.12 5432 from-vm1 || fail "vm1 (app) -> vm2 tcp/5432 refused"
pings vxs-hv1 10.2.0.12 || fail "vm1 (app) -> vm2 ping failed"
TCP_WAIT=1 tcp $NS3 10.2.0.12 5432 from-vm3 && fail "vm3 (not in app) -> vm2 tcp/5432 went through"
pings $NS3 10.2.0.12 && fail "vm3 (not in app) -> vm2 ping passed"
ok "db's 5432 and ICMP: vm1 (member of app) gets through, vm3 does not"

# 3b. More connections, switched (vm3, on the tap) and routed (vm2, over VXLAN), each
# from a new source port: with two workers, the ports' queues spread them over both.
for i in $(seq 1 12); do
	tcp $NS3 10.1.0.11 80 "spread-vm3-$i" || fail "vm3 -> vm1 tcp/80 connection $i refused"
	tcp vxs-hv2 10.1.0.11 80 "spread-vm2-$i" || fail "vm2 -> vm1 tcp/80 connection $i refused"
done
vxg_workers_check "24 connections to vm1:80"

# 4. Port security: a spoofed source address, an allowed address pair, a spoofed MAC.
ip -n $NS3 addr add 10.1.0.99/24 dev vxs-acc
before=$(drops spoof_ip)
pings $NS3 10.1.0.11 -I 10.1.0.99 && fail "vm3 spoofing 10.1.0.99 reached vm1"
after=$(drops spoof_ip)
[ "$after" -gt "$before" ] || fail "spoof_ip did not move ($before)"
ip -n $NS3 addr del 10.1.0.99/24 dev vxs-acc
ok "vm3 sending from 10.1.0.99 is cut off (spoof_ip $before -> $after)"
ip -n $NS3 addr add 10.1.0.50/24 dev vxs-acc
pings $NS3 10.1.0.11 -I 10.1.0.50 || fail "vm3 from its allowed address pair 10.1.0.50 failed"
ip -n $NS3 addr del 10.1.0.50/24 dev vxs-acc
ok "vm3 sending from its allowed address pair 10.1.0.50 reaches vm1"
before=$(drops spoof_mac)
ip -n $NS3 link set vxs-acc address 02:00:0a:01:00:99
ip -n $NS3 neigh flush dev vxs-acc
pings $NS3 10.1.0.11 && fail "vm3 with a spoofed MAC reached vm1"
after=$(drops spoof_mac)
ip -n $NS3 link set vxs-acc address $VM3_MAC
ip -n $NS3 neigh flush dev vxs-acc
[ "$after" -gt "$before" ] || fail "spoof_mac did not move ($before)"
pings $NS3 10.1.0.11 || fail "vm3 back on its own MAC cannot reach vm1"
ok "vm3 with a MAC that is not its own is cut off (spoof_mac $before -> $after), and back"

# 5. A TCP connection held open from vm3 to vm1:80: it carries data until a reload takes
# the rule away, and none after.
mkfifo "$VXG_TMP/hold"
ip netns exec $NS3 socat -u "PIPE:$VXG_TMP/hold" TCP:10.1.0.11:80 >/dev/null 2>&1 &
HOLD_PID=$!
exec 3>"$VXG_TMP/hold"
echo before-reload >&3
for _ in $(seq 1 30); do
	grep -qx before-reload "$VXG_TMP/vxs-hv1.80" 2>/dev/null && break
	sleep 0.1
done
grep -qx before-reload "$VXG_TMP/vxs-hv1.80" || fail "the held connection carries nothing"
vxg_ctl -j show conntrack blue | vxg_json \
	"[e for v in d['vpcs'] for e in v['entries'] if e['dport'] == 80 and e['state'] == 'ESTABLISHED']" |
	grep -q "10.1.0.13" || fail "show conntrack does not list vm3 -> vm1:80: $(vxg_ctl show conntrack)"
ok "the held connection vm3 -> vm1:80 carries data and is ESTABLISHED in show conntrack"

# 5b. A reload that only changes dataplane.limits.conntrack (4096 -> 1024): blue gets a
# table of the new size with its connections, so the held one carries on; the rules did
# not change, so their hit counters carry on too.
hits80() { # web's tcp/80 rule's hits on vm1
	vxg_ctl -j show security-groups vm1 | vxg_json \
		"sum(r['hits'] for p in d['ports'] for r in p['rules'] if r['group'] == 'web' and r.get('port_min') == 80)"
}
ctmem() {
	vxg_ctl -j show memory | vxg_json '[t["bytes"] for t in d["tables"] if t["name"] == "conntrack"][0]'
}
h_before=$(hits80)
[ "$h_before" -gt 0 ] || fail "web's tcp/80 rule shows no hits after tcp/80 connections"
m_before=$(ctmem)
config "web, app" "$RULE80" 1024 >"$VXG_TMP/sg-ct.yaml"
vxg_ctl reload "$VXG_TMP/sg-ct.yaml" >/dev/null || fail "reload to conntrack 1024: $(vxg_ctl reload "$VXG_TMP/sg-ct.yaml")"
echo during-resize >&3
for _ in $(seq 1 30); do
	grep -qx during-resize "$VXG_TMP/vxs-hv1.80" 2>/dev/null && break
	sleep 0.1
done
grep -qx during-resize "$VXG_TMP/vxs-hv1.80" ||
	fail "the held connection carries nothing after the conntrack resize: $(vxg_ctl show stats; vxg_ctl show conntrack)"
ct=$(vxg_ctl -j show conntrack blue)
got=$(echo "$ct" | vxg_json "'%s %s' % (d['vpcs'][0]['limit'], d['dropped_on_resize'])")
[ "$got" = "1024 0" ] || fail "show conntrack blue after the reload to 1024: limit, dropped_on_resize '$got'"
echo "$ct" | vxg_json \
	"[e for v in d['vpcs'] for e in v['entries'] if e['dport'] == 80 and e['state'] == 'ESTABLISHED']" |
	grep -q "10.1.0.13" || fail "the held connection is not ESTABLISHED in the new table: $(vxg_ctl show conntrack)"
m_after=$(ctmem)
[ "$m_after" -lt "$m_before" ] || fail "show memory: conntrack $m_before -> $m_after bytes for 4096 -> 1024"
h_after=$(hits80)
[ "$h_after" -ge "$h_before" ] || fail "a reload that kept web's tcp/80 rule reset its hits: $h_before -> $h_after"
ok "a reload to conntrack 1024 resizes blue's table ($m_before -> $m_after bytes); the held connection carries on; tcp/80 hits $h_before -> $h_after"

# 6. Reload: vm1 leaves app, and web loses tcp/80 (and conntrack goes back to 4096).
config "web" "" 4096 "[{direction: egress, protocol: tcp},
          {direction: egress, protocol: icmp, remote_group: web}]" >"$VXG_TMP/sg2.yaml"
vxg_ctl reload "$VXG_TMP/sg2.yaml" >/dev/null || fail "reload: $(vxg_ctl reload "$VXG_TMP/sg2.yaml")"
echo after-reload >&3
sleep 1.5
grep -qx after-reload "$VXG_TMP/vxs-hv1.80" && fail "the held connection still carries data"
blocked=$(drops sg_blocked)
[ "$blocked" -gt 0 ] || fail "sg_blocked did not move"
ok "removing web's tcp/80 rule cuts the open connection (sg_blocked $blocked)"
TCP_WAIT=1 tcp vxs-hv1 10.2.0.12 5432 after-app && fail "vm1, out of app, still reaches vm2 tcp/5432"
TCP_WAIT=1 tcp $NS3 10.1.0.11 80 new-after && fail "a new tcp/80 connection passed after the reload"
pings $NS3 10.1.0.11 || fail "ICMP to vm1 (still allowed) fails after the reload"
ok "after the reload vm1 no longer reaches db's 5432 and tcp/80 is closed; ICMP still passes"
before=$(drops sg_egress_deny)
pings $NS3 10.1.0.1 && fail "vm3 pinged its gateway, which client's egress rules do not allow"
after=$(drops sg_egress_deny)
[ "$after" -gt "$before" ] || fail "vm3's pings of its gateway: sg_egress_deny did not move"
ok "client's egress rules (ICMP to web's members only) stop vm3's pings of its gateway"

# 7. The shell: rules with hit counters, per-port counters, clear conntrack.
sgs=$(vxg_ctl show security-groups vm2)
echo "$sgs" | grep -q "5432" || fail "show security-groups vm2: $sgs"
n=$(vxg_ctl -j clear conntrack blue | vxg_json 'd["cleared"]')
[ "$n" -gt 0 ] || fail "clear conntrack cleared nothing"
ok "show security-groups lists db's rules; clear conntrack cleared $n connections"

vxg_stop || fail "vxgate exit status"
ok "vxgate stopped cleanly"
