#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the fuzzers' seed corpus (tests/fuzz/corpus/NAME): make-corpus.py PCAPGEN.

pipeline: pcapgen's scenarios and hand-made frames (ARP, pings, TTL and MTU errors,
  neighbour resolution, handshakes, SNAT replies and ICMP errors, hairpins, VXLAN
  oddities) on the interfaces of vxgate-fuzz.yaml, in fz_run's format (fuzz_daemon.h).
dhcp: client conversations in fuzz_dhcp.c's format, and a lease file.
dhcp6: DHCPv6 conversations (every client message, with and without options) in
  fuzz_dhcp6.c's format, for vxgate-fuzz6.yaml, and its state files.
config: the configs of the repository and variants of vxgate-fuzz.yaml (one dual-stack).
cli: every command, in text and JSON.
Identical runs write identical files; the corpus is committed, this regenerates it.
"""
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEP = b"\xa5VXG"
# Interfaces of vxgate-fuzz.yaml, as fz_run numbers them.
UPLINK, WAN, WAN2, LOCAL, TRUNK = range(5)
TICK = 0x20

BCAST = "ff:ff:ff:ff:ff:ff"
UL_MAC, VTEP2_MAC = "02:00:ac:10:00:01", "02:00:ac:10:00:02"
WAN_MAC, WAN_GW_MAC = "02:00:cb:00:71:02", "02:00:cb:00:71:01"
WAN2_MAC = "02:00:c6:12:00:02"
VM1, VM2 = "02:00:0a:01:00:0b", "02:00:0a:02:00:0c"
VM3, VM4 = "02:00:0a:01:00:fe", "02:00:0a:02:00:0d"
R1 = "02:00:0b:01:00:04"
HOST_DB = "02:00:0a:02:00:32"  # no port's: a learned host on trunk VLAN 10 (db)


def gw_mac(vni):
    return "02:76:78:%02x:%02x:%02x" % (vni >> 16, vni >> 8 & 255, vni & 255)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip(s):
    return bytes(int(x) for x in s.split("."))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst, src, etype, payload, vlan=None):
    h = mac(dst) + mac(src)
    if vlan is not None:
        h += struct.pack("!HH", 0x8100, vlan)
    return h + struct.pack("!H", etype) + payload


def ipv4(src, dst, proto, payload, ttl=64, df=False, frag=0, mf=False, opts=b"", ident=1):
    ihl = 5 + len(opts) // 4
    flags = (0x4000 if df else 0) | (0x2000 if mf else 0) | frag
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, flags, ttl,
                    proto, 0, ip(src), ip(dst)) + opts
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def l4sum(src, dst, proto, seg):
    return csum(ip(src) + ip(dst) + struct.pack("!BBH", 0, proto, len(seg)) + seg)


def udp(src, dst, sport, dport, payload, **kw):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = l4sum(src, dst, 17, seg) or 0xFFFF
    return ipv4(src, dst, 17, seg[:6] + struct.pack("!H", c) + seg[8:], **kw)


def tcp(src, dst, sport, dport, flags, seq=1000, ack=0, payload=b"", **kw):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 0x50, flags, 64240, 0, 0) + payload
    c = l4sum(src, dst, 6, seg)
    return ipv4(src, dst, 6, seg[:16] + struct.pack("!H", c) + seg[18:], **kw)


def icmp(src, dst, typ, code, rest=b"\0\0\0\0", payload=b"", **kw):
    m = struct.pack("!BBH", typ, code, 0) + rest + payload
    return ipv4(src, dst, 1, m[:2] + struct.pack("!H", csum(m)) + m[4:], **kw)


def echo(src, dst, ident=0x1234, seq=1, **kw):
    return icmp(src, dst, 8, 0, struct.pack("!HH", ident, seq), b"ping" * 8, **kw)


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + mac(sha) + ip(spa) + mac(tha) + ip(tpa)


def arp_frame(op, src, spa, tpa, dst=BCAST, tha="00:00:00:00:00:00", vlan=None):
    return eth(dst, src, 0x0806, arp(op, src, spa, tha, tpa), vlan)


def ip_frame(dst, src, packet, vlan=None):
    return eth(dst, src, 0x0800, packet, vlan)


def vxlan(inner, vni, src="172.16.0.2", sport=50000, flags=0x08):
    v = struct.pack("!BBHI", flags, 0, 0, vni << 8) + inner
    return ip_frame(UL_MAC, VTEP2_MAC, udp(src, "172.16.0.1", sport, 4789, v))


def chunk(ifi, frame, copies=1, tick=False):
    return bytes([ifi | (copies - 1) << 3 | (TICK if tick else 0)]) + frame


def dhcp_msg(mtype, chaddr, xid=0x1234, ciaddr="0.0.0.0", giaddr="0.0.0.0", flags=0, opts=b"",
             op=1):
    fixed = struct.pack("!BBBBIHH4s4s4s4s", op, 1, 6, 0, xid, 0, flags, ip(ciaddr), ip("0.0.0.0"),
                        ip("0.0.0.0"), ip(giaddr))
    fixed += mac(chaddr) + b"\0" * 10 + b"\0" * 64 + b"\0" * 128 + b"\x63\x82\x53\x63"
    return fixed + bytes([53, 1, mtype]) + opts + b"\xff"


def opt(code, value):
    return bytes([code, len(value)]) + value


PRL = opt(55, bytes([1, 3, 6, 15, 26, 28, 51, 54, 121]))


def dhcp_frame(msg, src, dst_ip="255.255.255.255", dst_mac=BCAST, vlan=None):
    return ip_frame(dst_mac, src, udp("0.0.0.0", dst_ip, 68, 67, msg), vlan)


def pcap_frames(path):
    b = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(b):
        incl = struct.unpack_from("<I", b, off + 8)[0]
        out.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def pcapgen(tool, tmp, scenario, n, *args):
    out = os.path.join(tmp, scenario + ".pcap")
    subprocess.run([tool, scenario, "-n", str(n), "-o", out] + list(args), check=True)
    return pcap_frames(out)


def pipeline_from_pcapgen(tool, tmp):
    ext = ["--dst-mac", WAN_MAC]
    s = {}
    s["encap"] = [chunk(LOCAL, f) for f in pcapgen(tool, tmp, "encap", 2)]
    s["encap-vtep3"] = [chunk(LOCAL, f) for f in pcapgen(
        tool, tmp, "encap", 2, "--dst-mac", "02:00:0a:02:00:0e", "--dst-ip", "10.2.0.14")]
    s["decap"] = [chunk(UPLINK, f) for f in pcapgen(tool, tmp, "decap", 3, "--macs", "2")]
    s["l2"] = [chunk(TRUNK, f) for f in pcapgen(
        tool, tmp, "l2", 2, "--src-mac", HOST_DB, "--dst-mac", VM2, "--src-ip", "10.2.0.50")]
    s["routed"] = [chunk(LOCAL, f, copies=4) for f in pcapgen(tool, tmp, "routed", 1)]
    s["sg"] = [chunk(LOCAL, f) for f in pcapgen(tool, tmp, "sg", 3, "--flows", "2")]
    s["sg-syn"] = [chunk(LOCAL, f) for f in pcapgen(tool, tmp, "sg-syn", 2)]
    snat = pcapgen(tool, tmp, "snat", 2, "--flows", "2")
    s["snat"] = [chunk(LOCAL, f) for f in snat]
    reply = pcapgen(tool, tmp, "snat-reply", 1, *ext)[0]
    s["snat-reply"] = [chunk(LOCAL, snat[0]), chunk(WAN, reply)]
    s["snat-tcp"] = [chunk(LOCAL, pcapgen(tool, tmp, "snat", 1, "--proto", "tcp")[0]),
                     chunk(WAN, pcapgen(tool, tmp, "snat-reply", 1, "--proto", "tcp", *ext)[0])]
    s["snat-icmp"] = [chunk(LOCAL, pcapgen(tool, tmp, "snat", 1, "--proto", "icmp")[0]),
                      chunk(WAN, pcapgen(tool, tmp, "snat-reply", 1, "--proto", "icmp", *ext)[0])]
    s["fip"] = [chunk(WAN, f) for f in pcapgen(tool, tmp, "fip", 2, *ext)]
    s["fip-tcp"] = [chunk(WAN, f) for f in pcapgen(tool, tmp, "fip", 1, "--proto", "tcp", *ext)]
    s["mixed"] = [chunk(TRUNK if f[12:14] == b"\x81\x00" else LOCAL, f)
                  for f in pcapgen(tool, tmp, "mixed", 3)]
    s["dhcp"] = [chunk(TRUNK, f) for f in pcapgen(tool, tmp, "dhcp", 2, "--vlan", "10")]
    s["garbage"] = [chunk(UPLINK, f) for f in pcapgen(tool, tmp, "garbage", 11)]
    return s


def from_vm2(packet, copies=1, tick=False):
    """vm2 (local, untagged, db) sends packet to its gateway."""
    return chunk(LOCAL, ip_frame(gw_mac(200), VM2, packet), copies, tick)


def from_vm1(packet, dst=None):
    """vm1 (behind VTEP 172.16.0.2, web) sends packet to dst (its gateway)."""
    return chunk(UPLINK, vxlan(ip_frame(dst or gw_mac(100), VM1, packet), 100))


def from_wan(packet):
    """The internet, through wan's gateway."""
    return chunk(WAN, ip_frame(WAN_MAC, WAN_GW_MAC, packet))


