#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# QoS on the real binary (net_pcap in, read once): a known burst through ports with
# policies, counted in `show qos`, and the re-marked packets read back.
# VPC blue: vm2 (db, 10.2.0.12, 2001:db8:2::12) on access interface a with policy
# `slow` (egress 1mbit, burst 64kb, drop); vm1 (web, 10.1.0.11, 2001:db8:1::11) on b
# with `mark` (ingress 1mbit, burst 10kb, remark DSCP 10). At 1 Mbit/s a 1000-byte
# packet takes 8 ms to refill: a burst read in well under that is metered as at t=0.
#  1. IPv4: 100 packets of 1000 IP bytes routed vm2 -> vm1: vm2's egress lets 64 through
#     (64 * 1000 <= 64000), drops 36 (qos_exceeded); vm1's ingress passes 10 as they are
#     and re-marks 54 with DSCP 10 (TOS 0x28, header checksum right). `show qos -j`
#     counts packets and bytes of each.
#  2. The same over IPv6 (routed6): IP bytes are 40 + payload; the traffic class of the
#     re-marked ones is DSCP 10.
#  3. A reload that changes vm1's policy keeps vm2's meter and counters, and starts
#     vm1's again.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-qos-test.XXXXXX)
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP

VM1_MAC=02:00:0a:01:00:0b VM2_MAC=02:00:0a:02:00:0c

config() { # NAME RX_PCAP MARK_RATE
	cat >"$T/$1.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: a, device: "net_pcap_qa,rx_pcap=$2,tx_pcap=$T/$1.a.pcap", role: access}
  - {name: b, device: "net_pcap_qb,tx_pcap=$T/$1.b.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, ipv6: {cidr: "2001:db8:1::/64"}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, ipv6: {cidr: "2001:db8:2::/64"}}
    qos_policies:
      - {name: slow, egress: {rate: 1mbit, burst: 64kb}}
      - {name: mark, ingress: {rate: ${3:-1mbit}, burst: 10kb}, action: remark, dscp: 10}
    ports:
      - {name: vm2, network: db, mac: "$VM2_MAC", ip: 10.2.0.12, ip6: "2001:db8:2::12", location: {interface: a}, qos: slow}
      - {name: vm1, network: web, mac: "$VM1_MAC", ip: 10.1.0.11, ip6: "2001:db8:1::11", location: {interface: b}, qos: mark}
EOC
}
# qos_json NAME: `show qos -j` into NAME.qos.json
qos_json() {
	vxg_ctl -j show qos >"$T/$1.qos.json" || fail "show qos"
}
# counter NAME KIND ATT DIR FIELD
counter() {
	python3 - "$T/$1.qos.json" "$2" "$3" "$4" "$5" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for v in d["vpcs"]:
    for a in v["attachments"]:
        if a["kind"] == sys.argv[2] and a["name"] == sys.argv[3]:
            print(a[sys.argv[4]][sys.argv[5]])
            sys.exit(0)
print("none")
PY
}
expect() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; }
dscp_count() { # FILE FIELD VALUE
	"$PCAPCHECK" --dump "$1" | grep -c "^ *$2: $3$" || true
}
# run NAME PCAP: start, wait for the capture to be read, show qos, stop
run() {
	config "$1" "$2"
	vxg_start "qos$1" "$T/$1.yaml"
	for _ in $(seq 1 50); do
		vxg_ctl -j show stats >"$T/st.json"
		[ "$(vxg_json 'sum(w["rx"] for w in d["workers"])' <"$T/st.json")" = 100 ] && break
		sleep 0.1
	done
	qos_json "$1"
	vxg_ctl -j show stats >"$T/$1.stats.json"
}
drops() { vxg_json 'sum(w["drops"].get("qos_exceeded", 0) for w in d["workers"])' <"$T/$1.stats.json"; }

