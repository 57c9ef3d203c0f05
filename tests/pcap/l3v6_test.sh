#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The IPv6 router on the real binary: vm2 (db, interface a) sends, once each, what a host
# sends to its router, and tshark reads back what leaves a and b:
#  1. an NS for db's gateway 2001:db8:2::1: an NA for it, solicited and from a router
#     (flags R and S), its target link-layer address the gateway MAC;
#  2. an NS for the gateway's link-local fe80::EUI-64(gateway MAC): the same for that;
#  3. an echo request to the gateway: the echo reply;
#  4. UDP to vm1 (web): out of b with hop limit 63, the web gateway's MAC as source and
#     vm1's as destination;
#  5. hop limit 1: ICMPv6 time exceeded from the gateway back out of a;
#  6. 1500 bytes towards web (MTU 1400): packet too big, MTU 1400;
#  7. to 2001:db8:77::1 (no route: the VPC has no ::/0): destination unreachable, no route.
# RAs (vxgate sends them on its own) are left out. show router and show stats count the
# routed packet and each ICMPv6 error.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-l3v6-test.XXXXXX)
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP
command -v tshark >/dev/null || fail "tshark is needed (tools/install-deps.sh)"

cat >"$T/l3v6.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024}}
interfaces:
  - {name: a, device: "net_pcap_6a,rx_pcap=$T/in.pcap,tx_pcap=$T/a.pcap", role: access}
  - {name: b, device: "net_pcap_6b,tx_pcap=$T/b.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1400,
         ipv6: {cidr: "2001:db8:1::/64"}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64"}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, ip6: "2001:db8:1::11",
         location: {interface: b}}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, ip6: "2001:db8:2::12",
         location: {interface: a}}
EOC

python3 - "$T/in.pcap" <<'EOP'
import ipaddress, struct, sys

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip6(s): return ipaddress.IPv6Address(s).packed
def ll(m): return b"\xfe\x80" + b"\0" * 6 + bytes([m[0] ^ 2]) + m[1:3] + b"\xff\xfe" + m[3:]
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)

VM2, GW = mac("02:00:0a:02:00:0c"), mac("02:76:78:00:00:c8")
A2 = ip6("2001:db8:2::12")
def frame(dst_mac, src, dst, nh, l4, cks_at, hlim=64):
    ph = src + dst + struct.pack("!IxxxB", len(l4), nh)
    l4 = l4[:cks_at] + struct.pack("!H", csum(ph + l4)) + l4[cks_at + 2:]
    return dst_mac + VM2 + b"\x86\xdd" + struct.pack("!IHBB", 0x60000000, len(l4), nh, hlim) \
        + src + dst + l4
def icmp(dst_mac, src, dst, t, body, hlim=255):
    return frame(dst_mac, src, dst, 58, struct.pack("!BBH", t, 0, 0) + body, 2, hlim)
def udp(dst, hlim=64, size=48):
    payload = bytes(i & 0xff for i in range(size - 8))
    return frame(GW, A2, ip6(dst), 17, struct.pack("!HHHH", 40000, 5001, size, 0) + payload, 6,
                 hlim)
def ns(src, target):
    sol = ip6("ff02::1:ff00:0")[:13] + target[13:]
    return icmp(b"\x33\x33" + sol[12:], src, sol, 135, b"\0" * 4 + target + b"\x01\x01" + VM2)

pcap(sys.argv[1], [
    ns(A2, ip6("2001:db8:2::1")),
    ns(ll(VM2), ll(GW)),
    icmp(GW, A2, ip6("2001:db8:2::1"), 128, struct.pack("!HH", 0x4242, 1) + b"ping6", 64),
    udp("2001:db8:1::11"),
    udp("2001:db8:1::11", hlim=1),
    udp("2001:db8:1::11", size=1460),
    udp("2001:db8:77::1"),
])
EOP

vxg_start l3v6 "$T/l3v6.yaml"
for _ in $(seq 1 100); do
	rx=$(vxg_ctl -j show stats | vxg_json 'sum(w["rx"] for w in d["workers"])')
	[ "$rx" -ge 7 ] && break
	sleep 0.05
