#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The host interface on the real binary: with vtep.evpn (in-band, the default) vxgate
# makes the tap vxg-ul in its namespace. Replayed on the underlay: a peer's ARP request
# for 172.16.0.1 (answered by vxgate, copied to the tap), a TCP SYN to 172.16.0.1:179 and
# a VXLAN frame. tcpdump in the namespace sees the SYN on the tap, the kernel's RST (no
# BGP speaker listens) leaves through the DPDK port, and the VXLAN frame is decapsulated
# to the access port as ever. Then, running: `show host`, the tap's address, MTU and
# default route, frames the kernel sends, and reloads that change and remove the tap.
# Needs root (the namespace, the tap) and tshark; skipped otherwise.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
vxg_need_root
command -v tshark >/dev/null && command -v tcpdump >/dev/null ||
	{ echo "SKIP: needs tshark and tcpdump"; exit 77; }
NS=vxgp-host$$
VXG_TMP=$(mktemp -d /tmp/vxg-host-test.XXXXXX)
T=$VXG_TMP
DUMP=
cleanup() {
	vxg_stop || true
	[ -z "$DUMP" ] || kill "$DUMP" 2>/dev/null || true
	ip netns del $NS 2>/dev/null || true
	rm -rf "$VXG_TMP"
}
trap cleanup EXIT

# config UNDERLAY_DEVICE [GATEWAY] [EVPN]: EVPN "no" leaves the evpn block out.
config() {
	local evpn="evpn: {asn: 65000, peers: [172.16.0.2], namespace: $NS, frr: external}"
	[ "${3:-}" = no ] && evpn="learning: true"
	cat <<EOC
dataplane: {burst: 32, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "$1", role: underlay, address: 172.16.0.1/24, gateway: ${2:-172.16.0.254},
     mtu: 1600, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}, {ip: ${2:-172.16.0.254}, mac: "02:00:ac:10:00:fe"}]}
  - {name: local, device: "net_pcap_acc,tx_pcap=$T/acc.pcap", role: access}
vtep: {address: 172.16.0.1, $evpn}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, flood: [172.16.0.2]}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", location: {vtep: 172.16.0.2}}
      - {name: vm3, network: web, mac: "02:00:0a:01:00:fe", location: {interface: local}}
EOC
}
config "net_pcap_up,rx_pcap=$T/in.pcap,tx_pcap=$T/out.pcap" >"$T/replay.yaml"
"$VXGATE" -- --check -c "$T/replay.yaml" >"$T/check.out" 2>&1 || {
	grep -q "evpn" "$T/check.out" && { echo "SKIP: the config has no vtep.evpn yet"; exit 77; }
	fail "config: $(cat "$T/check.out")"
}

# The peer 172.16.0.2 (02:00:ac:10:00:02): who-has 172.16.0.1; a SYN to its port 179; a
# VXLAN frame of VNI 100 from vm1 to vm3.
python3 - "$T/in.pcap" <<'EOP'
import struct, sys

def mac(s): return bytes(int(x, 16) for x in s.split(":"))
def ip(s): return bytes(int(x) for x in s.split("."))
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
def ipv4(proto, sip, dip, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0x4000, 64, proto, 0,
                      ip(sip), ip(dip))
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload
def pad(fr): return fr + b"\0" * max(0, 60 - len(fr))

US, PEER, BC = mac("02:00:ac:10:00:01"), mac("02:00:ac:10:00:02"), b"\xff" * 6
arp = pad(BC + PEER + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + PEER
          + ip("172.16.0.2") + b"\0" * 6 + ip("172.16.0.1"))
tcp = struct.pack("!HHIIBBHHH", 40000, 179, 1000, 0, 0x50, 0x02, 64240, 0, 0)
pseudo = ip("172.16.0.2") + ip("172.16.0.1") + struct.pack("!BBH", 0, 6, len(tcp))
tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
syn = US + PEER + b"\x08\x00" + ipv4(6, "172.16.0.2", "172.16.0.1", tcp)
inner = mac("02:00:0a:01:00:fe") + mac("02:00:0a:01:00:0b") + b"\x08\x00" + \
    ipv4(17, "10.1.0.11", "10.1.0.254", struct.pack("!HHHH", 5000, 5001, 8 + 18, 0) + b"x" * 18)
vx = struct.pack("!HHHH", 50000, 4789, 16 + len(inner), 0) + struct.pack("!II", 0x08000000, 100 << 8)
vxlan = US + PEER + b"\x08\x00" + ipv4(17, "172.16.0.2", "172.16.0.1", vx + inner)
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, fr in enumerate([arp, syn, vxlan]):
        f.write(struct.pack("<IIII", 1700000000, i, len(fr), len(fr)) + fr)
EOP

# tcpdump on every interface of the namespace sees the tap once vxgate makes it.
ip netns add $NS
ip netns exec $NS tcpdump -i any -U -n -w "$T/ns.pcap" "tcp port 179 or arp" >"$T/dump.log" 2>&1 &
DUMP=$!
sleep 1
# shellcheck disable=SC2046
timeout 60 "$VXGATE" $(vxg_eal vxp-host) -- -c "$T/replay.yaml" -s "$T/r.sock" -d "$T/r.state" \
	--replay >"$T/replay.out" 2>&1 || fail "replay run: $(cat "$T/replay.out")"
