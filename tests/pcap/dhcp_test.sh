#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The DHCP server in replay mode, on the capture tools/bench's dhcp scenario replays:
# pcapgen's dhcp clients (a DISCOVER, then a REQUEST for the address each always asks
# for) in, the server's replies out of the same access interface.
#  1. dataplane.dhcp_rate: 0 (no global cap): two passes of 10 clients get 40 replies,
#     OFFER then ACK of its own address for each client each pass (the second pass
#     renews), and the lease file holds the 10 bindings.
#  2. dataplane.dhcp_rate: 5: the global bucket holds 5 messages, so at most 10 of the
#     40 are answered (5 more when the replay crosses a second).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
T=$(mktemp -d /tmp/vxg-dhcp-test.XXXXXX)
trap 'rm -rf "$T"' EXIT

replay() { # NAME IN.pcap RATE: run vxgate on IN until drained; NAME.a.pcap
	cat >"$T/$1.yaml" <<EOC
dataplane: {mbufs: 8192, dhcp_rate: $3, limits: {fdb: 4096, neighbours: 1024}}
interfaces:
  - {name: a, device: "net_pcap_da,rx_pcap=$2,tx_pcap=$T/$1.a.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         dhcp: {range: [10.2.0.100, 10.2.0.200]}}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: a}}
EOC
	# shellcheck disable=SC2046
	timeout 60 "$VXGATE" $(vxg_eal "vxdh-$1") -- -c "$T/$1.yaml" -s "$T/$1.sock" \
		-d "$T/$1.state" --replay >"$T/$1.out" 2>&1 || fail "$1: $(cat "$T/$1.out")"
}
count() { # FILE FIELD VALUE: packets whose FIELD is VALUE
	"$PCAPCHECK" --dump "$1" | grep -c "^ *$2: $3$" || true
}

"$PCAPGEN" dhcp -n 40 --macs 10 -o "$T/dhcp.pcap"
[ "$(count "$T/dhcp.pcap" udp.dport 67)" = 40 ] || fail "pcapgen dhcp: 40 frames to port 67"
[ "$(count "$T/dhcp.pcap" frame.len 342)" = 40 ] || fail "pcapgen dhcp: 342-byte frames"

# 1. No cap: every message answered, each client at its own address.
replay open "$T/dhcp.pcap" 0
grep -q "^replay: rx 40 tx 40 punted 40 dropped 0$" "$T/open.out" ||
	fail "open: $(cat "$T/open.out")"
[ "$(count "$T/open.a.pcap" udp.sport 67)" = 40 ] || fail "open: 40 replies from port 67"
for k in 0 1 2 3 4 5 6 7 8 9; do
	[ "$(count "$T/open.a.pcap" ip.dst "10.2.0.$((100 + k))")" = 4 ] ||
		fail "open: client $k did not get 4 replies at 10.2.0.$((100 + k))"
done
[ "$(grep -c "^blue/db 02:00:0A:02:10:0[0-9] 10.2.0.1[0-9][0-9] " "$T/open.state/dhcp.leases")" = 10 ] ||
	fail "open: lease file: $(cat "$T/open.state/dhcp.leases")"
ok "dhcp_rate 0: 10 clients x 2 passes, an OFFER and an ACK of its own address each time"

# 2. A cap of 5 messages a second.
replay capped "$T/dhcp.pcap" 5
n=$(count "$T/capped.a.pcap" udp.sport 67)
if [ "$n" -lt 5 ] || [ "$n" -gt 10 ]; then
	fail "capped: $n replies, want 5 to 10"
fi
ok "dhcp_rate 5: $n of 40 messages answered"
echo "dhcp replay test: all passed"
