#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# VXLAN and the logical switch on the real binary in replay mode (net_pcap in and out):
# - decap: VXLAN from a remote VTEP comes out of the access interface as the exact inner
#   frames (compared with the frames pcapgen builds for the same addresses);
# - encap: frames from a local VM come out of the underlay as VXLAN to the remote VTEP,
#   field by field against pcapgen's VXLAN for the same addresses, the outer source port
#   inside src_ports and the same for every packet of a flow;
# - flood: a broadcast from the overlay goes to the local ports only (split horizon);
#   from a local VM, to the other local port and once to each flood VTEP;
# - garbage: each malformed frame is counted under its own drop reason.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-vxlan-test.XXXXXX)
trap 'rm -rf "$VXG_TMP"' EXIT
T=$VXG_TMP

# $1: file; $2: uplink rx pcap; $3: access rx pcap (may be empty); $4: extra vtep keys
cfg() {
	local acc_rx=""
	[ -n "$3" ] && acc_rx="rx_pcap=$3,"
	cat >"$1" <<EOC
dataplane: {burst: 32, mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_pcap_up,rx_pcap=$2,tx_pcap=$T/up.out.pcap", role: underlay, address: 172.16.0.1/24, mtu: 1600, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}, {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
  - {name: local, device: "net_pcap_acc,${acc_rx}tx_pcap=$T/acc.out.pcap", role: access}
  - {name: trunk, device: "net_pcap_trunk,tx_pcap=$T/trunk.out.pcap", role: access}
vtep: {address: 172.16.0.1 $4}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2]}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, flood: [172.16.0.2, 172.16.0.3]}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", location: {vtep: 172.16.0.2}}
      - {name: vm3, network: web, mac: "02:00:0a:01:00:fe", location: {interface: local}}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: local, vlan: 20}}
      - {name: db2, network: db, mac: "02:00:0a:02:00:0d", location: {vtep: 172.16.0.2}}
      - {name: db3, network: db, mac: "02:00:0a:02:00:0e", location: {interface: trunk, vlan: 30}}
EOC
}
empty() { python3 -c 'import struct,sys; open(sys.argv[1],"wb").write(struct.pack("<IHHiIII",0xa1b2c3d4,2,4,0,0,65535,1))' "$1"; }
replay() { # $1: config; $2: name
	# shellcheck disable=SC2046
	timeout 60 "$VXGATE" $(vxg_eal "vxv-$2") -- -c "$1" -s "$T/$2.sock" -d "$T/$2.state" --replay \
		>"$T/$2.out" 2>&1 || fail "$2 run: $(cat "$T/$2.out")"
}
drops() { sed -n "s/^replay: drop $1 //p" "$T/$2.out"; }

# 1. decap: 100 VXLAN frames for vm3 (web, on `local`, untagged).
"$PCAPGEN" decap -n 100 --macs 1 --dst-mac 02:00:0a:01:00:fe -o "$T/decap.pcap"
"$PCAPGEN" encap -n 100 --src-mac 02:00:0a:01:00:0b --dst-mac 02:00:0a:01:00:fe \
	--src-ip 10.1.0.11 --dst-ip 10.2.0.12 -o "$T/decap.expected.pcap"
empty "$T/none.pcap"
cfg "$T/decap.yaml" "$T/decap.pcap" "" ""
replay "$T/decap.yaml" decap
grep -q "^replay: rx 100 tx 100 punted 0 dropped 0$" "$T/decap.out" || fail "decap totals: $(cat "$T/decap.out")"
"$PCAPCHECK" "$T/acc.out.pcap" "$T/decap.expected.pcap" || fail "decap output differs"
"$PCAPCHECK" --count 0 "$T/up.out.pcap" >/dev/null || fail "decap sent something back to the overlay"
ok "decap: 100 VXLAN frames out of the access port as their exact inner frames"

