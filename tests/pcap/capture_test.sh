#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Packet capture on the real vxgate (net_pcap vdevs), driven through vxgate-ctl, read back
# with tshark:
#  1. `capture start uplink rx udp port 4789 FILE`: the file holds exactly the input's
#     frames that tcpdump's own evaluation of the filter keeps, byte for byte, in order,
#     marked inbound on uplink's interface; show capture counts the rest as filtered out;
#  2. `capture start all both icmp FILE`: no frame of uplink matches (its ICMP is inside
#     VXLAN), and the file holds exactly the ICMP frames vxgate sent out of `local`
#     (its net_pcap tx file, filtered by tcpdump), marked outbound;
#  3. `max-packets 20`: the capture stops itself, says why, and its file holds the first
#     20 of them;
#  4. refused: a relative path, an existing file, a filter libpcap cannot compile (its
#     message shown), an unknown interface, a second capture, `capture stop` with none.
# The underlay's rx file is a fifo, so that the frames arrive after `capture start`: the
# worker is then waiting inside its first rx burst, so a primer of one burst (dataplane.
# burst: 32) of frames no filter matches goes first, and the capture, taken at the top of
# the next pass, sees every frame of the data.
# Skipped (77) without tshark or tcpdump (tools/install-deps.sh installs them).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
for tool in tshark tcpdump; do
	if ! command -v $tool >/dev/null; then
		echo "skip - $tool not installed (tools/install-deps.sh installs it)"
		exit 77
	fi
done
VXG_TMP=$(mktemp -d /tmp/vxg-capture-test.XXXXXX)
trap 'exec 3>&- 2>/dev/null || true; vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP
BURST=32

# The data: 50 VXLAN frames of UDP from vm1, the 11 malformed frames (some are UDP to
# 4789, some not even IPv4), 30 VXLAN frames of ICMP echo from vm1, then an ARP request
# and a ping for vxgate's underlay address. The router sends vm1's good frames to vm2 on
# `local`; the control thread answers the last two on uplink's control queue.
"$PCAPGEN" decap -n 50 --macs 1 -o "$T/udp.pcap"
"$PCAPGEN" garbage -o "$T/garbage.pcap"
"$PCAPGEN" decap -n 30 --macs 1 --proto icmp -o "$T/icmp.pcap"
python3 - "$T" "$BURST" <<'PY'
import struct, sys
t, burst = sys.argv[1], int(sys.argv[2])
hdr = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
data = b"".join(open("%s/%s.pcap" % (t, n), "rb").read()[24:] for n in ("udp", "garbage", "icmp"))

def csum(b):
    b += b"\x00" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff

def rec(frame):
    return struct.pack("<IIII", 1700000001, 0, len(frame), len(frame)) + frame

ours, peer = bytes.fromhex("0200ac100001"), bytes.fromhex("0200ac100002")
me, them = bytes([172, 16, 0, 1]), bytes([172, 16, 0, 2])
arp = b"\xff" * 6 + peer + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + \
    peer + them + b"\x00" * 6 + me
icmp = struct.pack("!BBHHH", 8, 0, 0, 0x77, 1) + b"vxgate capture test"
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0, them, me)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
data += rec(arp + b"\x00" * 18) + rec(ours + peer + b"\x08\x00" + ip + icmp)
open(t + "/data.pcap", "wb").write(hdr + data)
open(t + "/hdr.pcap", "wb").write(hdr)
open(t + "/empty.pcap", "wb").write(hdr)
# The primer: frames of 10 bytes, which no filter matches (dropped as eth_truncated).
rec = struct.pack("<IIII", 1700000000, 0, 10, 10) + b"\x02" * 10
open(t + "/primer.pcap", "wb").write(hdr + rec * burst)
PY
NDATA=93

cfg() { # $1: name
	cat >"$T/$1.yaml" <<EOC
dataplane: {burst: $BURST, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_pcap_c$1u,rx_pcap=$T/$1.fifo,tx_pcap=$T/$1-up0.pcap,tx_pcap=$T/$1-up1.pcap", role: underlay, address: 172.16.0.1/24, gateway: 172.16.0.254, mtu: 1600, mac: "02:00:ac:10:00:01"}
  - {name: local, device: "net_pcap_c$1l,rx_pcap=$T/empty.pcap,tx_pcap=$T/$1-local.pcap", role: access}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {vtep: 172.16.0.2}}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, location: {interface: local}}
EOC
}

# start NAME: vxgate on its config, its underlay reading a fifo held open on fd 3.
start() {
	cfg "$1"
	mkfifo "$T/$1.fifo"
	exec 3<>"$T/$1.fifo"
	cat "$T/hdr.pcap" >&3 # net_pcap opens the file and reads its header at start
	# Not inherited by vxgate: it would hold the fifo open and never see its end.
	vxg_start "cap$1" "$T/$1.yaml" 3>&-
}

