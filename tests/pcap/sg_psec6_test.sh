#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Port security for IPv6 on the real binary in replay mode: vm3 (port security, a fixed
# IPv4 address in an IPv4-only network, so IPv6 from its link-local address only) sends
# what a VM may send (UDP and ping from fe80::EUI-64, DAD's NS and MLD report from ::,
# an NA for itself, an RS, a DHCPv6 Solicit) and what it may not (a spoofed source, UDP
# from ::, an NA for another address or with another MAC, an RA, a Redirect, DHCPv6
# server messages, a truncated header, an RA behind a Destination Options header). vm5,
# in the dual-stack network app with a fixed `ip6` and an IPv6 address pair, sends UDP
# from both and an NA for its address (allowed), and from another address of the /64 and
# an NA for vm6's (not). The allowed frames leave on the trunk unchanged (tshark reads
# them back); each other one is counted under its own drop reason, and nothing else is
# dropped.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-psec6-test.XXXXXX)
trap 'rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP

cat >"$T/psec6.yaml" <<EOC
dataplane: {burst: 32, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: local, device: "net_pcap_local,rx_pcap=$T/in.pcap,tx_pcap=$T/local.out.pcap", role: access}
  - {name: trunk, device: "net_pcap_trunk,tx_pcap=$T/trunk.out.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
      - {name: app, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64"}}
    ports:
      - {name: vm3, network: web, mac: "02:00:0a:01:00:03", ip: 10.1.0.3,
         location: {interface: local, vlan: 5}}
      - {name: vm4, network: web, mac: "02:00:0a:01:00:04", ip: 10.1.0.4,
         location: {interface: trunk, vlan: 6}}
      - {name: vm5, network: app, mac: "02:00:0a:02:00:05", ip: 10.2.0.5, ip6: "2001:db8:2::5",
         allowed_address_pairs: [{ip: "2001:db8:2::50"}], location: {interface: local, vlan: 7}}
      - {name: vm6, network: app, mac: "02:00:0a:02:00:06", ip: 10.2.0.6, ip6: "2001:db8:2::6",
         location: {interface: trunk, vlan: 8}}
EOC

python3 - "$T/in.pcap" <<'EOP'
import struct, sys

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ll(m):  # fe80::EUI-64
    return b"\xfe\x80" + b"\0" * 6 + bytes([m[0] ^ 2]) + m[1:3] + b"\xff\xfe" + m[3:]
def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed
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

VM3, VM4, OTHER = mac("02:00:0a:01:00:03"), mac("02:00:0a:01:00:04"), mac("02:00:0a:01:00:99")
UNSPEC = b"\0" * 16
def mcast(a): return b"\x33\x33" + a[12:]
VM5, VM6 = mac("02:00:0a:02:00:05"), mac("02:00:0a:02:00:06")
def frame(dst_mac, src, dst, nh, l4, cks_at=None, hbh=b"", smac=VM3, vlan=5):
    if cks_at is not None:  # ICMPv6 (2) or UDP (6): checksum over the pseudo-header
        ph = src + dst + struct.pack("!IxxxB", len(l4), 58 if cks_at == 2 else 17)
        l4 = l4[:cks_at] + struct.pack("!H", csum(ph + l4)) + l4[cks_at + 2:]
    pl = hbh + l4
    ip = struct.pack("!IHBB", 0x60000000, len(pl), nh if not hbh else 0, 255) + src + dst
    return dst_mac + smac + struct.pack("!HH", 0x8100, vlan) + b"\x86\xdd" + ip + pl
def icmp(dst_mac, src, dst, t, body, hbh=b"", **kw):
    return frame(dst_mac, src, dst, 58, struct.pack("!BBH", t, 0, 0) + body, 2, hbh, **kw)
def udp(dst_mac, src, dst, sport, dport, payload, **kw):
    return frame(dst_mac, src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
                 + payload, 6, **kw)
def na(src, target, lladdr, dst_mac=None, dst=None, **kw):
    opt = b"\x02\x01" + lladdr if lladdr else b""
    dst = dst or ip6("ff02::1")
    return icmp(dst_mac or mcast(dst), src, dst, 136, b"\x20\0\0\0" + target + opt, **kw)

L3, L4 = ll(VM3), ll(VM4)
A5, A6 = ip6("2001:db8:2::5"), ip6("2001:db8:2::6")
SOL = ip6("ff02::1:ff01:3")
allowed = [
    udp(VM4, L3, L4, 40000, 5001, b"ipv6 from fe80::EUI-64"),
    icmp(VM4, L3, L4, 128, struct.pack("!HH", 7, 1) + b"ping"),
    icmp(mcast(SOL), UNSPEC, SOL, 135, b"\0\0\0\0" + ip6("2001:db8:1::3")),  # DAD
    icmp(mcast(ip6("ff02::16")), UNSPEC, ip6("ff02::16"), 143, struct.pack("!HH", 0, 0),
         hbh=struct.pack("!BB", 58, 0) + b"\x05\x02\0\0\x01\0"),  # MLDv2, router alert
    na(L3, L3, VM3),
    icmp(mcast(ip6("ff02::2")), L3, ip6("ff02::2"), 133, b"\0\0\0\0"),  # RS
    udp(mcast(ip6("ff02::1:2")), L3, ip6("ff02::1:2"), 546, 547, b"\x01\0\0\x01"),  # Solicit
    # vm5: its fixed address, its pair, an NA for itself (unicast to vm6)
    udp(VM6, A5, A6, 40000, 5001, b"from ip6", smac=VM5, vlan=7),
    udp(VM6, ip6("2001:db8:2::50"), A6, 40000, 5001, b"from the pair", smac=VM5, vlan=7),
    na(A5, A5, VM5, VM6, A6, smac=VM5, vlan=7),
]
dropped = [
    udp(VM4, ip6("2001:db8:1::99"), L4, 40000, 5001, b"spoofed"),
    udp(VM4, UNSPEC, L4, 40000, 5001, b"from ::"),
    na(L3, ip6("2001:db8:1::3"), VM3),
    na(L3, L3, OTHER),
    icmp(mcast(ip6("ff02::1")), L3, ip6("ff02::1"), 134, b"\x40\0\x07\x08" + b"\0" * 8),  # RA
    icmp(VM4, L3, L4, 137, b"\0" * 36),  # Redirect
    udp(mcast(ip6("ff02::1")), L3, ip6("ff02::1"), 547, 546, b"\x02\0\0\x01"),  # Advertise
    udp(mcast(ip6("ff02::1:2")), L3, ip6("ff02::1:2"), 546, 547, b"\x07\0\0\x01"),  # Reply
    (VM4 + VM3 + b"\x81\x00\x00\x05\x86\xdd" + b"\x60" + b"\0" * 29),  # truncated
    frame(mcast(ip6("ff02::1")), L3, ip6("ff02::1"), 60,
          b"\x3a\0\x01\x04\0\0\0\0" + b"\x86\0\0\0" + b"\0" * 12),  # RA behind dest opts
    udp(VM6, ip6("2001:db8:2::51"), A6, 40000, 5001, b"spoofed in the /64", smac=VM5, vlan=7),
    na(A5, A6, VM5, VM6, A6, smac=VM5, vlan=7),  # vm6's address
]
pcap(sys.argv[1], allowed + dropped)
EOP

# shellcheck disable=SC2046
timeout 60 "$VXGATE" $(vxg_eal vxp6-replay) -- -c "$T/psec6.yaml" -s "$T/p6.sock" -d "$T/p6.state" --replay \
	>"$T/p6.out" 2>&1 || fail "replay run: $(cat "$T/p6.out")"
# tx: the 10 allowed frames, and the router's first RAs on app's two VLANs (tshark below
# tells them apart).
grep -Eq "^replay: rx 22 tx 1[0-2] punted 0 dropped 12$" "$T/p6.out" || fail "totals: $(cat "$T/p6.out")"
drops() { sed -n "s/^replay: drop $1 //p" "$T/p6.out"; }
for r in psec_ip6_src:3 psec_nd_target:2 psec_nd_lladdr:1 psec_ra_guard:2 psec_dhcp6_server:2 \
	psec_ip6_header:2; do
	n=$(drops "${r%%:*}")
	[ "$n" = "${r#*:}" ] || fail "drop ${r%%:*}: ${n:-0}, expected ${r#*:}: $(cat "$T/p6.out")"
done
ok "each IPv6 frame port security refuses is dropped under its own reason, and only those"

if command -v tshark >/dev/null; then
	got=$(tshark -r "$T/trunk.out.pcap" -Y "not icmpv6.type == 134" -T fields -e vlan.id -e ipv6.src -e icmpv6.type -e udp.dstport 2>/dev/null |
		tr '\t' ' ')
	want="6 fe80::aff:fe01:3  5001
6 fe80::aff:fe01:3 128 
6 :: 135 
6 :: 143 
6 fe80::aff:fe01:3 136 
6 fe80::aff:fe01:3 133 
6 fe80::aff:fe01:3  547
8 2001:db8:2::5  5001
8 2001:db8:2::50  5001
8 2001:db8:2::5 136 "
	[ "$got" = "$want" ] || fail "trunk got:
$got
expected:
$want"
	ok "UDP and ping from the link-local address, DAD's NS and MLD report, an NA, an RS and a DHCPv6 Solicit are switched to vm4's VLAN; vm5's fixed address, pair and NA to vm6's"
else
	echo "ok - # SKIP tshark not installed: the switched frames are not read back"
fi