# 2. encap: vm2 (db, VLAN 20 on `local`) -> db2 behind 172.16.0.2, 8 flows.
"$PCAPGEN" encap -n 64 --flows 8 --vlan 20 -s 68 -o "$T/encap.pcap"
"$PCAPGEN" decap -n 64 --flows 8 --vni 200 -s 114 --vtep-local 172.16.0.2 --vtep-remote 172.16.0.1 \
	--underlay-mac 02:00:ac:10:00:02 --remote-vtep-mac 02:00:ac:10:00:01 \
	--src-mac 02:00:0a:02:00:0c --dst-mac 02:00:0a:02:00:0d --src-ip 10.2.0.12 --dst-ip 10.2.0.13 \
	-o "$T/encap.expected.pcap"
cfg "$T/encap.yaml" "$T/none.pcap" "$T/encap.pcap" ""
replay "$T/encap.yaml" encap
grep -q "^replay: rx 64 tx 64 punted 0 dropped 0$" "$T/encap.out" || fail "encap totals: $(cat "$T/encap.out")"
"$PCAPCHECK" --ignore ip.id --ignore ip.checksum --ignore udp.sport "$T/up.out.pcap" "$T/encap.expected.pcap" ||
	fail "encap output differs"
"$PCAPCHECK" --dump "$T/up.out.pcap" | python3 -c '
import sys
pkts, cur = [], {}
for line in sys.stdin:
    if line.startswith("packet "):
        cur = {}; pkts.append(cur); continue
    k, _, v = line.strip().partition(": ")
    cur[k] = v
ports = {}
for p in pkts:
    s = int(p["udp.sport"])
    assert 32768 <= s <= 60999, s
    ports.setdefault(p["inner.udp.sport"], set()).add(s)
assert len(ports) == 8, ports
assert all(len(v) == 1 for v in ports.values()), ports
assert len(set(next(iter(v)) for v in ports.values())) >= 4, ports
' || fail "outer UDP source ports: not one per flow inside 32768-60999"
ok "encap: 64 frames from VLAN 20 out as VXLAN VNI 200 to 172.16.0.2, one source port per flow"

# 3. The same with udp_port 8472 and df: the outer header says so.
cfg "$T/encap8472.yaml" "$T/none.pcap" "$T/encap.pcap" ", udp_port: 8472, df: true, ttl: 32"
replay "$T/encap8472.yaml" encap8472
"$PCAPCHECK" --vxlan-port 8472 --dump "$T/up.out.pcap" | grep -q "udp.dport: 8472" || fail "udp_port 8472"
[ "$("$PCAPCHECK" --vxlan-port 8472 --dump "$T/up.out.pcap" | grep -c "^  ip.df: 1")" = 64 ] || fail "df"
[ "$("$PCAPCHECK" --vxlan-port 8472 --dump "$T/up.out.pcap" | grep -c "^  ip.ttl: 32")" = 64 ] || fail "ttl"
ok "encap honours udp_port 8472, df and ttl"

# 4. Flooding. From the overlay: a broadcast on db goes to the two local ports (VLAN 20
#    on local, VLAN 30 on trunk) and never back to a VTEP.
"$PCAPGEN" decap -n 3 --vni 200 --src-mac 02:00:0a:02:00:99 --dst-mac ff:ff:ff:ff:ff:ff -o "$T/bcast.pcap"
cfg "$T/bcast.yaml" "$T/bcast.pcap" "" ""
replay "$T/bcast.yaml" bcast
grep -q "^replay: rx 3 tx 6 " "$T/bcast.out" || fail "overlay broadcast: $(cat "$T/bcast.out")"
"$PCAPCHECK" --count 0 "$T/up.out.pcap" >/dev/null || fail "split horizon: a copy went back to the overlay"
"$PCAPCHECK" --dump "$T/acc.out.pcap" | grep -q "vlan.vid: 20" || fail "flood to local VLAN 20"
"$PCAPCHECK" --dump "$T/trunk.out.pcap" | grep -q "vlan.vid: 30" || fail "flood to trunk VLAN 30"
#    From a local VM: unknown unicast on db goes to trunk and once to each flood VTEP.
"$PCAPGEN" encap -n 2 --vlan 20 --dst-mac 02:00:0a:02:00:77 -o "$T/unknown.pcap"
cfg "$T/unknown.yaml" "$T/none.pcap" "$T/unknown.pcap" ""
replay "$T/unknown.yaml" unknown
grep -q "^replay: rx 2 tx 6 " "$T/unknown.out" || fail "local unknown unicast: $(cat "$T/unknown.out")"
"$PCAPCHECK" --count 2 "$T/trunk.out.pcap" >/dev/null || fail "flood to trunk"
"$PCAPCHECK" --count 0 "$T/acc.out.pcap" >/dev/null || fail "flood went back where it came from"
[ "$("$PCAPCHECK" --dump "$T/up.out.pcap" | grep -c "^  ip.dst: 172.16.0.2")" = 2 ] || fail "one copy per packet to 172.16.0.2"
[ "$("$PCAPCHECK" --dump "$T/up.out.pcap" | grep -c "^  ip.dst: 172.16.0.3")" = 2 ] || fail "one copy per packet to 172.16.0.3"
ok "flooding: overlay broadcast to local ports only; local unknown unicast to the trunk and each flood VTEP once"