def from_r1(packet, tick=False):
    """red's r1 (trunk VLAN 40) sends packet to its gateway."""
    return chunk(TRUNK, ip_frame(gw_mac(300), R1, packet, vlan=40), tick=tick)


def pipeline_arp():
    s = {}
    db = gw_mac(200)
    s["arp-gw"] = [chunk(LOCAL, arp_frame(1, VM2, "10.2.0.12", "10.2.0.1")),
                   chunk(TRUNK, arp_frame(1, VM4, "0.0.0.0", "10.2.0.1", vlan=10))]
    vtep3, ul_gw = "02:00:ac:10:00:03", "02:00:ac:10:00:fe"
    s["arp-underlay"] = [
        chunk(UPLINK, arp_frame(1, VTEP2_MAC, "172.16.0.2", "172.16.0.1")),
        chunk(UPLINK, arp_frame(2, vtep3, "172.16.0.3", "172.16.0.1", UL_MAC, UL_MAC)),
        chunk(UPLINK, arp_frame(1, ul_gw, "172.16.0.254", "172.16.0.1"), tick=True),
        chunk(UPLINK, arp_frame(1, "02:00:ac:10:00:42", "172.16.0.66", "172.16.0.1"))]
    s["arp-wan"] = [chunk(WAN, arp_frame(1, WAN_GW_MAC, "203.0.113.1", a))
                    for a in ("203.0.113.2", "203.0.113.20", "203.0.113.10", "203.0.113.99")]
    wan2_gw = "02:00:c6:12:00:01"
    s["arp-wan2"] = [chunk(WAN2, arp_frame(2, wan2_gw, "198.18.0.1", "198.18.0.2",
                                           WAN2_MAC, WAN2_MAC))]
    s["nexthop"] = [
        from_vm2(udp("10.2.0.12", "192.168.50.1", 40000, 5001, b"held")),
        chunk(TRUNK, arp_frame(2, HOST_DB, "10.2.0.50", "10.2.0.1", db, db, vlan=10)),
        from_vm2(udp("10.2.0.12", "10.2.0.77", 40000, 5001, b"miss"), tick=True)]
    return s