# feed: the primer, then the data; the fifo closed (end of file); wait for every frame.
feed() {
	local rx
	tail -c +25 "$T/primer.pcap" >&3
	tail -c +25 "$T/data.pcap" >&3
	exec 3>&-
	for _ in $(seq 1 100); do
		rx=$(vxg_ctl -j show stats | vxg_json 'sum(w["rx"] for w in d["workers"])')
		[ "$rx" -ge $((BURST + NDATA)) ] && break
		sleep 0.1
	done
	[ "$rx" = $((BURST + NDATA)) ] || fail "workers received $rx frames, expected $((BURST + NDATA))"
}

# wait_stopped: until show capture says the file is complete; its JSON in $T/show.json.
wait_stopped() {
	local st
	for _ in $(seq 1 100); do
		vxg_ctl -j show capture >"$T/show.json"
		st=$(vxg_json 'd["state"]' <"$T/show.json")
		[ "$st" = stopped ] && return 0
		sleep 0.1
	done
	fail "capture still $st: $(cat "$T/show.json")"
}

# frames FILE: one line per frame: its MD5, and (pcapng) direction flags and interface.
frames() {
	tshark -r "$1" -o frame.generate_md5_hash:TRUE -T fields -e frame.md5_hash \
		-e frame.packet_flags_direction -e frame.interface_id 2>/dev/null
}

# expect OUT IN FILTER: OUT gets the frames of IN that libpcap's filter keeps.
expect() {
	tcpdump -r "$2" -w "$1" "$3" 2>/dev/null
}

# same CAPTURE EXPECTED FLAGS IFACE: of the capture's frames marked FLAGS (0x00000001
# inbound, 0x00000002 outbound) on file interface IFACE, the same as EXPECTED's, in order.
# Prints how many.
same() {
	frames "$1" | awk -v f="$3" -v i="$4" '$2 == f && $3 == i' >"$T/got"
	frames "$2" | awk -v f="$3" -v i="$4" '{print $1 "\t" f "\t" i}' >"$T/want"
	[ -s "$T/want" ] || fail "$2: nothing expected"
	cmp -s "$T/got" "$T/want" || fail "$1 differs from $2: $(diff "$T/got" "$T/want" | head -5)"
	wc -l <"$T/want"
}

show() { # a field of the JSON of the last show capture
	vxg_json "$1" <"$T/show.json"
}

# 1. uplink rx, "udp port 4789".
start a
vxg_ctl capture start uplink rx udp port 4789 "$T/a.pcapng" >"$T/start.out" ||
	fail "capture start: $(cat "$T/start.out")"
grep -q "capture: running" "$T/start.out" || fail "capture start said: $(cat "$T/start.out")"
vxg_ctl -j show capture | vxg_json '(d["state"], d["filter"], d["interfaces"])' |
	grep -qF "('running', 'udp port 4789', [{'name': 'uplink', 'direction': 'rx'}])" ||
	fail "show capture while running: $(vxg_ctl -j show capture)"
feed
vxg_ctl capture stop | grep -qE "capture: (stopping|stopped)" || fail "capture stop"
wait_stopped
expect "$T/a-want.pcap" "$T/data.pcap" "udp port 4789"
n=$(same "$T/a.pcapng" "$T/a-want.pcap" 0x00000001 0)
[ "$(frames "$T/a.pcapng" | wc -l)" = "$n" ] || fail "a.pcapng holds more than uplink's rx"
[ "$(show '(d["rx"]["captured"], d["rx"]["filtered"], d["written"], d["discarded"])')" = "($n, $((NDATA - n)), $n, 0)" ] ||
	fail "show capture counts: $(cat "$T/show.json")"
[ "$(show '(d["rx"]["ring_full"], d["rx"]["pool_empty"], d["tx"]["captured"], d["stop_reason"])')" = \
	"(0, 0, 0, 'capture stop')" ] || fail "show capture: $(cat "$T/show.json")"
[ "$(show 'd["bytes"]')" = "$(stat -c %s "$T/a.pcapng")" ] || fail "bytes written is not the file's size"
vxg_ctl show capture | grep -q "worker 0 rx: captured $n, filtered out $((NDATA - n))" ||
	fail "text show capture: $(vxg_ctl show capture)"
ok "uplink rx 'udp port 4789': the file holds the $n frames tcpdump keeps of $NDATA, in order, inbound; $((NDATA - n)) filtered out"