# 4b. Known unicast between access VLANs: VLAN 20 on local -> db3 on trunk VLAN 30, the
#     tag rewritten, the rest untouched.
"$PCAPGEN" l2 -n 16 --flows 4 --vlan 20 --dst-mac 02:00:0a:02:00:0e -o "$T/l2.pcap"
"$PCAPGEN" l2 -n 16 --flows 4 --vlan 30 --dst-mac 02:00:0a:02:00:0e -o "$T/l2.expected.pcap"
cfg "$T/l2.yaml" "$T/none.pcap" "$T/l2.pcap" ""
replay "$T/l2.yaml" l2
grep -q "^replay: rx 16 tx 16 punted 0 dropped 0$" "$T/l2.out" || fail "l2 totals: $(cat "$T/l2.out")"
"$PCAPCHECK" "$T/trunk.out.pcap" "$T/l2.expected.pcap" || fail "l2 output differs"
ok "known unicast from VLAN 20 to a MAC on trunk VLAN 30: tag rewritten, frame otherwise intact"

# 5. garbage: one malformed frame of each kind, each under its own reason.
"$PCAPGEN" garbage -o "$T/garbage.pcap"
cfg "$T/garbage.yaml" "$T/garbage.pcap" "" ""
replay "$T/garbage.yaml" garbage
for r in eth_truncated:1 eth_src_multicast:1 ip_bad_header:3 ip_bad_checksum:1 vxlan_bad_flags:2 \
	vxlan_unknown_vni:1 ip_fragment:1 vxlan_truncated:1; do
	n=$(drops "${r%%:*}" garbage)
	[ "$n" = "${r#*:}" ] || fail "drop ${r%%:*}: ${n:-0}, expected ${r#*:}: $(cat "$T/garbage.out")"
done
grep -q "^replay: rx 11 tx 0 punted 0 dropped 11$" "$T/garbage.out" || fail "garbage totals: $(cat "$T/garbage.out")"
ok "garbage: each malformed frame counted under its own reason"

# 6. mtu_exceeded: the outer IPv4 packet is the inner frame + 36 bytes and must fit the
#    underlay's 1600: an inner frame of 1564 bytes fits, 1565 does not (+4: the VLAN tag
#    the access port takes off).
"$PCAPGEN" encap -n 1 --vlan 20 -s 1568 -o "$T/fits.pcap"
"$PCAPGEN" encap -n 1 --vlan 20 -s 1569 -o "$T/big.pcap"
cat "$T/fits.pcap" >"$T/mtu.pcap"
tail -c +25 "$T/big.pcap" >>"$T/mtu.pcap"
cfg "$T/mtu.yaml" "$T/none.pcap" "$T/mtu.pcap" ""
replay "$T/mtu.yaml" mtu
[ "$(drops mtu_exceeded mtu)" = 1 ] || fail "mtu_exceeded: $(cat "$T/mtu.out")"
grep -q "^replay: rx 2 tx 1 " "$T/mtu.out" || fail "mtu totals: $(cat "$T/mtu.out")"
ok "an inner frame that does not fit the underlay MTU is dropped as mtu_exceeded"
# 7. The shell: show fdb, show vtep, clear fdb, show memory; learned MACs at the VTEP
#    that sent them, static entries from the config untouched.
"$PCAPGEN" decap -n 40 --macs 4 --src-mac 02:00:0a:01:00:50 --dst-mac 02:00:0a:01:00:fe -o "$T/learn.pcap"
cfg "$T/learn.yaml" "$T/learn.pcap" "" ""
vxg_start vxv-learn "$T/learn.yaml"
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT
for _ in $(seq 1 50); do
	n=$(vxg_ctl -j show fdb web | vxg_json 'd["count"]')
	[ "$n" = 6 ] && break
	sleep 0.1