def pipeline_icmp():
    s = {}
    s["ping-gw"] = [from_vm2(echo("10.2.0.12", "10.2.0.1")),
                    from_vm2(echo("10.2.0.12", "10.1.0.1"))]
    s["ping-ifaces"] = [
        chunk(UPLINK, ip_frame(UL_MAC, VTEP2_MAC, echo("172.16.0.2", "172.16.0.1"))),
        from_wan(echo("203.0.113.1", "203.0.113.2")),
        from_wan(echo("198.51.100.7", "203.0.113.10"))]
    s["ping-snat-inside"] = [from_vm2(echo("10.2.0.12", "203.0.113.10"))]
    s["udp-to-gw"] = [from_vm2(udp("10.2.0.12", "10.2.0.1", 5000, 33434, b"x"))]
    s["ttl"] = [from_vm2(udp("10.2.0.12", "10.1.0.11", 40000, 33434, b"t", ttl=1)),
                from_wan(udp("198.51.100.10", "203.0.113.20", 40000, 33434, b"t", ttl=1))]
    big = bytes(range(256)) * 6
    s["mtu"] = [from_vm1(udp("10.1.0.11", "10.2.0.12", 40000, 5001, big[:1392], df=True)),
                from_vm1(udp("10.1.0.11", "10.2.0.12", 40000, 5001, big[:1392]))]
    s["mtu-wan2"] = [from_r1(udp("10.1.0.4", "198.18.99.1", 1, 2, big[:1420], df=True))]
    quote = udp("203.0.113.10", "198.51.100.10", 40000, 5001, b"q" * 22)[:28]
    s["snat-icmp-error"] = [
        from_vm2(udp("10.2.0.12", "198.51.100.10", 40000, 5001, b"q" * 22)),
        from_wan(icmp("192.0.2.1", "203.0.113.10", 3, 3, b"\0\0\0\0", quote))]
    quote = udp("203.0.113.20", "198.51.100.1", 1, 2, b"")[:28]
    s["fip-icmp-error"] = [from_wan(icmp("192.0.2.1", "203.0.113.20", 11, 0, b"\0\0\0\0", quote))]
    return s