# 4. What is refused, while this daemon is up; and a second capture while one runs.
refused() { # PATTERN ARGS...: the command fails, saying PATTERN
	local pat=$1
	shift
	if vxg_ctl "$@" >"$T/err" 2>&1; then fail "accepted: $*"; fi
	grep -qE "$pat" "$T/err" || fail "$*: $(cat "$T/err")"
}
refused "no capture is running" capture stop
refused "absolute path" capture start all rx cap.pcapng
refused "exists" capture start all rx "$T/a.pcapng"
refused "filter \"udp prot 53\": .*syntax error" capture start all rx udp prot 53 "$T/x.pcapng"
refused "no interface nosuch" capture start nosuch rx "$T/x.pcapng"
refused "max-packets takes a number" capture start all max-packets lots "$T/x.pcapng"
[ ! -e "$T/x.pcapng" ] || fail "a refused capture left its file"
vxg_ctl capture start local tx "$T/r.pcapng" >/dev/null || fail "capture start local tx"
refused "one at a time" capture start all rx "$T/c.pcapng"
vxg_ctl capture stop >/dev/null
wait_stopped
vxg_ctl show memory | grep -q "capture" && fail "show memory: capture pools left after stop"
vxg_stop || fail "vxgate exited with an error"
ok "refused: capture stop with none, a relative path, an existing file, libpcap's syntax error, an unknown interface, a bad number, two at once"

# 2. all both, "icmp": of uplink's rx, only the ping for vxgate; of tx, local's ICMP
#    frames and, from the control thread on uplink's control queue, the echo reply.
start b
vxg_ctl capture start all both icmp "$T/b.pcapng" >/dev/null || fail "capture start all both icmp"
feed
for _ in $(seq 1 50); do # the reply leaves once the control thread has taken the punt
	[ "$(vxg_ctl -j show capture | vxg_json 'd["control"]["tx"]["captured"]')" = 1 ] && break
	sleep 0.1
done
# Every frame a worker handed to a port was looked at: sent, or refused (tx_full). Read
# before the stop: the traffic is over, only the control thread may still send.
txd=$(vxg_ctl -j show stats | vxg_json 'sum(w["tx"] + w["drops"]["tx_full"] for w in d["workers"])')
vxg_ctl capture stop >/dev/null
wait_stopped
vxg_stop || fail "vxgate exited with an error"
expect "$T/b-local-want.pcap" "$T/b-local.pcap" icmp
n=$(same "$T/b.pcapng" "$T/b-local-want.pcap" 0x00000002 1)
[ "$n" = 30 ] || fail "$n ICMP frames out of local, expected 30"
expect "$T/b-up-want.pcap" "$T/b-up1.pcap" icmp # the control queue's file
[ "$(same "$T/b.pcapng" "$T/b-up-want.pcap" 0x00000002 0)" = 1 ] || fail "no echo reply"
expect "$T/b-in-want.pcap" "$T/data.pcap" icmp
[ "$(same "$T/b.pcapng" "$T/b-in-want.pcap" 0x00000001 0)" = 1 ] || fail "no echo request"
[ "$(show '(d["rx"]["captured"], d["rx"]["filtered"], d["tx"]["captured"], d["control"]["tx"]["captured"], d["written"])')" = \
	"(1, $((NDATA - 1)), 31, 1, 32)" ] || fail "show capture counts: $(cat "$T/show.json")"
[ "$(show 'sum(w["tx"]["captured"] + w["tx"]["filtered"] for w in d["workers"])')" = "$txd" ] ||
	fail "tx: captured and filtered out do not add up to the $txd frames workers handed to ports"
ok "all both 'icmp': uplink's ping for vxgate of its $NDATA frames in, local's 30 ICMP frames and the control thread's echo reply out, as sent; all $txd frames the workers sent looked at"

# 3. max-packets: stops itself.
start c
vxg_ctl capture start local tx max-packets 20 icmp "$T/c.pcapng" >/dev/null || fail "capture start max-packets"
feed
wait_stopped
vxg_stop || fail "vxgate exited with an error"
[ "$(show 'd["stop_reason"]')" = "max-packets 20 reached" ] || fail "stop reason: $(cat "$T/show.json")"
[ "$(show '(d["written"], d["tx"]["captured"], d["discarded"])')" = "(20, 30, 10)" ] ||
	fail "show capture counts: $(cat "$T/show.json")"
expect "$T/c-all.pcap" "$T/c-local.pcap" icmp
tcpdump -r "$T/c-all.pcap" -c 20 -w "$T/c-want.pcap" 2>/dev/null
n=$(same "$T/c.pcapng" "$T/c-want.pcap" 0x00000002 1)
[ "$n" = 20 ] || fail "max-packets 20: the file has $n"
grep -q "capture to $T/c.pcapng stopped (max-packets 20 reached): 20 packets" "$VXG_LOG" ||
	fail "the log does not say the capture stopped itself"
ok "max-packets 20: the capture stopped itself, said why, and holds the first 20 ICMP frames"
