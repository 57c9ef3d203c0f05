#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The DHCPv6 server on the real binary (net_pcap), from a dual-stack YAML config: vm2 in db
# (dhcpv6-stateful, fixed ip6 2001:db8:2::22) and vm3 in app (dhcpv6-stateless), their
# messages from ip6_svc_frames.py, the replies read back with tshark.
#  1. A Solicit gets an Advertise of vm2's fixed address (IA_NA with its IAID), from the
#     gateway's link-local address to vm2's, port 547 to 546; an Information-request in
#     app gets a Reply with its DNS server and domain list and no address; three malformed
#     messages (an option past the end, no client identifier, a bad UDP checksum) get
#     nothing and are counted under their reasons in show dhcp6 stats.
#  2. vxgate restarts on the same state directory; a Request to the Advertise's server
#     DUID gets a Reply with the same address and DUID; show dhcp6 leases lists who
#     holds the fixed address (DUID, IAID, expiry).
# Skipped (77) without tshark (tools/install-deps.sh installs it).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
if ! command -v tshark >/dev/null; then
	echo "skip - tshark not installed (tools/install-deps.sh installs it)"
	exit 77
fi
VXG_TMP=$(mktemp -d /tmp/vxg-dhcp6-test.XXXXXX)
T=$VXG_TMP
VXG_STATE=$T/state # both runs: the DUID and leases survive the restart
trap 'vxg_stop >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
FRAMES="$SRC/tests/pcap/ip6_svc_frames.py"

cfg() { # NAME: the config reading NAME.in.pcap, writing NAME.out.pcap
	cat >"$T/$1.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024}}
interfaces:
  - {name: a, device: "net_pcap_d6$1,rx_pcap=$T/$1.in.pcap,tx_pcap=$T/$1.out.pcap", role: access}
vpcs:
  - name: blue
    networks:
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64", mode: dhcpv6-stateful, dns: ["2001:db8::53"],
                domain: db.example, range: ["2001:db8:2::100", "2001:db8:2::1ff"]}}
      - {name: app, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1,
         ipv6: {cidr: "2001:db8:3::/64", mode: dhcpv6-stateless,
                dns: ["2001:db8::53", "2001:db8::54"], domain: app.example}}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip6: "2001:db8:2::22",
         location: {interface: a, vlan: 20}}
      - {name: vm3, network: app, mac: "02:00:0a:03:00:0d", location: {interface: a, vlan: 30}}
EOC
}
stats() { # PYTHON-EXPRESSION on show dhcp6 stats -j's "total"
	vxg_ctl -j show dhcp6 stats | vxg_json "(lambda t: $1)(d['total'])"
}
run() { # NAME WANT-SENT: start, wait until that many replies left the server, stop
	cfg "$1"
	vxg_start "d6$1" "$T/$1.yaml"
	for _ in $(seq 1 50); do
		[ "$(stats "t['sent']['advertise'] + t['sent']['reply']")" = "$2" ] && break
		sleep 0.1
	done
	vxg_ctl show dhcp6 stats >"$T/$1.stats"
	vxg_ctl show dhcp6 leases >"$T/$1.leases"
	sleep 0.3 # the last replies leave the worker
	vxg_stop || fail "$1: vxgate did not stop cleanly"
}
# One line per DHCPv6 reply: what a client reads of it (UDP checksum status 1: good).
F="vlan.id eth.src eth.dst ipv6.src ipv6.dst udp.srcport udp.dstport udp.checksum.status"
F="$F dhcpv6.msgtype dhcpv6.iaid dhcpv6.iaaddr.ip dhcpv6.status_code dhcpv6.dns_server"
F="$F dhcpv6.search_list_entry"
replies() {
	local args=() f
	for f in $F; do args+=(-e "$f"); done
	tshark -r "$1" -o udp.check_checksum:TRUE -Y "udp.srcport==547" -T fields -E separator='|' \
		-E occurrence=a -E aggregator=, "${args[@]}" 2>/dev/null
}
server_duid() { # the server identifier (option 2 comes first) of the first reply in FILE, in hex
	tshark -r "$1" -Y "udp.srcport==547" -T fields -e dhcpv6.duid.bytes -E occurrence=f \
		2>/dev/null | head -1 | tr -d ':'
}

# 1. Solicit, Information-request, malformed.
python3 "$FRAMES" "$T/one.in.pcap" solicit info malformed
run one 2
got=$(replies "$T/one.out.pcap")
want="20|02:76:78:00:00:c8|02:00:0a:02:00:0c|fe80::76:78ff:fe00:c8|fe80::aff:fe02:c|547|546|1|2|0a02000c|2001:db8:2::22||2001:db8::53|db.example.
30|02:76:78:00:01:2c|02:00:0a:03:00:0d|fe80::76:78ff:fe00:12c|fe80::aff:fe03:d|547|546|1|7||||2001:db8::53,2001:db8::54|app.example."
[ "$got" = "$want" ] || fail "replies, read back by tshark:
$got
expected:
$want
$(cat "$T/one.stats")"
ok "a Solicit got an Advertise of vm2's fixed address, an Information-request a Reply with DNS and domains, from the gateway's link-local address"
grep -q "^received: solicit 1 request 0 confirm 0 renew 0 rebind 0 release 0 decline 0 information_request 1$" \
	"$T/one.stats" || fail "show dhcp6 stats: $(cat "$T/one.stats")"
grep -q "^dropped: option_truncated 1 missing_client_id 1 bad_udp 1$" "$T/one.stats" ||
	fail "show dhcp6 stats: $(cat "$T/one.stats")"
ok "the malformed messages got nothing, each counted under its reason: $(grep ^dropped "$T/one.stats")"
duid=$(server_duid "$T/one.out.pcap")
[ -n "$duid" ] || fail "no server DUID in the Advertise"

# 2. A restart, then a Request to that server.
python3 "$FRAMES" "$T/two.in.pcap" "request:$duid"
run two 1
got=$(replies "$T/two.out.pcap")
want="20|02:76:78:00:00:c8|02:00:0a:02:00:0c|fe80::76:78ff:fe00:c8|fe80::aff:fe02:c|547|546|1|7|0a02000c|2001:db8:2::22||2001:db8::53|db.example."
[ "$got" = "$want" ] || fail "Reply, read back by tshark:
$got
expected:
$want
$(cat "$T/two.stats")"
[ "$(server_duid "$T/two.out.pcap")" = "$duid" ] || fail "the server DUID changed across the restart"
grep -q "^server duid: $duid$" "$T/two.stats" || fail "show dhcp6 stats: $(cat "$T/two.stats")"
ok "after a restart, a Request to server DUID $duid got a Reply with the fixed address"
want="^blue/db  *2001:db8:2::22  *fixed  *expires in 86[34][0-9][0-9] s iaid 167903244"
grep -q "$want duid 000100012a00000002000a02000c$" "$T/two.leases" ||
	fail "show dhcp6 leases: $(cat "$T/two.leases")"
ok "show dhcp6 leases: vm2's DUID holds its fixed address: $(grep 2001:db8:2::22 "$T/two.leases")"
echo "dhcp6 replay test: all passed"
