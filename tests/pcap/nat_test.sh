#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Floating IPs and router SNAT in replay mode: the real binary, captures in on net_pcap,
# captures out compared packet by packet with what pcapgen builds for the translation.
# VPC blue: vm2 (db, 10.2.0.12) on access interface a, vm1 (web, 10.1.0.11, floating IP
# 203.0.113.20) on access interface b; external interface wan (203.0.113.2/24, MAC set
# by `mac:`, gateway 203.0.113.1 a static neighbour, so no ARP); default route via wan;
# SNAT to 203.0.113.10.
#  1. SNAT, TCP (SYN then ACK), UDP and ICMP echo, 4 flows each: vm2's packets leave wan
#     from 203.0.113.10, source port (echo id) kept, TTL 63, to the gateway's MAC; the
#     server's replies, on wan's rx in the same run, come back to vm2 translated. Order:
#     the worker polls its rx queues in interface order (a before wan) and a burst (32)
#     holds all 8 outbound packets, so their sessions exist before the replies are read.
#     Gratuitous ARP for 203.0.113.10 and .20 goes out of wan at start.
#  2. Replies with no session (a run without the outbound packets): dropped,
#     nat_no_session, nothing reaches vm2.
#  3. Floating IP, TCP and ICMP: the server's packets to 203.0.113.20 reach vm1 with
#     their ports; vm1's packets leave as 203.0.113.20 with their own source port (555,
#     outside the SNAT range: 1:1 NAT translates no port), no session made.
#  4. Hairpin: vm2 -> 203.0.113.20 loops inside vxgate and reaches vm1 from 203.0.113.10.
#  5. A ping of the SNAT address is answered by vxgate itself, out of wan.
#  6. Drops: to an external address that is not ours (nat_no_mapping); vm2's GRE
#     (nat_unsupported) and a later fragment (nat_fragment) to the internet with SNAT.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
T=$(mktemp -d /tmp/vxg-nat-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

WAN_MAC=02:00:cb:00:71:02 # vxgate's wan port (config `mac`)
GW_MAC=02:00:cb:00:71:01 # the upstream router 203.0.113.1 (pcapgen's src of fip, snat-reply)
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:02:00:0c
WEB_GW=02:76:78:00:00:64 DB_GW=02:76:78:00:00:c8 # derived router MACs (VNI 100, 200)
SNAT=203.0.113.10 FIP=203.0.113.20 SERVER=198.51.100.10

python3 -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' \
	"$T/none.pcap"

# replay NAME A_RX B_RX WAN_RX ("" for nothing): NAME.{a,b,wan}.pcap out, NAME.out the
# summary; NAME.wan4.pcap is wan's output without its ARP (gratuitous ARP's timing is
# the control thread's, not the replay's).
replay() {
	cat >"$T/$1.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: a, device: "net_pcap_na,rx_pcap=${2:-$T/none.pcap},tx_pcap=$T/$1.a.pcap", role: access}
  - {name: b, device: "net_pcap_nb,rx_pcap=${3:-$T/none.pcap},tx_pcap=$T/$1.b.pcap", role: access}
  - {name: wan, device: "net_pcap_nw,rx_pcap=${4:-$T/none.pcap},tx_pcap=$T/$1.wan.pcap", role: external,
     address: 203.0.113.2/24, gateway: 203.0.113.1, mac: "$WAN_MAC", neighbours: [{ip: 203.0.113.1, mac: "$GW_MAC"}]}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}
    ports:
      - {name: vm2, network: db, mac: "$VM2_MAC", ip: 10.2.0.12, location: {interface: a}}
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {interface: b}}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat:
      snat: $SNAT
      floating_ips: [{ip: $FIP, port: vm1}]
EOC
	# shellcheck disable=SC2046
	timeout 60 "$VXGATE" $(vxg_eal "vxnat-$1") -- -c "$T/$1.yaml" -s "$T/$1.sock" \
		-d "$T/$1.state" --replay >"$T/$1.out" 2>&1 || fail "$1: $(cat "$T/$1.out")"
	python3 - "$T/$1.wan.pcap" "$T/$1.wan4.pcap" <<'PY'
import struct, sys
b = open(sys.argv[1], "rb").read()
out, off = [b[:24]], 24
while off + 16 <= len(b):
    incl = struct.unpack_from("<I", b, off + 8)[0]
    if b[off + 16 + 12:off + 16 + 14] != b"\x08\x06":
        out.append(b[off:off + 16 + incl])
    off += 16 + incl
