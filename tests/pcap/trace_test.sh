#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Packet trace on the real binary: four access interfaces replay one packet each, over and
# over (net_pcap's infinite_rx), so that a trace started through vxgate-ctl finds traffic:
#   a: vm2 (db) -> vm1 (web): routed, vm1's group lets UDP 5001 in (a tracked connection);
#   c: vm3 (db) -> 198.51.100.10: routed out of wan with SNAT to 203.0.113.10;
#   d: vm4 (web) broadcasts: flooded to b (vm1) and to the flood VTEP 172.16.0.2;
#   e: vm5 (db) -> vm1 TCP 22: routed, then dropped by vm1's group (sg_ingress_deny);
#   f: vm6 (db) -> vm1 over IPv6: routed between the dual-stack networks' /64s (route6).
# `trace start 1 on IF` for each, then `show trace -j` is compared field by field: each
# record must hold the expected events in order (others may come between) and exactly the
# expected exits. Then the counters: a full buffer, stop, clear; a filter (only e's TCP
# packets traced, the others counted); and bad requests.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-trace-test.XXXXXX)
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP

"$PCAPGEN" routed -n 1 -o "$T/a.pcap"
"$PCAPGEN" snat -n 1 --src-mac 02:00:0a:02:00:0d --src-ip 10.2.0.13 -o "$T/c.pcap"
"$PCAPGEN" encap -n 1 --src-mac 02:00:0a:01:00:0e --dst-mac ff:ff:ff:ff:ff:ff \
	--src-ip 10.1.0.14 --dst-ip 10.1.0.255 -o "$T/d.pcap"
"$PCAPGEN" routed -n 1 --proto tcp --dport 22 --src-mac 02:00:0a:02:00:0f --src-ip 10.2.0.15 \
	-o "$T/e.pcap"
"$PCAPGEN" routed6 -n 1 --src-mac 02:00:0a:02:00:10 -o "$T/f.pcap"

rx_dev() { echo "net_pcap_t$1,rx_pcap=$T/$1.pcap,infinite_rx=1"; }
cat >"$T/trace.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096, conntrack: 4096}}
interfaces:
  - {name: uplink, device: "net_null_tu,no-rx=1", role: underlay, address: 172.16.0.1/24, mtu: 1600,
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
  - {name: a, device: "$(rx_dev a)", role: access}
  - {name: b, device: "net_null_tb,no-rx=1", role: access}
  - {name: c, device: "$(rx_dev c)", role: access}
  - {name: d, device: "$(rx_dev d)", role: access}
  - {name: e, device: "$(rx_dev e)", role: access}
  - {name: f, device: "$(rx_dev f)", role: access}
  - {name: wan, device: "net_null_tw,no-rx=1", role: external, address: 203.0.113.2/24,
     gateway: 203.0.113.1, neighbours: [{ip: 203.0.113.1, mac: "02:00:cb:00:71:01"}]}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2],
         ipv6: {cidr: "2001:db8:1::/64"}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64"}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, ip6: "2001:db8:1::11",
         location: {interface: b}, security_groups: [web]}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, location: {interface: a}}
      - {name: vm3, network: db, mac: "02:00:0a:02:00:0d", ip: 10.2.0.13, location: {interface: c}}
      - {name: vm4, network: web, mac: "02:00:0a:01:00:0e", ip: 10.1.0.14, location: {interface: d}}
      - {name: vm5, network: db, mac: "02:00:0a:02:00:0f", ip: 10.2.0.15, location: {interface: e}}
      - {name: vm6, network: db, mac: "02:00:0a:02:00:10", ip: 10.2.0.16, ip6: "2001:db8:2::12",
         location: {interface: f}}
    security_groups:
      - name: web
        rules:
          - {direction: ingress, protocol: udp, ports: 5001, remote: 10.0.0.0/8}
          - {direction: ingress, protocol: tcp, ports: 80, remote: 0.0.0.0/0}
          - {direction: ingress, protocol: udp, ports: 5001, remote: "2001:db8::/32"}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat: {snat: 203.0.113.10}
EOC

# records N: wait until `show trace` holds N records
records() {
	local n=0
	for _ in $(seq 1 100); do
		n=$(vxg_ctl -j show trace | vxg_json 'd["records"]')
		[ "$n" -ge "$1" ] && break
		sleep 0.05
	done
	[ "$n" = "$1" ] || fail "show trace holds $n records, expected $1"
}

vxg_start trace "$T/trace.yaml"

# 1. Bad requests: an error, nothing armed.
for bad in "trace start 0" "trace start 1001" "trace start 5 on nosuch" "trace start 5 on" \
	"trace start 5 on a udp prot 53" "trace start 5 tcp port 99999"; do
	# shellcheck disable=SC2086 # the words of the command
	if vxg_ctl $bad >"$T/bad.out" 2>&1; then
		fail "\"$bad\" was accepted: $(cat "$T/bad.out")"
	fi
	grep -q "^error: " "$T/bad.out" || fail "\"$bad\": no error message: $(cat "$T/bad.out")"