def pipeline_sg():
    s = {}
    web = gw_mac(100)
    syn = tcp("10.2.0.12", "10.1.0.11", 40001, 80, 0x02, 1000)
    synack = tcp("10.1.0.11", "10.2.0.12", 80, 40001, 0x12, 5000, 1001)
    ack = tcp("10.2.0.12", "10.1.0.11", 40001, 80, 0x10, 1001, 5001, b"GET /")
    fin = tcp("10.1.0.11", "10.2.0.12", 80, 40001, 0x11, 5001, 1006)
    rst = tcp("10.2.0.12", "10.1.0.11", 40001, 80, 0x04, 1006)
    s["handshake"] = [from_vm2(syn), from_vm1(synack), from_vm2(ack), from_vm1(fin),
                      from_vm2(rst)]
    s["sg-deny"] = [from_vm1(tcp("10.1.0.11", "10.2.0.12", 1, 22, 2)),
                    from_vm1(tcp("10.1.0.11", "10.2.0.12", 1, 5432, 2))]
    s["stateless"] = [
        chunk(TRUNK, ip_frame(web, VM3, echo("10.1.0.3", "10.1.0.11"), vlan=30)),
        chunk(TRUNK, ip_frame(VM1, VM3, ipv4("10.1.0.33", "10.1.0.11", 47, b"gre!"), vlan=30))]
    sctp = ipv4("10.1.0.11", "10.2.0.12", 132, struct.pack("!HHII", 5, 9, 0, 0))
    s["sctp"] = [from_vm1(sctp)]
    s["spoof"] = [
        from_vm2(udp("10.2.0.99", "10.1.0.11", 1, 2, b"s")),
        chunk(LOCAL, ip_frame(gw_mac(200), "02:00:0a:02:00:99",
                              udp("10.2.0.12", "10.1.0.11", 1, 2, b"s"))),
        from_vm1(udp("10.1.0.200", "10.2.0.12", 1, 2, b"p")),
        chunk(LOCAL, ip_frame(VM2, VM2, udp("10.2.0.12", "10.2.0.1", 67, 68, b"srv")))]
    return s


def pipeline_nat():
    s = {}
    s["hairpin"] = [from_vm2(udp("10.2.0.12", "203.0.113.20", 40000, 5001, b"hp")),
                    from_r1(udp("10.1.0.4", "198.18.0.20", 1, 2, b"hp"))]
    wan2_gw = "02:00:c6:12:00:01"
    s["red-snat"] = [from_r1(udp("10.1.0.4", "8.8.8.8", 3000, 53, b"q"), tick=True),
                     chunk(WAN2, arp_frame(2, wan2_gw, "198.18.0.1", "198.18.0.2",
                                           WAN2_MAC, WAN2_MAC))]
    s["route-uplink"] = [from_vm2(tcp("10.2.0.12", "172.31.1.1", 40000, 22, 2))]
    s["ip-odd"] = [
        from_vm2(udp("10.2.0.12", "10.1.0.11", 1, 2, b"o", opts=b"\x01\x01\x01\x00")),
        from_vm2(udp("10.2.0.12", "10.1.0.11", 1, 2, b"f" * 16, mf=True)),
        from_vm2(ipv4("10.2.0.12", "198.51.100.1", 17, b"tail", frag=8)),
        from_wan(ipv4("198.51.100.1", "203.0.113.10", 17, b"x", frag=3)),
        from_vm2(ipv4("10.2.0.12", "198.51.100.1", 132, b"\0" * 12))]
    return s


def pipeline_l2():
    s = {}
    bcast = udp("10.1.0.11", "10.1.0.255", 1, 2, b"b")
    red = ip_frame(gw_mac(300), "02:00:0b:01:00:05", udp("10.1.0.5", "8.8.4.4", 9, 9, b"r"))
    s["vxlan-odd"] = [
        chunk(UPLINK, vxlan(arp_frame(1, VM1, "10.1.0.11", "10.1.0.1"), 100)),
        from_vm1(bcast, BCAST),
        chunk(UPLINK, vxlan(ip_frame(VM1, "02:00:0a:01:00:99", b"\0" * 20), 999)),
        chunk(UPLINK, vxlan(ip_frame(VM3, VM1, b"\x45"), 100, flags=0)),
        chunk(UPLINK, vxlan(red, 300))]
    s["vxlan-dhcp"] = [chunk(UPLINK, vxlan(dhcp_frame(dhcp_msg(1, VM1, opts=PRL), VM1), 100))]
    s["flood"] = [
        chunk(TRUNK, ip_frame("02:00:0a:05:00:99", "02:00:0a:05:00:07",
                              udp("10.5.0.7", "10.5.0.9", 1, 2, b"f"), vlan=50)),
        chunk(TRUNK, ip_frame("01:00:5e:00:00:01", HOST_DB,
                              udp("10.2.0.50", "224.0.0.1", 1, 2, b"m"), vlan=10)),
        chunk(TRUNK, ip_frame(BCAST, VM3, udp("10.1.0.3", "10.1.0.255", 1, 2, b"b"), vlan=30))]
    return s