# 1. IPv4
"$PCAPGEN" routed -n 100 -s 1014 -o "$T/in4.pcap"
run v4 "$T/in4.pcap"
expect "vm2 egress conforming" "$(counter v4 port vm2 egress conform_packets)" 64
expect "vm2 egress conforming bytes" "$(counter v4 port vm2 egress conform_bytes)" 64000
expect "vm2 egress exceeding" "$(counter v4 port vm2 egress exceed_packets)" 36
expect "vm2 egress exceeding bytes" "$(counter v4 port vm2 egress exceed_bytes)" 36000
expect "vm1 ingress conforming" "$(counter v4 port vm1 ingress conform_packets)" 10
expect "vm1 ingress exceeding (re-marked)" "$(counter v4 port vm1 ingress exceed_packets)" 54
expect "qos_exceeded drops" "$(drops v4)" 36
vxg_ctl show qos >"$T/v4.qos.txt"
grep -q "port vm2 .*slow .*egress .* 64 .* 64000 .* 36 .* 36000" "$T/v4.qos.txt" ||
	fail "show qos: $(cat "$T/v4.qos.txt")"
vxg_stop
expect "IPv4 packets out of b" "$(dscp_count "$T/v4.b.pcap" ip.dst 10.1.0.11)" 64
expect "IPv4 re-marked (TOS 0x28)" "$(dscp_count "$T/v4.b.pcap" ip.tos 0x28)" 54
expect "IPv4 left alone" "$(dscp_count "$T/v4.b.pcap" ip.tos 0x00)" 10
expect "IPv4 checksums" "$(dscp_count "$T/v4.b.pcap" ip.checksum_valid yes)" 64
ok "IPv4: of 100 packets of 1000 IP bytes, vm2's egress (1mbit, 64kb) passes 64 and drops 36 (qos_exceeded); vm1's ingress (10kb, remark) passes 10 and re-marks 54 with DSCP 10, checksums right; show qos counts each"

# 2. IPv6: 40 + 960 = 1000 IP bytes a packet, the same counts
"$PCAPGEN" routed6 -n 100 -s 1014 -o "$T/in6.pcap"
run v6 "$T/in6.pcap"
expect "IPv6 vm2 egress conforming" "$(counter v6 port vm2 egress conform_packets)" 64
expect "IPv6 vm2 egress exceeding bytes" "$(counter v6 port vm2 egress exceed_bytes)" 36000
expect "IPv6 vm1 ingress exceeding" "$(counter v6 port vm1 ingress exceed_packets)" 54
vxg_stop
n=$(python3 - "$T/v6.b.pcap" <<'PY'
import struct, sys
b, off, n, udp = open(sys.argv[1], "rb").read(), 24, 0, 0
while off + 16 <= len(b):
    incl = struct.unpack_from("<I", b, off + 8)[0]
    ip = b[off + 16 + 14:off + 16 + incl]
    if ip[0] >> 4 == 6 and ip[6] == 17:  # the UDP ones: not the RAs
        udp += 1
        n += ((ip[0] & 15) << 4 | ip[1] >> 4) == 0x28
    off += 16 + incl
print("%d/%d" % (n, udp))
PY
)
expect "IPv6 re-marked (traffic class 0x28) / out of b" "$n" 54/64
ok "IPv6: the same counts on IP bytes (40 + payload), 54 re-marked with traffic class 0x28"

# 3. Reload: vm1's policy changes (its meter starts again), vm2's stays (its counters too).
run rl "$T/in4.pcap"
config rl "$T/in4.pcap" 2mbit
vxg_ctl reload >/dev/null || fail "reload"
qos_json rl2
expect "vm2 kept across the reload" "$(counter rl2 port vm2 egress conform_packets)" 64
expect "vm1 started again" "$(counter rl2 port vm1 ingress conform_packets)" 0
vxg_stop
ok "reload: vm2's meter and counters kept (64), vm1's changed policy starts from zero"