done
[ "$(vxg_ctl -j show trace | vxg_json '(d["tracing"], d["records"])')" = "(False, 0)" ] ||
	fail "a refused trace start armed something: $(vxg_ctl show trace)"
ok "trace start refuses a count of 0 or past 1000, an unknown interface, a wrong filter"

# 2. One packet of each interface.
n=0
for i in a c d e f; do
	vxg_ctl trace start 1 on $i | grep -q "tracing the next 1 packets of each worker on $i" ||
		fail "trace start 1 on $i"
	n=$((n + 1))
	records $n
done
vxg_ctl -j show trace >"$T/trace.json"
vxg_ctl show trace >"$T/trace.txt"
python3 - "$T/trace.json" <<'PY' || fail "show trace -j: $(cat "$T/trace.txt")"
import json, sys

d = json.load(open(sys.argv[1]))
assert d["traced"] == 5 and d["buffer_full"] == 0 and d["records"] == 5, d
by_if = {p["interface"]: p for p in d["packets"]}
assert sorted(by_if) == ["a", "c", "d", "e", "f"], sorted(by_if)

def expect(name, p, events, exits):
    """p's events hold each of events, in order; its exits are exactly exits."""
    i, evs = 0, p["events"]
    for want in events:
        while i < len(evs) and not all(evs[i].get(k) == v for k, v in want.items()):
            i += 1
        if i == len(evs):
            sys.exit("%s: no event %s (in order) in:\n%s" % (
                name, want, "\n".join(json.dumps(e) for e in evs)))
        i += 1
    got = [{k: e.get(k) for k in w} for e, w in zip(p["exits"], exits)]
    if len(p["exits"]) != len(exits) or got != exits:
        sys.exit("%s: exits %s, expected %s" % (name, p["exits"], exits))

def access(ifname, net, vni, port):
    return [{"stage": "rx", "interface": ifname, "role": "access"},
            {"stage": "eth", "event": "access", "vlan": 0, "network": net, "vni": vni},
            {"stage": "l2", "event": "port_security", "port": port, "verdict": "pass"}]

routed = by_if["a"]
assert routed["packet"]["src"] == "10.2.0.12" and routed["packet"]["dst"] == "10.1.0.11", routed
expect("routed", routed, access("a", "blue/db", 200, "vm2") + [
    {"stage": "l2", "event": "to_router", "network": "blue/db"},
    {"stage": "l3", "event": "route", "vpc": "blue", "dst": "10.1.0.11", "kind": "connected",
     "prefix": "10.1.0.0/24", "next_hop": "10.1.0.11", "network": "blue/web"},
    {"stage": "l3", "event": "neighbour", "ip": "10.1.0.11", "result": "hit",
     "mac": "02:00:0A:01:00:0B"},
    {"stage": "sg", "verdict": "allow", "from": "vm2", "to": "vm1", "conntrack": "established"},
    {"stage": "l2", "event": "fdb", "result": "hit", "interface": "b"},
    {"stage": "tx", "interface": "b"}],
    [{"stage": "tx", "interface": "b", "vlan": 0}])

expect("snat", by_if["c"], access("c", "blue/db", 200, "vm3") + [
    {"stage": "l2", "event": "to_router"},
    {"stage": "l3", "event": "route", "dst": "198.51.100.10", "kind": "interface",
     "prefix": "0.0.0.0/0", "next_hop": "203.0.113.1", "interface": "wan"},
    {"stage": "nat", "event": "snat", "before": "10.2.0.13:40000",
     "after": "203.0.113.10:40000"},
    {"stage": "tx", "interface": "wan"}],
    [{"stage": "tx", "interface": "wan"}])

expect("flood", by_if["d"], access("d", "blue/web", 100, "vm4") + [
    {"stage": "l2", "event": "fdb", "result": "miss", "mac": "FF:FF:FF:FF:FF:FF"},
    {"stage": "l2", "event": "flood", "network": "blue/web", "targets": 2},
    {"stage": "vxlan", "event": "encap", "vtep": "172.16.0.2", "vni": 100}],
    [{"stage": "tx", "interface": "b"}, {"stage": "tx", "interface": "uplink"}])

expect("dropped", by_if["e"], access("e", "blue/db", 200, "vm5") + [
    {"stage": "l3", "event": "route", "dst": "10.1.0.11", "prefix": "10.1.0.0/24"},
    {"stage": "sg", "event": "rules", "verdict": "deny", "from": "vm5", "to": "vm1",
     "ingress_rule": "no rule"}],
    [{"stage": "drop", "reason": "sg_ingress_deny"}])

routed6 = by_if["f"]
assert routed6["packet"]["src"] == "2001:db8:2::12", routed6["packet"]
assert routed6["packet"]["dst"] == "2001:db8:1::11", routed6["packet"]
assert routed6["packet"]["ethertype"] == "0x86dd", routed6["packet"]
expect("routed6", routed6, access("f", "blue/db", 200, "vm6") + [
    {"stage": "l2", "event": "to_router", "network": "blue/db"},
    {"stage": "l3", "event": "route6", "vpc": "blue", "dst": "2001:db8:1::11",
     "kind": "connected", "from_outside": False, "prefix": "2001:db8:1::/64",
     "network": "blue/web"},
    {"stage": "l3", "event": "neighbour6", "network": "blue/web", "ip": "2001:db8:1::11",
     "result": "hit"},
    {"stage": "sg", "verdict": "allow", "from": "vm6", "to": "vm1"},
    {"stage": "l2", "event": "fdb", "result": "hit", "interface": "b"}],
    [{"stage": "tx", "interface": "b", "vlan": 0}])
