#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# IPv6 security groups on the real binary, routed and switched, read back with tshark.
# vm1 and vm3 (web, group web: tcp/80 in over IPv6) and vm2 (db, no group) all sit on
# interface a, VLANs 1, 3 and 2, so that one capture orders what each sends:
#  routed   vm2 -> vm1 tcp/80: passes (a new connection); vm1's SYN-ACK back passes as
#           established; vm2 -> vm1 tcp/22 is dropped (sg_ingress_deny); an ICMPv6 packet
#           too big from vm2 about vm1's segment to it passes as related;
#  switched vm3 -> vm1 tcp/80 passes and its reply too; tcp/22 is dropped; vm3's Neighbour
#           Solicitation for vm1 reaches vm1 though no rule names ICMPv6.
# show stats counts the two denials, show conntrack lists both IPv6 connections. One frame
# a pass (burst 1), as from real peers: a reply never shares a burst with its first packet.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-sg6-test.XXXXXX)
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP
command -v tshark >/dev/null || fail "tshark is needed (tools/install-deps.sh)"

cat >"$T/sg6.yaml" <<EOC
dataplane: {burst: 1, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, conntrack: 4096}}
interfaces:
  - {name: a, device: "net_pcap_s6a,rx_pcap=$T/in.pcap,tx_pcap=$T/a.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1,
         ipv6: {cidr: "2001:db8:1::/64"}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64"}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, ip6: "2001:db8:1::11",
         location: {interface: a, vlan: 1}, security_groups: [web]}
      - {name: vm3, network: web, mac: "02:00:0a:01:00:0d", ip: 10.1.0.13, ip6: "2001:db8:1::13",
         location: {interface: a, vlan: 3}, security_groups: [web]}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, ip6: "2001:db8:2::12",
         location: {interface: a, vlan: 2}}
    security_groups:
      - name: web
        rules:
          - {direction: ingress, ethertype: ipv6, protocol: tcp, ports: 80, remote: "::/0"}
EOC

python3 - "$T/in.pcap" <<'EOP'
import ipaddress, struct, sys

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip6(s): return ipaddress.IPv6Address(s).packed
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

VM1, VM2, VM3 = mac("02:00:0a:01:00:0b"), mac("02:00:0a:02:00:0c"), mac("02:00:0a:01:00:0d")
GW_WEB, GW_DB = mac("02:76:78:00:00:64"), mac("02:76:78:00:00:c8")
A1, A2, A3 = ip6("2001:db8:1::11"), ip6("2001:db8:2::12"), ip6("2001:db8:1::13")
VLAN = {VM1: 1, VM2: 2, VM3: 3}

def ip6pkt(src, dst, nh, l4, cks_at, hlim=64):
    ph = src + dst + struct.pack("!IxxxB", len(l4), nh)
    l4 = l4[:cks_at] + struct.pack("!H", csum(ph + l4)) + l4[cks_at + 2:]
    return struct.pack("!IHBB", 0x60000000, len(l4), nh, hlim) + src + dst + l4
def eth(dst_mac, src_mac, pkt):
    return dst_mac + src_mac + struct.pack("!HHH", 0x8100, VLAN[src_mac], 0x86dd) + pkt
def tcp(src, dst, sport, dport, flags, hlim=64):
    return ip6pkt(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, 1000, 0 if flags == 2
                                           else 2001, 0x50, flags, 65535, 0, 0), 16, hlim)
def icmp(src, dst, t, body, hlim=64):
    return ip6pkt(src, dst, 58, struct.pack("!BBH", t, 0, 0) + body, 2, hlim)

SYN, SYNACK = 0x02, 0x12
sol1 = ip6("ff02::1:ff00:11")
frames = [
    eth(GW_DB, VM2, tcp(A2, A1, 40000, 80, SYN)),                     # routed, new
    eth(GW_WEB, VM1, tcp(A1, A2, 80, 40000, SYNACK)),                 # the reply
    eth(GW_DB, VM2, tcp(A2, A1, 40001, 22, SYN)),                     # denied
    # vm2: vm1's segment to it (hop limit 63 when it arrived) was too big
    eth(GW_DB, VM2, icmp(A2, A1, 2, struct.pack("!I", 1280) + tcp(A1, A2, 80, 40000, 0x10, 63))),
    eth(VM1, VM3, tcp(A3, A1, 40002, 80, SYN)),                       # switched, new
    eth(VM3, VM1, tcp(A1, A3, 80, 40002, SYNACK)),                    # the reply
    eth(VM1, VM3, tcp(A3, A1, 40003, 22, SYN)),                       # denied
    eth(b"\x33\x33" + sol1[12:], VM3, icmp(A3, sol1, 135, b"\0" * 4 + A1 + b"\x01\x01" + VM3, 255)),
]
pcap(sys.argv[1], frames)
EOP

vxg_start sg6 "$T/sg6.yaml"
for _ in $(seq 1 100); do
	rx=$(vxg_ctl -j show stats | vxg_json 'sum(w["rx"] for w in d["workers"])')
	[ "$rx" -ge 8 ] && break
	sleep 0.05
done
[ "$rx" = 8 ] || fail "vxgate received $rx frames, expected 8"
vxg_ctl -j show stats >"$T/stats.json"
vxg_ctl show conntrack >"$T/ct.txt"
vxg_stop || fail "vxgate did not stop cleanly"

python3 - "$T/stats.json" <<'PY' || fail "show stats: $(cat "$T/stats.json")"
import json, sys

d = json.load(open(sys.argv[1]))
drops = {}
for w in d["workers"]:
    for k, v in w["drops"].items(): drops[k] = drops.get(k, 0) + v
bad = {k: v for k, v in drops.items() if v and k != "sg_ingress_deny"}
assert drops.get("sg_ingress_deny") == 2 and not bad, drops
PY
ok "tcp/22 denied twice (routed, switched) under sg_ingress_deny, nothing else dropped"

for flow in "2001:db8:2::12.*40000.*2001:db8:1::11.*80" "2001:db8:1::13.*40002.*2001:db8:1::11.*80"; do
	grep -Eq "$flow" "$T/ct.txt" || fail "show conntrack has no $flow: $(cat "$T/ct.txt")"
done
grep -Eq "4000[13]" "$T/ct.txt" && fail "show conntrack lists a denied flow: $(cat "$T/ct.txt")"
ok "show conntrack lists both IPv6 connections, not the denied ones"

got=$(tshark -r "$T/a.pcap" -Y "not icmpv6.type == 134" -T fields -E occurrence=f -e vlan.id \
	-e ipv6.src -e ipv6.dst -e ipv6.hlim -e tcp.dstport -e tcp.flags -e icmpv6.type \
	2>/dev/null | tr '\t' ' ')
want="1 2001:db8:2::12 2001:db8:1::11 63 80 0x0002 
2 2001:db8:1::11 2001:db8:2::12 63 40000 0x0012 
1 2001:db8:2::12 2001:db8:1::11 63 40000 0x0010 2
1 2001:db8:1::13 2001:db8:1::11 64 80 0x0002 
3 2001:db8:1::11 2001:db8:1::13 64 40002 0x0012 
1 2001:db8:1::13 ff02::1:ff00:11 255   135"
[ "$got" = "$want" ] || fail "out of a:
$got
expected:
$want"
ok "tcp/80 and its replies pass routed and switched, packet too big as related, the NS reaches vm1"
echo "sg6 test: all passed"