open(sys.argv[2], "wb").write(b"".join(out))
PY
}
# summary NAME drop|event REASON: the count in the replay summary (0 when absent)
summary() {
	local v
	v=$(sed -n "s/^replay: $2 $3 //p" "$T/$1.out")
	echo "${v:-0}"
}
# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || fail "$1: expected $3, got $2; replay summary: $(grep '^replay:' "$T/$4.out" 2>/dev/null)"
}
expect_n() { # NAME drop|event REASON WANT
	local got
	got=$(summary "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1: $2 $3: expected $4, got $got; replay summary: $(grep '^replay:' "$T/$1.out")"
}
# no_drops NAME: the summary shows no drop at all
no_drops() {
	! grep -q "^replay: drop " "$T/$1.out" || fail "$1: unexpected drops: $(grep '^replay:' "$T/$1.out")"
}
# same WHAT GOT.pcap WANT.pcap: packet by packet (pcapcheck prints got vs expected)
same() {
	"$PCAPCHECK" "$2" "$3" >"$T/cmp" 2>&1 ||
		fail "$1: output differs from the expected capture: $(head -20 "$T/cmp")"
}
count() { # FILE FIELD VALUE: packets whose FIELD is VALUE
	"$PCAPCHECK" --dump "$1" | grep -c "^ *$2: $3$" || true
}
npkts() { # FILE: packets in it
	"$PCAPCHECK" --count 0 "$1" 2>&1 | sed -n 's/.*: \([0-9]*\) packets.*/\1/p'
}

# 1. SNAT both ways, per protocol.
for proto in tcp udp icmp; do
	"$PCAPGEN" snat -n 8 --flows 4 --proto $proto -o "$T/out.$proto.pcap"
	"$PCAPGEN" snat-reply -n 8 --flows 4 --proto $proto --dst-mac $WAN_MAC -o "$T/in.$proto.pcap"
	"$PCAPGEN" snat -n 8 --flows 4 --proto $proto --src-ip $SNAT --ttl 63 \
		--src-mac $WAN_MAC --router-mac $GW_MAC -o "$T/out.$proto.want.pcap"
	"$PCAPGEN" snat-reply -n 8 --flows 4 --proto $proto --dst-ip 10.2.0.12 --ttl 63 \
		--src-mac $DB_GW --dst-mac $VM2_MAC -o "$T/in.$proto.want.pcap"
	replay snat-$proto "$T/out.$proto.pcap" "" "$T/in.$proto.pcap"
	no_drops snat-$proto
	expect_n snat-$proto event nat_snat_out 8
	expect_n snat-$proto event nat_session_created 4
	expect_n snat-$proto event nat_snat_in 8
	same "SNAT $proto out of wan" "$T/snat-$proto.wan4.pcap" "$T/out.$proto.want.pcap"
	same "SNAT $proto replies to vm2" "$T/snat-$proto.a.pcap" "$T/in.$proto.want.pcap"
	expect "SNAT $proto: packets out of b" "$(npkts "$T/snat-$proto.b.pcap")" 0 snat-$proto
	ok "SNAT $proto: 8 packets of 4 flows leave wan from $SNAT (ports kept, TTL 63, to $GW_MAC, checksums right); the 8 replies reach vm2"
done
for ip in $SNAT $FIP; do
	n=$(count "$T/snat-tcp.wan.pcap" arp.spa "$ip")
	[ "$n" -ge 1 ] || fail "no gratuitous ARP for $ip out of wan: $("$PCAPCHECK" --dump "$T/snat-tcp.wan.pcap" | grep arp)"
done
[ "$(count "$T/snat-tcp.wan.pcap" arp.sha $WAN_MAC)" = "$(count "$T/snat-tcp.wan.pcap" eth.type 0x0806)" ] ||
	fail "an ARP out of wan does not give wan's MAC $WAN_MAC"
ok "gratuitous ARP out of wan for $SNAT and $FIP with $WAN_MAC"

# 2. Replies with no session.
replay nosess "" "" "$T/in.tcp.pcap"
expect_n nosess drop nat_no_session 8
expect "no session: packets out of a" "$(npkts "$T/nosess.a.pcap")" 0 nosess
expect "no session: packets out of wan" "$(npkts "$T/nosess.wan4.pcap")" 0 nosess
ok "8 replies to $SNAT without a session are dropped (nat_no_session 8), none reaches vm2"

# 3. Floating IP, both ways.
for proto in tcp icmp; do
	"$PCAPGEN" snat -n 6 --flows 3 --proto $proto --sport 555 --src-ip 10.1.0.11 \
		--src-mac $VM1_MAC --router-mac $WEB_GW -o "$T/fout.$proto.pcap"
	"$PCAPGEN" snat -n 6 --flows 3 --proto $proto --sport 555 --src-ip $FIP --ttl 63 \
		--src-mac $WAN_MAC --router-mac $GW_MAC -o "$T/fout.$proto.want.pcap"
	"$PCAPGEN" fip -n 6 --flows 3 --proto $proto --dst-mac $WAN_MAC -o "$T/fin.$proto.pcap"
	"$PCAPGEN" fip -n 6 --flows 3 --proto $proto --dst-ip 10.1.0.11 --ttl 63 \
		--src-mac $WEB_GW --dst-mac $VM1_MAC -o "$T/fin.$proto.want.pcap"
	replay fip-$proto "" "$T/fout.$proto.pcap" "$T/fin.$proto.pcap"
	no_drops fip-$proto
	expect_n fip-$proto event nat_fip_out 6
	expect_n fip-$proto event nat_fip_in 6
	expect_n fip-$proto event nat_session_created 0
	same "floating IP $proto out of wan" "$T/fip-$proto.wan4.pcap" "$T/fout.$proto.want.pcap"
	same "floating IP $proto in to vm1" "$T/fip-$proto.b.pcap" "$T/fin.$proto.want.pcap"
	ok "floating IP $proto: vm1 leaves as $FIP (port 555 kept, no session); 6 packets to $FIP reach vm1"
done

# 4. Hairpin: vm2 to vm1's floating IP.
"$PCAPGEN" snat -n 4 --flows 2 --proto tcp --dst-ip $FIP -o "$T/hp.pcap"
replay hairpin "$T/hp.pcap" "" ""
no_drops hairpin
expect_n hairpin event nat_hairpin 4
f="$T/hairpin.b.pcap"
expect "hairpin: packets to vm1" "$(npkts "$f")" 4 hairpin
expect "hairpin: from $SNAT" "$(count "$f" ip.src $SNAT)" 4 hairpin
expect "hairpin: to 10.1.0.11" "$(count "$f" ip.dst 10.1.0.11)" 4 hairpin
expect "hairpin: to vm1's MAC" "$(count "$f" eth.dst $VM1_MAC)" 4 hairpin
expect "hairpin: from web's router MAC" "$(count "$f" eth.src $WEB_GW)" 4 hairpin
expect "hairpin: valid IPv4 checksums" "$(count "$f" ip.checksum_valid yes)" 4 hairpin
expect "hairpin: valid TCP checksums" "$(count "$f" tcp.checksum_valid yes)" 4 hairpin
expect "hairpin: packets out of wan" "$(npkts "$T/hairpin.wan4.pcap")" 0 hairpin
expect "hairpin: TTL 63 (one router hop)" "$(count "$f" ip.ttl 63)" 4 hairpin
ok "hairpin: vm2 -> $FIP reaches vm1 from $SNAT, TTL 63 (nat_hairpin 4)"

# 5. A ping of the SNAT address: vxgate answers it (control), out of wan.
"$PCAPGEN" fip -n 2 --proto icmp --fip $SNAT --dst-mac $WAN_MAC -o "$T/ping.pcap"
replay ping "" "" "$T/ping.pcap"
f="$T/ping.wan4.pcap"
expect "ping $SNAT: echo replies out of wan" "$(count "$f" icmp.type 0)" 2 ping
expect "ping $SNAT: replies from $SNAT" "$(count "$f" ip.src $SNAT)" 2 ping
expect "ping $SNAT: replies to $SERVER" "$(count "$f" ip.dst $SERVER)" 2 ping
expect "ping $SNAT: replies to the gateway's MAC" "$(count "$f" eth.dst $GW_MAC)" 2 ping
expect "ping $SNAT: valid ICMP checksums" "$(count "$f" icmp.checksum_valid yes)" 2 ping
ok "vxgate answers a ping of its SNAT address $SNAT out of wan"

# 6. Drops. To 203.0.113.99 on wan: not ours. From vm2 with SNAT: GRE (protocol 47) and
# a later fragment of a UDP datagram (offset 1480) to the server; one good UDP packet
# between them shows the path itself works.
"$PCAPGEN" fip -n 3 --proto udp --fip 203.0.113.99 --dst-mac $WAN_MAC -o "$T/nomap.pcap"
python3 - "$T/bad.pcap" "$VM2_MAC" "$DB_GW" <<'PY'
import struct, sys

def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(proto, frag, payload, ident):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                    bytes([10, 2, 0, 12]), bytes([198, 51, 100, 10]))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def udp(payload):  # checksum 0: none
    return struct.pack("!HHHH", 40000, 5001, 8 + len(payload), 0) + payload

