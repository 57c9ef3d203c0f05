#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# ARP and ping for vxgate's own underlay address, on the real binary in replay mode: an
# ARP request for 172.16.0.1 gets an ARP reply from the uplink's MAC, an ICMP echo
# request to it gets the echo reply, and a request for another address gets nothing.
# The output capture is compared field by field with the replies a Linux host would send.
# Every VTEP has a static neighbour and there is no gateway, so vxgate sends no probe.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-neigh-test.XXXXXX)
trap 'rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP

cat >"$T/neigh.yaml" <<EOC
dataplane: {burst: 32, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_pcap_up,rx_pcap=$T/in.pcap,tx_pcap=$T/out.pcap", role: underlay, address: 172.16.0.1/24, mtu: 1600, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
  - {name: local, device: "net_null_local,no-rx=1", role: access}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2]}
EOC

# The hypervisor 172.16.0.3 (02:00:ac:10:00:03): who-has 172.16.0.1, ping 172.16.0.1 twice,
# who-has 172.16.0.77 (not ours). Expected: is-at 02:00:ac:10:00:01 and two echo replies.
python3 - "$T/in.pcap" "$T/expected.pcap" <<'EOP'
import struct, sys

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip(s): return bytes(int(x) for x in s.split("."))
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
def pad(fr): return fr + b"\0" * max(0, 60 - len(fr))

US, HV, BC = mac("02:00:ac:10:00:01"), mac("02:00:ac:10:00:03"), b"\xff" * 6
def arp(dst, src, op, sha, spa, tha, tpa):
    return pad(dst + src + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, op)
               + sha + ip(spa) + tha + ip(tpa))
def echo(dst, src, sip, dip, itype, ttl, seq):
    data = bytes(range(56))
    icmp = struct.pack("!BBHHH", itype, 0, 0, 0x4242, seq) + data
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0x1000 + seq, 0x4000, ttl, 1, 0,
                      ip(sip), ip(dip))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return dst + src + b"\x08\x00" + hdr + icmp

inp = [arp(BC, HV, 1, HV, "172.16.0.3", b"\0" * 6, "172.16.0.1"),
       echo(US, HV, "172.16.0.3", "172.16.0.1", 8, 64, 1),
       echo(US, HV, "172.16.0.3", "172.16.0.1", 8, 64, 2),
       arp(BC, HV, 1, HV, "172.16.0.3", b"\0" * 6, "172.16.0.77")]
exp = [arp(HV, US, 2, US, "172.16.0.1", HV, "172.16.0.3"),
       echo(HV, US, "172.16.0.1", "172.16.0.3", 0, 64, 1),
       echo(HV, US, "172.16.0.1", "172.16.0.3", 0, 64, 2)]
pcap(sys.argv[1], inp)
pcap(sys.argv[2], exp)
EOP

# shellcheck disable=SC2046
timeout 60 "$VXGATE" $(vxg_eal vxn-replay) -- -c "$T/neigh.yaml" -s "$T/neigh.sock" -d "$T/neigh.state" --replay \
	>"$T/neigh.out" 2>&1 || fail "replay run: $(cat "$T/neigh.out")"
grep -q "^replay: rx 4 tx 3 punted 4 dropped 0$" "$T/neigh.out" ||
	fail "totals: $(cat "$T/neigh.out")"
"$PCAPCHECK" "$T/out.pcap" "$T/expected.pcap" || fail "replies differ from a Linux host's"
ok "ARP request for 172.16.0.1 answered, two pings echoed, a request for another host ignored"

# The same with two tx queues on the uplink (one per tx_pcap): the second is control's own,
# so the replies leave from it, not through worker 0's inject ring.
sed "s|tx_pcap=$T/out.pcap|tx_pcap=$T/out0.pcap,tx_pcap=$T/out1.pcap|" "$T/neigh.yaml" >"$T/ctlq.yaml"
# shellcheck disable=SC2046
timeout 60 "$VXGATE" $(vxg_eal vxn-ctlq) -- -c "$T/ctlq.yaml" -s "$T/ctlq.sock" -d "$T/ctlq.state" --replay \
	>"$T/ctlq.out" 2>&1 || fail "control queue run: $(cat "$T/ctlq.out")"
grep -q "^replay: rx 4 tx 0 punted 4 dropped 0$" "$T/ctlq.out" ||
	fail "control queue totals: $(cat "$T/ctlq.out")"
"$PCAPCHECK" --count 0 "$T/out0.pcap" >/dev/null || fail "worker 0's queue sent something"
"$PCAPCHECK" "$T/out1.pcap" "$T/expected.pcap" || fail "replies on the control queue differ"
ok "with a control tx queue, the replies leave from it"
echo "neigh_test: all passed"