sleep 0.5
kill "$DUMP"
wait "$DUMP" 2>/dev/null || true
DUMP=
# tx: the decapsulated frame, and through worker 0 (no control queue) vxgate's ARP
# reply and the kernel's RST.
grep -q "^replay: rx 3 tx 3 punted 2 dropped 0$" "$T/replay.out" ||
	fail "totals: $(cat "$T/replay.out")"

syn=$(tshark -r "$T/ns.pcap" -Y "tcp.flags.syn==1 && tcp.flags.ack==0 && ip.dst==172.16.0.1 && tcp.dstport==179" 2>/dev/null | wc -l)
[ "$syn" -eq 1 ] || fail "the SYN on the tap: $(tshark -r "$T/ns.pcap" 2>&1)"
tshark -r "$T/ns.pcap" -Y "arp.opcode==1 && arp.dst.proto_ipv4==172.16.0.1" 2>/dev/null | grep -q . ||
	fail "the ARP request's copy on the tap: $(tshark -r "$T/ns.pcap" 2>&1)"
ok "the SYN to 172.16.0.1:179 and the peer's ARP request reach the tap in $NS"

out() { tshark -r "$T/out.pcap" -Y "$1" 2>/dev/null | wc -l; }
[ "$(out "tcp.flags.reset==1 && ip.src==172.16.0.1 && tcp.srcport==179 && tcp.dstport==40000 && eth.src==02:00:ac:10:00:01 && eth.dst==02:00:ac:10:00:02")" -eq 1 ] ||
	fail "the kernel's RST out of the underlay: $(tshark -r "$T/out.pcap" 2>&1)"
[ "$(out "arp.opcode==2")" -eq 1 ] || fail "one ARP reply (vxgate's; the kernel's skipped): $(tshark -r "$T/out.pcap" 2>&1)"
ok "the kernel's RST leaves through the DPDK port, and one ARP reply (vxgate's)"
[ "$(tshark -r "$T/acc.pcap" -Y "udp.dstport==5001 && eth.dst==02:00:0a:01:00:fe" 2>/dev/null | wc -l)" -eq 1 ] ||
	fail "the VXLAN frame decapsulated to local: $(tshark -r "$T/acc.pcap" 2>&1)"
ok "a VXLAN frame is still decapsulated, not punted"

# Running: the tap as the config says, and changed by reloads.
VXG_TMP=$T
config "net_null_up,no-rx=1" >"$T/run.yaml"
vxg_start vxp-hostrun "$T/run.yaml" || fail "start"
vxg_ctl -j show host >"$T/h.json"
[ "$(vxg_json 'd["up"], d["name"], d["namespace"], d["address"], d["mtu"], d["gateway"], d["mac"]' <"$T/h.json")" = \
	"True vxg-ul $NS 172.16.0.1/24 1600 172.16.0.254 02:00:AC:10:00:01" ] ||
	fail "show host: $(cat "$T/h.json")"
ip -n $NS -4 addr show vxg-ul | grep -q "inet 172.16.0.1/24" || fail "address: $(ip -n $NS addr)"
ip -n $NS link show vxg-ul | grep -q "mtu 1600" || fail "MTU: $(ip -n $NS link)"
ip -n $NS route | grep -q "default via 172.16.0.254 dev vxg-ul" || fail "route: $(ip -n $NS route)"
ip netns exec $NS ping -c 1 -W 1 172.16.0.9 >/dev/null 2>&1 || true # ARPs, no answer
vxg_ctl -j show host >"$T/h.json"
[ "$(vxg_json 'd["from_tap"]["packets"] >= 1' <"$T/h.json")" = True ] ||
	fail "the kernel's ARP request sent: $(cat "$T/h.json")"
vxg_ctl show host | grep -q "^  from the tap: " || fail "show host: $(vxg_ctl show host)"
# An LLDP frame written to the tap: the underlay carries IPv4 and ARP only.
ip netns exec $NS python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vxg-ul", 0))
s.send(bytes.fromhex("0180c200000e02000000aa0188cc") + bytes(46))'
sleep 0.2
[ "$(vxg_ctl -j show host | vxg_json 'd["drops"]["not_ipv4"]')" = 1 ] ||
	fail "not_ipv4: $(vxg_ctl show host)"
ok "show host, the tap's address, MTU and default route in $NS as the config says, LLDP from the tap dropped (not_ipv4)"

config "net_null_up,no-rx=1" 172.16.0.253 >"$T/run.yaml"
vxg_ctl reload >/dev/null || fail "reload"
ip -n $NS route | grep -q "default via 172.16.0.253 dev vxg-ul" || fail "new route: $(ip -n $NS route)"
config "net_null_up,no-rx=1" 172.16.0.253 no >"$T/run.yaml"
vxg_ctl reload >/dev/null || fail "reload without evpn"
ip -n $NS link show vxg-ul >/dev/null 2>&1 && fail "the tap is still there: $(ip -n $NS link)"
[ "$(vxg_ctl -j show host | vxg_json 'd["up"]')" = False ] || fail "show host: $(vxg_ctl show host)"
config "net_null_up,no-rx=1" >"$T/run.yaml"
vxg_ctl reload >/dev/null || fail "reload with evpn again"
ip -n $NS -4 addr show vxg-ul | grep -q "inet 172.16.0.1/24" || fail "tap back: $(ip -n $NS addr)"
ok "reloads change the default route, remove the tap and make it again"
vxg_stop || fail "vxgate exit status"
ip -n $NS link show vxg-ul >/dev/null 2>&1 && fail "the tap outlives vxgate"
ok "the tap goes with vxgate"
echo "host_test: all passed"