done
[ "$rx" = 7 ] || fail "vxgate received $rx frames, expected 7"
sleep 0.5 # control's answers to the NS and the ping
vxg_ctl -j show stats >"$T/stats.json"
vxg_ctl -j show router >"$T/router.json"
vxg_ctl show router >"$T/router.txt"
# a VPC of a few prefixes: short lists, no rte_lpm nor rte_fib6 (and none in memory)
tables=$(vxg_ctl -j show route | vxg_json '" ".join(v["table"] + "/" + v["table6"] for v in d["vpcs"])')
[ "$tables" = "short list/short list" ] || fail "show route tables: $tables"
vxg_ctl show route | grep -q "tables: IPv4 short list, IPv6 short list" || fail "show route: $(vxg_ctl show route)"
mem=$(vxg_ctl -j show memory | vxg_json '[t["bytes"] for t in d["tables"] if t["name"].startswith("routes")]')
python3 -c 'import sys; sys.exit(0 if all(x < 1e6 for x in eval(sys.argv[1])) else 1)' "$mem" ||
	fail "show memory: route tables of $mem bytes"
ok "show route: short lists for IPv4 and IPv6; show memory: route tables of $mem bytes"
vxg_stop || fail "vxgate did not stop cleanly"

python3 - "$T/stats.json" <<'PY' || fail "show stats: $(cat "$T/stats.json")"
import json, sys

d = json.load(open(sys.argv[1]))
ev, drops = {}, {}
for w in d["workers"]:
    for k, v in w["events"].items(): ev[k] = ev.get(k, 0) + v
    for k, v in w["drops"].items(): drops[k] = drops.get(k, 0) + v
for k, v in (("routed6", 1), ("icmp6_time_exceeded", 1), ("icmp6_pkt_too_big", 1),
             ("icmp6_unreachable", 1), ("neigh6_miss", 0)):
    assert ev.get(k, 0) == v, (k, ev.get(k), ev)
for k in ("hop_limit_exceeded", "pkt_too_big", "no_route6"):
    assert drops.get(k, 0) == 0, (k, drops)
PY
ok "show stats: routed6, time exceeded, packet too big and unreachable counted once each"
grep -q "2001:db8:2::1" "$T/router.txt" || fail "show router lists no IPv6 gateway: $(cat "$T/router.txt")"
python3 - "$T/router.json" <<'PY' || fail "show router -j: $(cat "$T/router.json")"
import json, sys

d = json.load(open(sys.argv[1]))
text = json.dumps(d)
assert "2001:db8:1::1" in text and "2001:db8:2::1" in text, text
PY
ok "show router lists both IPv6 gateways"

fields="-e ipv6.src -e ipv6.dst -e ipv6.hlim -e icmpv6.type -e icmpv6.code"
# shellcheck disable=SC2086 # the field options
got=$(tshark -r "$T/a.pcap" -Y "not icmpv6.type == 134" -T fields -e eth.src -e eth.dst $fields \
	-e icmpv6.nd.na.flag.r -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.target_address \
	-e icmpv6.opt.linkaddr -e icmpv6.mtu -E occurrence=f 2>/dev/null | tr '\t' ' ' | sort)
# (the workers' errors leave before control's answers: compared sorted)
want=$(sort <<'EOW'
02:76:78:00:00:c8 02:00:0a:02:00:0c 2001:db8:2::1 2001:db8:2::12 255 136 0 1 1 2001:db8:2::1 02:76:78:00:00:c8 
02:76:78:00:00:c8 02:00:0a:02:00:0c fe80::76:78ff:fe00:c8 fe80::aff:fe02:c 255 136 0 1 1 fe80::76:78ff:fe00:c8 02:76:78:00:00:c8 
02:76:78:00:00:c8 02:00:0a:02:00:0c 2001:db8:2::1 2001:db8:2::12 64 129 0     
02:76:78:00:00:c8 02:00:0a:02:00:0c 2001:db8:2::1 2001:db8:2::12 64 3 0     
02:76:78:00:00:c8 02:00:0a:02:00:0c 2001:db8:2::1 2001:db8:2::12 64 2 0     1400
02:76:78:00:00:c8 02:00:0a:02:00:0c 2001:db8:2::1 2001:db8:2::12 64 1 0     
EOW
)
[ "$got" = "$want" ] || fail "out of a:
$got
expected:
$want"
ok "NS for the gateway and its link-local answered (R, S, TLLA), echo replied, time exceeded, packet too big (MTU 1400), no route"

# shellcheck disable=SC2086
got=$(tshark -r "$T/b.pcap" -Y "not icmpv6.type == 134" -T fields -e eth.src -e eth.dst $fields \
	-e udp.dstport -e udp.length -E occurrence=f 2>/dev/null | tr '\t' ' ')
want="02:76:78:00:00:64 02:00:0a:01:00:0b 2001:db8:2::12 2001:db8:1::11 63   5001 48"
[ "$got" = "$want" ] || fail "out of b:
$got
expected:
$want"
ok "UDP routed to vm1: hop limit 63, MACs rewritten, nothing else out of b"
echo "l3v6 test: all passed"