PY
grep -q "^  l3    10.1.0.11: route 10.1.0.0/24 (connected), next hop 10.1.0.11 in blue/web$" \
	"$T/trace.txt" || fail "show trace (text): $(cat "$T/trace.txt")"
grep -q "^  drop  sg_ingress_deny: " "$T/trace.txt" || fail "show trace (text): no drop line"
grep -q "^  l3    2001:db8:1::11: route 2001:db8:1::/64 (connected) in blue/web$" "$T/trace.txt" ||
	fail "show trace (text): no IPv6 route line: $(cat "$T/trace.txt")"
grep -q ", 2001:db8:2::12\.[0-9]* > 2001:db8:1::11\.5001 udp$" "$T/trace.txt" ||
	fail "show trace (text): no IPv6 packet line: $(cat "$T/trace.txt")"
ok "routed, SNAT, flooded (two exits), dropped and IPv6-routed packets traced stage by stage"

# 3. The buffer holds 1000 records a worker: of 1000 more packets, 995 fit, 5 are counted.
vxg_ctl trace start 1000 >/dev/null
for _ in $(seq 1 100); do
	s=$(vxg_ctl -j show trace | vxg_json '(d["traced"], d["buffer_full"], d["records"], d["left"])')
	[ "$s" = "(1000, 5, 1000, 0)" ] && break
	sleep 0.05
done
[ "$s" = "(1000, 5, 1000, 0)" ] || fail "traced, buffer full, records, left: $s"
vxg_ctl show trace | grep -q "^packets traced: 1000, not traced (buffer full): 5, not traced (filter): 0; records held: 1000 of 1000$" ||
	fail "show trace (text) counters: $(vxg_ctl show trace | head -3)"
[ "$(vxg_ctl -j show memory | vxg_json '[t["entries"] for t in d["tables"] if t["name"] == "trace records"][0]')" = 1000 ] ||
	fail "show memory: trace records"
ok "a full buffer: 1000 records kept, 5 packets counted as not traced"

# 4. Stop keeps the records; clear forgets them.
[ "$(vxg_ctl -j trace stop | vxg_json 'd["tracing"]')" = False ] || fail "trace stop"
[ "$(vxg_ctl -j show trace | vxg_json '(d["tracing"], d["records"])')" = "(False, 1000)" ] ||
	fail "after trace stop"
vxg_ctl trace clear | grep -q "records and counters cleared" || fail "trace clear"
[ "$(vxg_ctl -j show trace | vxg_json '(d["tracing"], d["traced"], d["buffer_full"], d["records"])')" = "(False, 0, 0, 0)" ] ||
	fail "after trace clear: $(vxg_ctl show trace | head -3)"
sleep 0.2
[ "$(vxg_ctl -j show trace | vxg_json 'd["records"]')" = 0 ] || fail "traced after clear"
ok "trace stop keeps the records, trace clear forgets them and traces nothing more"

# 5. A filter: of the five interfaces' packets, only e's (TCP to port 22) are traced; the
# others are counted, and spend none of the 10.
vxg_ctl trace start 10 "tcp port 22" | grep -q 'tracing the next 10 packets of each worker that match "tcp port 22"' ||
	fail "trace start 10 tcp port 22"
records 10
vxg_ctl -j show trace >"$T/filter.json"
python3 - "$T/filter.json" <<'PY' || fail "show trace -j with a filter: $(head -c 600 "$T/filter.json")"
import json, sys

d = json.load(open(sys.argv[1]))
assert d["filter"] == "tcp port 22" and d["traced"] == 10 and d["left"] == 0, d
assert d["filtered"] > 0, d["filtered"]
assert {p["interface"] for p in d["packets"]} == {"e"}, [p["interface"] for p in d["packets"]]
PY
vxg_ctl show trace | grep -Eq '^trace: on, 10 packets per worker that match "tcp port 22", 0 still to trace$' ||
	fail "show trace (text) with a filter: $(vxg_ctl show trace | head -2)"
vxg_ctl show trace | grep -Eq '^packets traced: 10, not traced \(buffer full\): 0, not traced \(filter\): [1-9][0-9]*; ' ||
	fail "show trace (text) filter counter: $(vxg_ctl show trace | head -2)"
[ "$(vxg_ctl -j trace stop | vxg_json '(d["tracing"], d["filter"])')" = "(False, '')" ] ||
	fail "trace stop keeps the filter"
[ "$(vxg_ctl -j show trace | vxg_json 'd["filter"]')" = "" ] || fail "show trace: a filter after stop"
ok "trace start 10 \"tcp port 22\" traces e's packets only, counts the others"

vxg_stop || fail "vxgate did not stop cleanly"
echo "trace test: all passed"
