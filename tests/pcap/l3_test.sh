#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The VPC router in replay mode: the real binary, captures in on net_pcap, captures out
# checked packet by packet.
#  1. vm2 (db, interface a) -> router -> vm1 (web, interface b): every frame leaves b
#     with the web gateway's MAC as source, vm1's as destination, TTL 63 and the header
#     checksum patched; compared field by field with what pcapgen builds for that.
#  2. TTL 1: each packet comes back out of a as ICMP time exceeded from 10.2.0.1.
#  3. To a host with no neighbour entry: the router asks (ARP from 10.1.0.1, out of b),
#     and the packets wait for the answer that never comes in a replay.
#  4. A 1400-byte packet without DF towards web (MTU 1000) leaves b in two fragments of
#     at most 1000 bytes. (DF and fragmentation needed: unit and netns tests.)
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
T=$(mktemp -d /tmp/vxg-router-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

replay() { # NAME IN.pcap: run vxgate on IN until drained; a.out.pcap and b.out.pcap
	cat >"$T/$1.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024}}
interfaces:
  - {name: a, device: "net_pcap_ra,rx_pcap=$2,tx_pcap=$T/$1.a.pcap", role: access}
  - {name: b, device: "net_pcap_rb,tx_pcap=$T/$1.b.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1000}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, mtu: 1450}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, location: {interface: a}}
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {interface: b}}
EOC
	# shellcheck disable=SC2046
	timeout 60 "$VXGATE" $(vxg_eal "vxrt-$1") -- -c "$T/$1.yaml" -s "$T/$1.sock" \
		-d "$T/$1.state" --replay >"$T/$1.out" 2>&1 || fail "$1: $(cat "$T/$1.out")"
}
count() { # FILE FIELD VALUE: packets whose FIELD is VALUE
	"$PCAPCHECK" --dump "$1" | grep -c "^ *$2: $3$" || true
}

# 1. Routed: 256 packets of 64 flows from vm2.
"$PCAPGEN" routed -n 256 --flows 64 -o "$T/routed.pcap"
"$PCAPGEN" routed -n 256 --flows 64 --src-mac 02:76:78:00:00:64 \
	--router-mac 02:00:0a:01:00:0b --ttl 63 -o "$T/routed.want.pcap"
replay routed "$T/routed.pcap"
grep -q "^replay: rx 256 tx 256 punted 0 dropped 0$" "$T/routed.out" ||
	fail "routed totals: $(cat "$T/routed.out")"
grep -q "^replay: event routed 256$" "$T/routed.out" || fail "routed event: $(cat "$T/routed.out")"
"$PCAPCHECK" "$T/routed.b.pcap" "$T/routed.want.pcap" >"$T/cmp" ||
	fail "routed output differs: $(head -20 "$T/cmp")"
ok "256 routed packets leave web's port rewritten as a router does (MACs, TTL, checksum)"

# 2. TTL 1.
"$PCAPGEN" routed -n 5 --ttl 1 -o "$T/ttl.pcap"
replay ttl "$T/ttl.pcap"
[ "$(count "$T/ttl.a.pcap" icmp.type 11)" = 5 ] ||
	fail "TTL 1: $("$PCAPCHECK" --dump "$T/ttl.a.pcap" | head -40)"
[ "$(count "$T/ttl.a.pcap" ip.src 10.2.0.1)" = 5 ] || fail "TTL 1: not from the db gateway"
[ "$(count "$T/ttl.a.pcap" eth.dst 02:00:0a:02:00:0c)" = 5 ] || fail "TTL 1: not to vm2's MAC"
[ "$(count "$T/ttl.b.pcap" ip.dst 10.1.0.11)" = 0 ] || fail "TTL 1: a packet went through"
ok "TTL 1: five ICMP time exceeded from 10.2.0.1 back to vm2, nothing forwarded"

# 3. No neighbour: 10.1.0.99 is nobody's fixed address.
"$PCAPGEN" routed -n 3 --dst-ip 10.1.0.99 -o "$T/miss.pcap"
replay miss "$T/miss.pcap"
[ "$(count "$T/miss.b.pcap" arp.tpa 10.1.0.99)" -ge 1 ] ||
	fail "no ARP for 10.1.0.99: $("$PCAPCHECK" --dump "$T/miss.b.pcap" | head -30)"
[ "$(count "$T/miss.b.pcap" arp.spa 10.1.0.1)" -ge 1 ] || fail "the ARP is not from 10.1.0.1"
[ "$(count "$T/miss.b.pcap" ip.dst 10.1.0.99)" = 0 ] || fail "a packet left without a MAC"
grep -q "^replay: event neigh_miss 3$" "$T/miss.out" || fail "neigh_miss: $(cat "$T/miss.out")"
ok "to an unknown host: the router ARPs for 10.1.0.99 from 10.1.0.1; the packets wait"

# 4. Fragmentation to web's MTU 1000, and fragmentation needed with DF.
"$PCAPGEN" routed -n 2 -s 1414 -o "$T/big.pcap"
replay big "$T/big.pcap"
n=$("$PCAPCHECK" --count 0 "$T/big.b.pcap" 2>&1 | sed -n 's/.*: \([0-9]*\) packets.*/\1/p')
[ "$n" = 4 ] || fail "1400-byte packets to MTU 1000: $n frames out, expected 4"
"$PCAPCHECK" --dump "$T/big.b.pcap" | awk '/^ *ip.len:/ {if ($2 > 1000) bad=1} END {exit bad}' ||
	fail "a fragment is over 1000 bytes"
[ "$(count "$T/big.b.pcap" ip.checksum_valid yes)" = 4 ] || fail "fragment checksums"
ok "1400-byte packets to web (MTU 1000) leave in 2 fragments each, at most 1000 bytes"
echo "router replay test: all passed"
