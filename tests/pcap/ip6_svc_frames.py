#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What the VMs of the RA and DHCPv6 replay tests (ra_test.sh, dhcp6_test.sh) send, as a
Linux host or ISC dhclient would, into one pcap file on the access interface.

    ip6_svc_frames.py OUT.pcap KIND...

KIND, in order:
    primer              32 frames on VLAN 4000, which no port uses (dropped as
                        vlan_unknown): one rx burst the worker waits for on a fifo
    rs                  a Router Solicitation from each VM's link-local address to
                        ff02::2, with its source link-layer address option
    solicit             vm2 (db, dhcpv6-stateful): a Solicit with its DUID-LLT and an IA_NA
    info                vm3 (app, dhcpv6-stateless): an Information-request for DNS and
                        the domain list
    malformed           vm2: an option running past the message, a Solicit with no client
                        identifier, a Solicit with a bad UDP checksum
    request:DUIDHEX     vm2: a Request for its IA_NA to the server with that DUID
    vxlan-vm3           vm3 behind the remote VTEP 172.16.0.2 (VNI 300, untagged inside):
                        an RS and a Solicit, VXLAN to 172.16.0.1 on the underlay
                        (metrics_test.sh)
"""
import ipaddress
import struct
import sys

VMS = {  # name: (MAC, VLAN)
    "vm1": ("02:00:0a:01:00:0b", 10),
    "vm2": ("02:00:0a:02:00:0c", 20),
    "vm3": ("02:00:0a:03:00:0d", 30),
}
IAID = 0x0A02000C


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip6(s):
    return ipaddress.IPv6Address(s).packed


def link_local(m):  # fe80::EUI-64 (RFC 4291 appendix A)
    return b"\xfe\x80" + b"\0" * 6 + bytes([m[0] ^ 2]) + m[1:3] + b"\xff\xfe" + m[3:]


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def frame(vm, dst, nh, l4, cks_at, hop, bad_cksum=False):
    """Ethernet with the VM's VLAN, IPv6 from its link-local address to dst (multicast)."""
    m, vlan = mac(VMS[vm][0]), VMS[vm][1]
    src = link_local(m)
    ph = src + dst + struct.pack("!IxxxB", len(l4), nh)
    c = csum(ph + l4) ^ (0x5555 if bad_cksum else 0)
    l4 = l4[:cks_at] + struct.pack("!H", c) + l4[cks_at + 2:]
    ip = struct.pack("!IHBB", 0x60000000, len(l4), nh, hop) + src + dst
    return b"\x33\x33" + dst[12:] + m + struct.pack("!HH", 0x8100, vlan) + b"\x86\xdd" + ip + l4


def rs(vm):
    body = struct.pack("!BBHI", 133, 0, 0, 0) + b"\x01\x01" + mac(VMS[vm][0])
    return frame(vm, ip6("ff02::2"), 58, body, 2, 255)


def opt(code, data):
    return struct.pack("!HH", code, len(data)) + data


def duid_llt(vm):
    return struct.pack("!HHI", 1, 1, 0x2A000000) + mac(VMS[vm][0])


def dhcp6(vm, mtype, xid, options, bad_cksum=False):
    msg = struct.pack("!I", (mtype << 24) | xid) + b"".join(options)
    udp = struct.pack("!HHHH", 546, 547, 8 + len(msg), 0) + msg
    return frame(vm, ip6("ff02::1:2"), 17, udp, 6, 1, bad_cksum)


def ia_na():
    return opt(3, struct.pack("!III", IAID, 0, 0))


ORO = opt(6, struct.pack("!HH", 23, 24))
ELAPSED = opt(8, b"\0\0")


def vxlan(inner, vni):
    """inner (802.1Q tag removed) from VTEP 172.16.0.2 to 172.16.0.1, UDP checksum 0."""
    inner = inner[:12] + inner[16:]
    v = struct.pack("!BBHI", 0x08, 0, 0, vni << 8) + inner
    u = struct.pack("!HHHH", 50000, 4789, 8 + len(v), 0) + v
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 1, 0, 64, 17, 0,
                    bytes([172, 16, 0, 2]), bytes([172, 16, 0, 1]))
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return mac("02:00:ac:10:00:01") + mac("02:00:ac:10:00:02") + b"\x08\x00" + h + u


def kind(k):
    if k == "primer":
        return [b"\x02\x00\x0a\x09\x09\x09" * 2 + b"\x81\x00\x0f\xa0\x88\xb5" + b"\0" * 46
                for _ in range(32)]
    if k == "rs":
        return [rs(vm) for vm in sorted(VMS)]
    if k == "solicit":
        return [dhcp6("vm2", 1, 0x111111, [opt(1, duid_llt("vm2")), ELAPSED, ia_na(), ORO])]
    if k == "info":
        return [dhcp6("vm3", 11, 0x333333, [opt(1, duid_llt("vm3")), ELAPSED, ORO])]
    if k == "malformed":
        c = opt(1, duid_llt("vm2"))
        return [
            dhcp6("vm2", 1, 0x444441, [c[:2] + struct.pack("!H", 200) + c[4:]]),
            dhcp6("vm2", 1, 0x444442, [ELAPSED, ia_na()]),
            dhcp6("vm2", 1, 0x444443, [c, ELAPSED, ia_na()], bad_cksum=True),
        ]
    if k.startswith("request:"):
        server = bytes.fromhex(k.split(":", 1)[1])
        return [dhcp6("vm2", 3, 0x222222,
                      [opt(1, duid_llt("vm2")), opt(2, server), ELAPSED, ia_na(), ORO])]
    if k == "vxlan-vm3":
        sol = dhcp6("vm3", 1, 0x555555, [opt(1, duid_llt("vm3")), ELAPSED, ia_na(), ORO])
        return [vxlan(rs("vm3"), 300), vxlan(sol, 300)]
    raise SystemExit("unknown kind " + k)


def main():
    frames = [f for k in sys.argv[2:] for f in kind(k)]
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)


main()