done
fdb=$(vxg_ctl -j show fdb web)
[ "$n" = 6 ] || fail "show fdb web: $fdb"
echo "$fdb" | vxg_json '[e for e in d["entries"] if e["mac"].lower()=="02:00:0a:01:00:51"][0]' |
	grep -q "'where': '172.16.0.2'.*'type': 'learned'" || fail "learned entry: $fdb"
echo "$fdb" | vxg_json '[e for e in d["entries"] if e["mac"].lower()=="02:00:0a:01:00:fe"][0]' |
	grep -q "'where': 'local'.*'type': 'static'" || fail "static entry: $fdb"
vxg_ctl show fdb 200 | grep -q "local.20 " || fail "show fdb 200: $(vxg_ctl show fdb 200)"
vxg_ctl show fdb | grep -qi "^02:00:0a:01:00:52 .*blue/web .* 100 172.16.0.2 .*learned" ||
	fail "text show fdb: $(vxg_ctl show fdb)"
vtep=$(vxg_ctl -j show vtep)
[ "$(echo "$vtep" | vxg_json '[(r["address"], r["neighbour"], r["macs"], r["rx_packets"], r["tx_packets"]) for r in d["remotes"]]')" = \
	"[('172.16.0.2', 'static', 6, 40, 0), ('172.16.0.3', 'static', 0, 0, 0)]" ] || fail "show vtep: $vtep"
vxg_ctl show vtep | grep -q "^vtep 172.16.0.1 udp port 4789 on uplink" || fail "text show vtep"
# a reload (a new generation, new counter rows) keeps each VTEP's counters
out=$(vxg_ctl reload "$T/learn.yaml" 2>&1) || fail "reload: $out"
vtep=$(vxg_ctl -j show vtep)
[ "$(echo "$vtep" | vxg_json '[(r["address"], r["rx_packets"]) for r in d["remotes"]]')" = \
	"[('172.16.0.2', 40), ('172.16.0.3', 0)]" ] || fail "show vtep after a reload: $vtep"
vxg_ctl -j show memory | vxg_json '[t["bytes"] for t in d["tables"] if t["name"]=="fdb"][0] > 0' |
	grep -q True || fail "show memory lacks the FDB"
all=$(vxg_ctl -j show fdb | vxg_json 'd["count"]')
[ "$(vxg_ctl -j show memory | vxg_json '[t["entries"] for t in d["tables"] if t["name"]=="fdb"][0]')" = "$all" ] ||
	fail "show memory: FDB entries, not $all: $(vxg_ctl show memory)"
vxg_ctl show memory | grep -q "^  fdb .* MB ($all entries)" || fail "text show memory: $(vxg_ctl show memory)"
[ "$(vxg_ctl -j clear fdb web | vxg_json 'd["cleared"]')" = 4 ] || fail "clear fdb web"
[ "$(vxg_ctl -j show fdb | vxg_json 'd["count"]')" = 5 ] || fail "after clear: $(vxg_ctl show fdb)"
if vxg_ctl show fdb nosuch 2>"$T/err"; then fail "show fdb of an unknown network"; fi
grep -q "no network nosuch" "$T/err" || fail "unknown network message: $(cat "$T/err")"
vxg_stop || fail "vxgate exit status"
ok "show fdb / show vtep (its counters kept by a reload) / clear fdb / show memory, text and JSON"
echo "vxlan_test: all passed"