def pipeline_hand():
    s = {}
    for part in (pipeline_arp, pipeline_icmp, pipeline_sg, pipeline_nat, pipeline_l2):
        s.update(part())
    return s


def dhcp_corpus():
    c = {}
    cl = "02:00:0a:01:00:77"
    host = "02:00:0a:01:00:64"

    def m(net, kind, msg, step=0):
        return bytes([net | kind << 2 | step << 4]) + msg

    def opts_ip(code, a):
        return opt(code, ip(a))

    hello = PRL + opt(12, b"vm-77") + opt(61, b"\x01" + mac(cl))
    req = PRL + opts_ip(50, "10.1.0.100") + opts_ip(54, "10.1.0.1")
    c["dora"] = [m(0, 0, dhcp_msg(1, cl, opts=hello)),
                 m(0, 0, dhcp_msg(3, cl, opts=req + opt(12, b"vm-77")), 2),
                 m(0, 2, dhcp_msg(3, cl, ciaddr="10.1.0.100", opts=PRL), 8),
                 m(0, 2, dhcp_msg(7, cl, ciaddr="10.1.0.100", opts=opts_ip(54, "10.1.0.1")), 3)]
    want = opts_ip(50, "10.2.0.100")
    c["decline"] = [m(1, 0, dhcp_msg(1, cl)), m(1, 0, dhcp_msg(3, cl, opts=want)),
                    m(1, 0, dhcp_msg(4, cl, opts=want + opts_ip(54, "10.2.0.1")), 13),
                    m(1, 0, dhcp_msg(1, cl), 14)]
    c["inform"] = [m(0, 2, dhcp_msg(8, cl, ciaddr="10.1.0.5", opts=PRL)),
                   m(0, 0, dhcp_msg(8, cl))]
    c["static"] = [m(0, 0, dhcp_msg(1, host, opts=PRL)), m(2, 0, dhcp_msg(1, "02:00:0b:01:00:09")),
                   m(2, 0, dhcp_msg(1, cl)), m(3, 0, dhcp_msg(1, cl))]
    c["port"] = [m(1, 0, dhcp_msg(1, "02:00:0a:02:00:0d", opts=PRL)),
                 m(0, 0, dhcp_msg(3, "02:00:0a:01:00:0b", opts=opts_ip(50, "10.1.0.11")))]
    relay = dhcp_msg(1, cl, giaddr="10.1.0.254", flags=0x8000, opts=opt(57, b"\x02\x40"))
    c["relay"] = [m(0, 0, relay)]
    other = opts_ip(50, "10.1.0.100") + opts_ip(54, "10.9.9.9")
    c["wrong-server"] = [m(0, 0, dhcp_msg(3, cl, opts=other)),
                         m(0, 0, dhcp_msg(3, cl, opts=opts_ip(50, "10.7.0.1")))]
    ov = bytearray(dhcp_msg(1, cl, opts=opt(52, b"\x03")))
    ov[108:108 + 6] = opt(55, bytes([1, 3, 121])) + b"\xff"  # file field
    ov[44:44 + 5] = opt(12, b"sn") + b"\xff"  # sname field
    c["overload"] = [m(0, 0, bytes(ov))]
    c["pool-full"] = [m(1, 0, dhcp_msg(1, "02:00:0a:02:10:%02x" % i), 0) for i in range(16)]
    c["raw-frame"] = [m(0, 1, dhcp_frame(dhcp_msg(1, cl), cl))]
    c["lease-file"] = [m(0, 3, b"# leases\nblue/web 02:00:0a:01:00:77 10.1.0.101 4102444800 vm77\n"
                             b"blue/db 02:00:0a:02:10:01 10.2.0.105 4102444800 -\n"
                             b"blue/web 02:00:0a:01:00:64 10.1.0.50 4102444800 static\n"
                             b"red/web 02:00:0a:01:00:77 10.1.0.101 1 -\n")]
    return c


