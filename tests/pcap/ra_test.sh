#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Router Advertisements on the real binary (net_pcap), from a dual-stack YAML config: three
# networks on one access interface, one per mode (web slaac with MTU 1400, db
# dhcpv6-stateful, app dhcpv6-stateless). Each gateway first advertises by multicast; then
# each VM's Router Solicitation from its link-local address (ip6_svc_frames.py) gets an RA
# unicast to it, whose fields tshark reads back: source fe80::EUI-64(gateway MAC), hop limit
# 255, M/O flags and the prefix's A flag per mode, L=1, MTU, RDNSS, DNSSL, router lifetime,
# the source link-layer option. show ra counts them.
# The access port's rx file is a fifo, so that the solicitations come after the first
# multicast RAs (which would answer them too): the worker waits inside its first rx burst,
# so a primer of one burst (dataplane.burst: 32) goes first.
# Skipped (77) without tshark (tools/install-deps.sh installs it).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
if ! command -v tshark >/dev/null; then
	echo "skip - tshark not installed (tools/install-deps.sh installs it)"
	exit 77
fi
VXG_TMP=$(mktemp -d /tmp/vxg-ra-test.XXXXXX)
T=$VXG_TMP
cleanup() {
	exec 3>&- 2>/dev/null || true
	vxg_stop >/dev/null 2>&1 || true
	rm -rf "$T"
}
trap cleanup EXIT
FRAMES="$SRC/tests/pcap/ip6_svc_frames.py"

cat >"$T/ra.yaml" <<EOC
dataplane: {burst: 32, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024}}
interfaces:
  - {name: a, device: "net_pcap_ra,rx_pcap=$T/in.fifo,tx_pcap=$T/a.out.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, mtu: 1400,
         ipv6: {cidr: "2001:db8:1::/64", mode: slaac, dns: ["2001:db8::53", "2001:db8::54"],
                domain: blue.example, ra_interval: 30, ra_lifetime: 1800}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64", mode: dhcpv6-stateful, ra_interval: 30,
                range: ["2001:db8:2::100", "2001:db8:2::1ff"]}}
      - {name: app, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1,
         ipv6: {cidr: "2001:db8:3::/64", mode: dhcpv6-stateless, ra_interval: 30,
                dns: ["2001:db8::53"], domain: app.example}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", location: {interface: a, vlan: 10}}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip6: "2001:db8:2::22",
         location: {interface: a, vlan: 20}}
      - {name: vm3, network: app, mac: "02:00:0a:03:00:0d", location: {interface: a, vlan: 30}}
EOC
python3 "$FRAMES" "$T/hdr.pcap"
python3 "$FRAMES" "$T/in.pcap" primer rs

mkfifo "$T/in.fifo"
exec 3<>"$T/in.fifo"
cat "$T/hdr.pcap" >&3 # net_pcap opens the file and reads its header at start
vxg_start ra "$T/ra.yaml" 3>&-

ra_sent() { # KIND: the RAs of that kind sent, every network
	vxg_ctl -j show ra | vxg_json "sum(n['sent']['$1'] for n in d['networks'])"
}
for _ in $(seq 1 100); do
	[ "$(ra_sent periodic)" = 3 ] && break
	sleep 0.1
done
[ "$(ra_sent periodic)" = 3 ] || fail "the first multicast RAs: $(vxg_ctl show ra)"
tail -c +25 "$T/in.pcap" >&3
exec 3>&-
for _ in $(seq 1 50); do
	[ "$(ra_sent solicited_unicast)" = 3 ] && break
	sleep 0.1
done
vxg_ctl show ra >"$T/show-ra.txt"
[ "$(ra_sent solicited_unicast)" = 3 ] || fail "3 unicast answers expected: $(cat "$T/show-ra.txt")"
grep -q "^rs received 3, dropped: none$" "$T/show-ra.txt" || fail "show ra: $(cat "$T/show-ra.txt")"
grep -q "^blue/web vni 100: 2001:db8:1::/64 slaac, router lifetime 1800 s, mtu 1400, " \
	"$T/show-ra.txt" || fail "show ra: $(cat "$T/show-ra.txt")"
ok "show ra: 3 RS received, none dropped, 3 unicast answers after the first multicast RAs"
sleep 0.3 # the last answers leave the worker
vxg_stop || fail "vxgate did not stop cleanly"

# Every RA out of the access interface, in a line each.
F="vlan.id eth.dst ipv6.src ipv6.dst ipv6.hlim icmpv6.nd.ra.flag.m icmpv6.nd.ra.flag.o"
F="$F icmpv6.nd.ra.router_lifetime icmpv6.opt.linkaddr icmpv6.opt.prefix icmpv6.opt.prefix.length"
F="$F icmpv6.opt.prefix.flag.l icmpv6.opt.prefix.flag.a icmpv6.opt.prefix.valid_lifetime"
F="$F icmpv6.opt.prefix.preferred_lifetime icmpv6.opt.mtu icmpv6.opt.rdnss icmpv6.opt.rdnss.lifetime"
F="$F icmpv6.opt.dnssl icmpv6.checksum.status"
args=()
for f in $F; do args+=(-e "$f"); done
tshark -r "$T/a.out.pcap" -Y icmpv6.type==134 -T fields -E separator='|' -E occurrence=a \
	-E aggregator=, "${args[@]}" 2>/dev/null | sort >"$T/ra.txt"
[ "$(grep -c "|ff02::1|" "$T/ra.txt")" = 3 ] || fail "3 multicast RAs expected:
$(cat "$T/ra.txt")"
ucast=$(grep -v "|ff02::1|" "$T/ra.txt")
# One line per VM; flag fields read 0/1 (True/False in some tshark versions).
want="10|02:00:0a:01:00:0b|fe80::76:78ff:fe00:64|fe80::aff:fe01:b|255|0|0|1800|02:76:78:00:00:64|2001:db8:1::|64|1|1|86400|14400|1400|2001:db8::53,2001:db8::54|90|blue.example|1
20|02:00:0a:02:00:0c|fe80::76:78ff:fe00:c8|fe80::aff:fe02:c|255|1|1|90|02:76:78:00:00:c8|2001:db8:2::|64|1|0|86400|14400|1450||||1
30|02:00:0a:03:00:0d|fe80::76:78ff:fe00:12c|fe80::aff:fe03:d|255|0|1|90|02:76:78:00:01:2c|2001:db8:3::|64|1|1|86400|14400|1450|2001:db8::53|90|app.example|1"
got=$(echo "$ucast" | sed 's/True/1/g; s/False/0/g')
[ "$got" = "$want" ] || fail "unicast RAs, read back by tshark:
$got
expected:
$want"
ok "each VM got an RA unicast to its link-local address from the gateway's, its flags per mode (slaac A; stateless A O; stateful M O), MTU, RDNSS, DNSSL and router lifetime read back by tshark"
echo "ra replay test: all passed"