eth = mac(sys.argv[3]) + mac(sys.argv[2]) + b"\x08\x00"
frames = [
    eth + ipv4(47, 0, b"\x00\x00\x08\x00" + bytes(20), 1),  # GRE
    eth + ipv4(17, 0, udp(bytes(18)), 2),  # a good UDP packet
    eth + ipv4(47, 0, b"\x00\x00\x08\x00" + bytes(20), 3),  # GRE
    eth + ipv4(17, 1480 // 8, bytes(26), 4),  # later fragment, offset 1480, MF clear
]
with open(sys.argv[1], "wb") as o:
    o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, f in enumerate(frames):
        f = f.ljust(60, b"\0")
        o.write(struct.pack("<IIII", 1700000000, i, len(f), len(f)) + f)
PY
replay drops "$T/bad.pcap" "" "$T/nomap.pcap"
expect_n drops drop nat_no_mapping 3
expect_n drops drop nat_unsupported 2
expect_n drops drop nat_fragment 1
expect_n drops event nat_snat_out 1
f="$T/drops.wan4.pcap"
expect "drops: packets out of wan" "$(npkts "$f")" 1 drops
expect "drops: the good UDP packet leaves from $SNAT" "$(count "$f" ip.src $SNAT)" 1 drops
expect "drops: packets to vm1" "$(npkts "$T/drops.b.pcap")" 0 drops
ok "drops: 3 to 203.0.113.99 (nat_no_mapping), 2 GRE (nat_unsupported), 1 later fragment (nat_fragment); the UDP between them leaves"
echo "nat replay test: all passed"