# ---- DHCPv6 (fuzz_dhcp6.c, vxgate-fuzz6.yaml) --------------------------------------------
D6_SOLICIT, D6_REQUEST, D6_CONFIRM, D6_RENEW, D6_REBIND = 1, 3, 4, 5, 6
D6_RELEASE, D6_DECLINE, D6_INFO = 8, 9, 11
D6_DB, D6_APP, D6_WEB, D6_BARE = range(4)  # the networks, as the harness numbers them
D6_MCAST, D6_FRAME, D6_UNICAST, D6_FILE = range(4)
D6_T0 = 1767225600  # the harness's clock at start: its DUID-LLT's time


def ip6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def opt6(code, value=b""):
    return struct.pack("!HH", code, len(value)) + value


def duid_ll(m):
    return struct.pack("!HH", 3, 1) + mac(m)


def duid_llt(m, t=0x2A000000):
    return struct.pack("!HHI", 1, 1, t) + mac(m)


# The server's DUID: a DUID-LLT of db's gateway MAC (vni 200) at D6_T0.
D6_SERVER = duid_llt(gw_mac(200), D6_T0 - 946684800)
D6_ORO = opt6(6, struct.pack("!HH", 23, 24))
D6_ELAPSED = opt6(8, b"\0\0")


def ia_na(iaid, *addrs, t1=0, t2=0):
    body = struct.pack("!III", iaid, t1, t2)
    for a in addrs:
        body += opt6(5, ip6(a) + struct.pack("!II", 0, 0))
    return opt6(3, body)


def d6(mtype, client=None, server=None, ia=None, extra=D6_ORO + D6_ELAPSED, xid=0x1234):
    m = struct.pack("!I", mtype << 24 | xid)
    if client is not None:
        m += opt6(1, client)
    if server is not None:
        m += opt6(2, server)
    if ia is not None:
        m += ia
    return m + extra


def d6_frame(msg, src, dst="ff02::1:2", dst_mac="33:33:00:01:00:02"):
    """A whole frame, checksummed, from src's link-local address."""
    b = mac(src)
    ll = ip6("fe80::")[:8] + bytes([b[0] ^ 2]) + b[1:3] + b"\xff\xfe" + b[3:6]
    seg = struct.pack("!HHHH", 546, 547, 8 + len(msg), 0) + msg
    pseudo = ll + ip6(dst) + struct.pack("!IxxxB", len(seg), 17)
    seg = seg[:6] + struct.pack("!H", csum(pseudo + seg) or 0xFFFF) + seg[8:]
    hdr = struct.pack("!IHBB", 6 << 28, len(seg), 17, 1) + ll + ip6(dst)
    return eth(dst_mac, src, 0x86DD, hdr + seg)


