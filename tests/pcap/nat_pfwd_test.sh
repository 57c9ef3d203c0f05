#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Port forwards and hairpin in replay mode: the real binary, captures in on net_pcap,
# captures out compared packet by packet with what pcapgen builds for the translation.
# VPC blue: wan (external, 203.0.113.2/24, first in the config, so the worker reads it
# before the access interfaces within a pass), vm2 (db, 10.2.0.12) on a, vm1 (web,
# 10.1.0.11, floating IP 203.0.113.20) and vm3 (web, 10.1.0.13) on b; SNAT to
# 203.0.113.10; forwards tcp 203.0.113.10:8080 -> vm1:80 and udp
# 203.0.113.11:5000-5009 -> vm1:6000-6009.
#  1. A forward in: the server's TCP (SYN, then ACK) to 203.0.113.10:8080 reaches vm1 as
#     10.1.0.11:80, the source kept; a session each flow; vm1's replies (in the same run)
#     leave as 203.0.113.10:8080, not as vm1's floating IP.
#  2. Range mapping: UDP to 203.0.113.11:5007 reaches vm1 on 6007, 5009 on 6009; 5010
#     is no forward's (nat_no_session).
#  3. ICMP error quote: vm1's port unreachable about a forwarded UDP datagram leaves from
#     203.0.113.11, its quote 198.51.100.10:40000 -> 203.0.113.11:5007.
#  4. Hairpin to a forward: vm2 -> 203.0.113.10:8080 reaches vm1:80 from vm2's SNAT
#     mapping 203.0.113.10:40000, never out of wan (nat_hairpin_fwd).
#  5. Hairpin to an SNAT mapping: vm2 opens 203.0.113.10:40000 towards the server; vm3's
#     UDP to 203.0.113.10:40000 reaches vm2's 10.2.0.12:40000 from vm3's own mapping
#     203.0.113.10:41000 (nat_hairpin_snat); without the mapping it is dropped.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
T=$(mktemp -d /tmp/vxg-pfwd-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

WAN_MAC=02:00:cb:00:71:02 GW_MAC=02:00:cb:00:71:01
VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:02:00:0c VM3_MAC=02:00:0a:01:00:0d
WEB_GW=02:76:78:00:00:64 DB_GW=02:76:78:00:00:c8
SNAT=203.0.113.10 FWD2=203.0.113.11 SERVER=198.51.100.10

python3 -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' \
	"$T/none.pcap"

# replay NAME WAN_RX A_RX B_RX ("" for nothing): NAME.{a,b,wan}.pcap out, NAME.out the
# summary, NAME.wan4.pcap wan's output without ARP.
replay() {
	cat >"$T/$1.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: wan, device: "net_pcap_nw,rx_pcap=${2:-$T/none.pcap},tx_pcap=$T/$1.wan.pcap", role: external,
     address: 203.0.113.2/24, gateway: 203.0.113.1, mac: "$WAN_MAC", neighbours: [{ip: 203.0.113.1, mac: "$GW_MAC"}]}
  - {name: a, device: "net_pcap_na,rx_pcap=${3:-$T/none.pcap},tx_pcap=$T/$1.a.pcap", role: access}
  - {name: b, device: "net_pcap_nb,rx_pcap=${4:-$T/none.pcap},tx_pcap=$T/$1.b.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}
    ports:
      - {name: vm2, network: db, mac: "$VM2_MAC", ip: 10.2.0.12, location: {interface: a}}
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, location: {interface: b}}
      - {name: vm3, network: web, mac: "$VM3_MAC", ip: 10.1.0.13, location: {interface: b}}
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat:
      snat: $SNAT
      floating_ips: [{ip: 203.0.113.20, port: vm1}]
      port_forwards:
        - {ip: $SNAT, protocol: tcp, port: 8080, to: vm1, to_port: 80}
        - {ip: $FWD2, protocol: udp, port: 5000-5009, to: vm1, to_port: 6000-6009}
EOC
	# shellcheck disable=SC2046
	timeout 60 "$VXGATE" $(vxg_eal "vxpfwd-$1") -- -c "$T/$1.yaml" -s "$T/$1.sock" \
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
summary() {
	local v
	v=$(sed -n "s/^replay: $2 $3 //p" "$T/$1.out")
	echo "${v:-0}"
}
expect() {
	[ "$2" = "$3" ] || fail "$1: expected $3, got $2; replay summary: $(grep '^replay:' "$T/$4.out" 2>/dev/null)"
}
expect_n() {
	local got
	got=$(summary "$1" "$2" "$3")
	[ "$got" = "$4" ] || fail "$1: $2 $3: expected $4, got $got; replay summary: $(grep '^replay:' "$T/$1.out")"
}
no_drops() {
	! grep -q "^replay: drop " "$T/$1.out" || fail "$1: unexpected drops: $(grep '^replay:' "$T/$1.out")"
}
same() {
	"$PCAPCHECK" "$2" "$3" >"$T/cmp" 2>&1 ||
		fail "$1: output differs from the expected capture: $(head -20 "$T/cmp")"
}
count() {
	"$PCAPCHECK" --dump "$1" | grep -c "^ *$2: $3$" || true
}
npkts() {
	"$PCAPCHECK" --count 0 "$1" 2>&1 | sed -n 's/.*: \([0-9]*\) packets.*/\1/p'
}

# 1. The forward, both ways: 3 flows of SYN then ACK in; vm1's replies (one flow).
"$PCAPGEN" fip -n 6 --flows 3 --proto tcp --fip $SNAT --dport 8080 --dst-mac $WAN_MAC -o "$T/in.pcap"
"$PCAPGEN" fip -n 6 --flows 3 --proto tcp --dst-ip 10.1.0.11 --dport 80 --ttl 63 \
	--src-mac $WEB_GW --dst-mac $VM1_MAC -o "$T/in.want.pcap"
"$PCAPGEN" snat -n 2 --flows 1 --proto tcp --src-ip 10.1.0.11 --sport 80 --dport 40000 \
	--dst-ip $SERVER --src-mac $VM1_MAC --router-mac $WEB_GW -o "$T/out.pcap"
"$PCAPGEN" snat -n 2 --flows 1 --proto tcp --src-ip $SNAT --sport 8080 --dport 40000 \
	--dst-ip $SERVER --ttl 63 --src-mac $WAN_MAC --router-mac $GW_MAC -o "$T/out.want.pcap"
replay fwd "$T/in.pcap" "" "$T/out.pcap"
no_drops fwd
expect_n fwd event nat_fwd_session 3
expect_n fwd event nat_fwd_in 6
expect_n fwd event nat_fwd_out 2
expect_n fwd event nat_fip_out 0
same "forward in to vm1" "$T/fwd.b.pcap" "$T/in.want.pcap"
same "forward replies out of wan" "$T/fwd.wan4.pcap" "$T/out.want.pcap"
ok "forward: tcp $SNAT:8080 reaches vm1 on 80 from $SERVER (3 sessions); vm1's replies leave as $SNAT:8080, not its floating IP"

# 2. Range mapping: 5007 -> 6007, 5009 -> 6009; 5010 is no forward's.
for p in 5007 5009; do
	"$PCAPGEN" fip -n 2 --flows 2 --proto udp --fip $FWD2 --dport $p --dst-mac $WAN_MAC -o "$T/r$p.pcap"
	"$PCAPGEN" fip -n 2 --flows 2 --proto udp --dst-ip 10.1.0.11 --dport $((p + 1000)) --ttl 63 \
		--src-mac $WEB_GW --dst-mac $VM1_MAC -o "$T/r$p.want.pcap"
	replay range$p "$T/r$p.pcap" "" ""
	no_drops range$p
	same "udp $FWD2:$p to vm1" "$T/range$p.b.pcap" "$T/r$p.want.pcap"
done
"$PCAPGEN" fip -n 2 --proto udp --fip $FWD2 --dport 5010 --dst-mac $WAN_MAC -o "$T/r5010.pcap"
replay range5010 "$T/r5010.pcap" "" ""
expect_n range5010 drop nat_no_session 2
expect "udp $FWD2:5010: packets to vm1" "$(npkts "$T/range5010.b.pcap")" 0 range5010
ok "range: udp $FWD2:5007 reaches vm1:6007, 5009 reaches 6009, 5010 is dropped (nat_no_session)"

# 3. vm1's port unreachable about the forwarded datagram 198.51.100.10:40000 -> 6007.
python3 - "$T/unreach.pcap" "$VM1_MAC" "$WEB_GW" <<'PY'
import struct, sys

def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def ipv4(src, dst, proto, payload, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 7, 0, ttl, proto, 0,
                    bytes(src), bytes(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

quoted = ipv4([198, 51, 100, 10], [10, 1, 0, 11], 17,
              struct.pack("!HHHH", 40000, 6007, 16, 0) + bytes(8), ttl=63)
icmp = struct.pack("!BBHI", 3, 3, 0, 0) + quoted[:28]
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
f = mac(sys.argv[3]) + mac(sys.argv[2]) + b"\x08\x00" + ipv4([10, 1, 0, 11], [198, 51, 100, 10], 1, icmp)
with open(sys.argv[1], "wb") as o:
    o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    o.write(struct.pack("<IIII", 1700000000, 5, len(f), len(f)) + f)
PY
"$PCAPGEN" fip -n 1 --flows 1 --proto udp --fip $FWD2 --dport 5007 --dst-mac $WAN_MAC -o "$T/u.pcap"
replay icmp "$T/u.pcap" "" "$T/unreach.pcap"
no_drops icmp
expect_n icmp event nat_icmp_error 1
f="$T/icmp.wan4.pcap"
expect "error: from $FWD2" "$(count "$f" ip.src $FWD2)" 1 icmp
expect "error: to $SERVER" "$(count "$f" ip.dst $SERVER)" 1 icmp
expect "error: port unreachable" "$(count "$f" icmp.code 3)" 1 icmp
expect "error: quote from $SERVER" "$(count "$f" icmp.orig.ip.src $SERVER)" 1 icmp
expect "error: quote to $FWD2" "$(count "$f" icmp.orig.ip.dst $FWD2)" 1 icmp
expect "error: quote's source port" "$(count "$f" icmp.orig.udp.sport 40000)" 1 icmp
expect "error: quote's destination port" "$(count "$f" icmp.orig.udp.dport 5007)" 1 icmp
expect "error: quote's IPv4 checksum" "$(count "$f" icmp.orig.ip.checksum_valid yes)" 1 icmp
expect "error: ICMP checksum" "$(count "$f" icmp.checksum_valid yes)" 1 icmp
expect "error: IPv4 checksum" "$(count "$f" ip.checksum_valid yes)" 1 icmp
ok "ICMP error: vm1's port unreachable leaves from $FWD2, quoting $SERVER:40000 -> $FWD2:5007 (checksums right)"

# 4. Hairpin to the forward: vm2 -> 203.0.113.10:8080.
"$PCAPGEN" snat -n 4 --flows 2 --proto tcp --dst-ip $SNAT --dport 8080 -o "$T/hpf.pcap"
"$PCAPGEN" snat -n 4 --flows 2 --proto tcp --src-ip $SNAT --dst-ip 10.1.0.11 --dport 80 --ttl 63 \
	--src-mac $WEB_GW --router-mac $VM1_MAC -o "$T/hpf.want.pcap"
replay hpfwd "" "$T/hpf.pcap" ""
no_drops hpfwd
expect_n hpfwd event nat_hairpin_fwd 4
expect_n hpfwd event nat_fwd_session 2
same "hairpin to the forward, at vm1" "$T/hpfwd.b.pcap" "$T/hpf.want.pcap"
expect "hairpin to the forward: out of wan" "$(npkts "$T/hpfwd.wan4.pcap")" 0 hpfwd
ok "hairpin: vm2 -> $SNAT:8080 reaches vm1:80 from vm2's mapping $SNAT:40000, never out of wan (nat_hairpin_fwd 4)"

# 5. Hairpin to an SNAT mapping: vm2's 10.2.0.12:40000 -> server is mapped to
# 203.0.113.10:40000 (its own port, free in the range); vm3 sends there.
"$PCAPGEN" snat -n 1 --flows 1 --proto udp -o "$T/open.pcap"
"$PCAPGEN" snat -n 2 --flows 1 --proto udp --src-ip 10.1.0.13 --sport 41000 --dst-ip $SNAT \
	--dport 40000 --src-mac $VM3_MAC --router-mac $WEB_GW -o "$T/hps.pcap"
"$PCAPGEN" snat -n 2 --flows 1 --proto udp --src-ip $SNAT --sport 41000 --dst-ip 10.2.0.12 \
	--dport 40000 --ttl 63 --src-mac $DB_GW --router-mac $VM2_MAC -o "$T/hps.want.pcap"
replay hpsnat "" "$T/open.pcap" "$T/hps.pcap"
no_drops hpsnat
expect_n hpsnat event nat_hairpin_snat 2
same "hairpin to vm2's mapping, at vm2" "$T/hpsnat.a.pcap" "$T/hps.want.pcap"
expect "hairpin to a mapping: vm3's packets out of wan" "$(count "$T/hpsnat.wan4.pcap" ip.src $SNAT)" 1 hpsnat
replay hpnone "" "" "$T/hps.pcap"
expect_n hpnone drop nat_no_session 2
expect "hairpin without the mapping: packets to vm2" "$(npkts "$T/hpnone.a.pcap")" 0 hpnone
ok "hairpin: vm3 -> $SNAT:40000 (vm2's mapping) reaches 10.2.0.12:40000 from vm3's own mapping $SNAT:41000; without the mapping, nat_no_session"
echo "nat port forward replay test: all passed"