def dhcp6_corpus():
    c = {}
    cl, vm2, vm4, vm1 = "02:00:0a:02:00:77", "02:00:0a:02:00:0c", "02:00:0a:02:00:0d", VM1
    me = duid_ll(cl)

    def m(net, kind, msg, step=0):
        return bytes([net | kind << 2 | step << 4]) + msg

    got = ia_na(1, "2001:db8:2::100")
    c["exchange"] = [
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, ia=ia_na(1))),
        m(D6_DB, D6_MCAST, d6(D6_REQUEST, me, D6_SERVER, got), 2),
        m(D6_DB, D6_UNICAST, d6(D6_RENEW, me, D6_SERVER, got), 10),
        m(D6_DB, D6_MCAST, d6(D6_REBIND, me, ia=got), 12),
        m(D6_DB, D6_UNICAST, d6(D6_RELEASE, me, D6_SERVER, got), 3),
        m(D6_DB, D6_MCAST, d6(D6_RENEW, me, D6_SERVER, got), 1)]
    c["rapid-commit"] = [m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, ia=ia_na(2), extra=opt6(14))),
                         m(D6_WEB, D6_MCAST, d6(D6_SOLICIT, me, ia=ia_na(2), extra=opt6(14)))]
    c["decline"] = [m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, ia=ia_na(1))),
                    m(D6_DB, D6_MCAST, d6(D6_REQUEST, me, D6_SERVER, got)),
                    m(D6_DB, D6_MCAST, d6(D6_DECLINE, me, D6_SERVER, got), 1),
                    m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, ia=ia_na(1)), 13)]
    c["confirm"] = [
        m(D6_DB, D6_MCAST, d6(D6_CONFIRM, me, ia=ia_na(1, "2001:db8:2::100", "2001:db8:9::1"))),
        m(D6_DB, D6_MCAST, d6(D6_CONFIRM, me, ia=ia_na(1, "2001:db8:2::101"))),
        m(D6_DB, D6_MCAST, d6(D6_CONFIRM, me, ia=ia_na(1)))]
    c["information-request"] = [
        m(D6_APP, D6_MCAST, d6(D6_INFO, duid_ll("02:00:0a:03:00:0d"))),
        m(D6_DB, D6_UNICAST, d6(D6_INFO, me)),
        m(D6_BARE, D6_MCAST, d6(D6_INFO, me))]
    # Every message with no option at all: only an Information-request is valid bare.
    c["no-options"] = [m(D6_APP, D6_MCAST, d6(t, extra=b""))
                       for t in (D6_INFO, D6_SOLICIT, D6_REQUEST, D6_CONFIRM, D6_RENEW,
                                 D6_REBIND, D6_RELEASE, D6_DECLINE)]
    c["ports"] = [
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, duid_llt(vm2), ia=ia_na(7))),
        m(D6_DB, D6_MCAST, d6(D6_REQUEST, duid_llt(vm2), D6_SERVER, ia_na(7, "2001:db8:2::22"))),
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, duid_ll(vm4), ia=ia_na(8, "2001:db8:2::104"))),
        m(D6_WEB, D6_UNICAST, d6(D6_REQUEST, duid_ll(vm1), D6_SERVER, ia_na(9)), 8),
        m(D6_DB, D6_MCAST, d6(D6_RELEASE, duid_llt(vm2), D6_SERVER, ia_na(7, "2001:db8:2::22")))]
    c["pool-full"] = [m(D6_DB, D6_MCAST, d6(D6_SOLICIT, duid_ll("02:00:0a:02:10:%02x" % i),
                                           ia=ia_na(i), extra=opt6(14)))
                      for i in range(16)]
    other = duid_llt("02:00:00:00:00:99")
    c["not-for-us"] = [m(D6_DB, D6_MCAST, d6(D6_REQUEST, me, other, got)),
                       m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, other, ia_na(1)))]
    c["malformed"] = [
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, extra=opt6(3, b"\0" * 8))),
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, extra=opt6(3, b"\0" * 12 + opt6(5, b"\0" * 8)))),
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, extra=opt6(1, me))),
        m(D6_DB, D6_MCAST, d6(D6_SOLICIT, me, extra=b"\0\x08\0\x09\0")),
        m(D6_DB, D6_MCAST, d6(2, me, ia=ia_na(1)))]
    c["raw-frame"] = [
        m(D6_DB, D6_FRAME, d6_frame(d6(D6_SOLICIT, me, ia=ia_na(1)), cl)),
        m(D6_DB, D6_FRAME, d6_frame(d6(D6_INFO, me), cl, "fe80::76:78ff:fe00:c8", gw_mac(200)))]
    hexd = lambda d: d.hex().encode()
    c["lease-file"] = [m(D6_DB, D6_FILE, b"# leases\n"
                         b"blue/db " + hexd(me) + b" 1 2001:db8:2::100 4102444800\n"
                         b"blue/db " + hexd(duid_ll(vm4)) + b" 8 2001:db8:2::104 4102444800\n"
                         b"blue/db " + hexd(me) + b" 2 2001:db8:2::101 1\n"
                         b"blue/web " + hexd(me) + b" 1 2001:db8:1::100 4102444800\n"
                         b"blue/db zz 3 2001:db8:2::102 4102444800\n")]
    c["duid-file"] = [m(D6_APP, D6_FILE, hexd(duid_llt("02:00:00:00:00:01")) + b"\n")]
    return c


def cli_corpus():
    cmds = ["help", "show version", "show config", "show control", "show interfaces",
            "show stats", "show memory", "show fdb", "show fdb web", "show fdb 200", "show vtep", "show neighbours",
            "show neighbours blue", "show route", "show route red", "show router",
            "show router blue", "show security-groups", "show security-groups blue/vm1",
            "show security-groups vm2", "show conntrack", "show conntrack blue", "show nat",
            "show nat blue", "show nat sessions", "show nat sessions blue",
            "show nat sessions vpc=blue,ip=10.2.0.12,port=40000,proto=udp,limit=2",
            "show dhcp leases", "show dhcp leases blue/web", "show dhcp stats", "clear stats",
            "clear fdb", "clear fdb db", "clear conntrack", "clear conntrack blue",
            "clear nat sessions", "clear nat sessions red", "trace start",
            "trace start 5 on local", "trace start 5 on local udp port 53", "trace start 1000 on uplink",
            "trace stop", "trace clear",
            "show trace", "reload", "quit"]
    c = {}
    for cmd in cmds:
        name = cmd.replace(" ", "_").replace("/", "_").replace(",", "_")[:40]
        c[name] = cmd + "\n-j " + cmd + "\n"
    c["sequence"] = "show fdb\nclear fdb\nshow fdb\n-j show nat sessions\nclear nat sessions\n"
    return c


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def dual_stack(base):
    """vxgate-fuzz.yaml with every IPv6 field: networks' ipv6 blocks, ports' ip6 (and one
    by EUI-64), a pair, routes, an interface's address6, rules and an address set."""
    subs = [
        (b"address: 203.0.113.2/24, gateway: 203.0.113.1,",
         b"address: 203.0.113.2/24, gateway: 203.0.113.1,\n"
         b"     address6: \"2001:db8:ff::2/64\", gateway6: \"2001:db8:ff::1\","),
        (b"        mtu: 1450\n",
         b"        mtu: 1450\n"
         b"        ipv6: {cidr: \"2001:db8:1::/64\", mode: dhcpv6-stateless, dns: [\"2001:db8::53\"],\n"
         b"               domain: blue.example, ra_interval: 30, ra_lifetime: 0}\n"),
        (b"dhcp: {range: [10.2.0.100, 10.2.0.115], lease: 120}}",
         b"dhcp: {range: [10.2.0.100, 10.2.0.115], lease: 120},\n"
         b"         ipv6: {cidr: \"2001:db8:2::/64\", mode: dhcpv6-stateful, lease: 600,\n"
         b"                range: [\"2001:db8:2::100\", \"2001:db8:2::1ff\"]}}"),
        (b"ip: 10.2.0.12, location", b"ip: 10.2.0.12, ip6: \"2001:db8:2::12\", location"),
        (b"{ip: 10.1.0.128/25}", b"{ip: 10.1.0.128/25}, {ip: \"2001:db8:1::/120\"}"),
        (b"          - {direction: ingress, protocol: tcp, ports: 80, remote: 0.0.0.0/0}\n",
         b"          - {direction: ingress, protocol: tcp, ports: 80, remote: 0.0.0.0/0}\n"
         b"          - {direction: ingress, ethertype: ipv6, protocol: tcp, ports: 80, remote: \"::/0\"}\n"
         b"          - {direction: ingress, protocol: icmpv6, type: 128, code: 0}\n"),
        (b"203.0.113.1]}", b"203.0.113.1, \"2001:db8:ff::/48\"]}"),
        (b"      - {prefix: 0.0.0.0/0, via: wan}\n",
         b"      - {prefix: 0.0.0.0/0, via: wan}\n      - {prefix: \"::/0\", via: wan}\n"
         b"      - {prefix: \"2001:db8:50::/48\", nexthop: \"2001:db8:2::50\"}\n"),
    ]
    for old, new in subs:
        assert old in base, old
        base = base.replace(old, new, 1)
    return base


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    corpus = os.path.join(HERE, "corpus")
    for name in ("pipeline", "dhcp", "dhcp6", "config", "cli"):
        shutil.rmtree(os.path.join(corpus, name), ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        seeds = pipeline_from_pcapgen(sys.argv[1], tmp)
    seeds.update(pipeline_hand())
    for name, chunks in sorted(seeds.items()):
        write(os.path.join(corpus, "pipeline"), name, SEP.join(chunks))
    for name, msgs in sorted(dhcp_corpus().items()):
        write(os.path.join(corpus, "dhcp"), name, SEP.join(msgs))
    for name, msgs in sorted(dhcp6_corpus().items()):
        write(os.path.join(corpus, "dhcp6"), name, SEP.join(msgs))
    root = os.path.dirname(os.path.dirname(HERE))
    base = open(os.path.join(HERE, "vxgate-fuzz.yaml"), "rb").read()
    write(os.path.join(corpus, "config"), "vxgate-fuzz.yaml", base)
    write(os.path.join(corpus, "config"), "example.yaml",
          open(os.path.join(root, "config", "example.yaml"), "rb").read())
    # Variants the daemon reloads into: fewer rules, another SNAT, a VPC less.
    write(os.path.join(corpus, "config"), "reload-snat.yaml",
          base.replace(b"snat: 203.0.113.10", b"snat: 203.0.113.11"))
    write(os.path.join(corpus, "config"), "reload-no-red.yaml", base[:base.index(b"  - name: red")])
    write(os.path.join(corpus, "config"), "dual-stack.yaml", dual_stack(base))
    write(os.path.join(corpus, "config"), "errors.yaml",
          b"interfaces:\n  - {name: a, device: x, role: underlay, mtu: 70000}\n"
          b"vtep: {address: 1.2.3}\n"
          b"vpcs:\n  - name: v\n    networks: [{name: n, vni: 0, cidr: 10.0.0.1/24}]\n")
    for name, text in sorted(cli_corpus().items()):
        write(os.path.join(corpus, "cli"), name, text.encode())


if __name__ == "__main__":
    main()
