#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# `make run`: vxgate's main job, end to end, without NIC or hugepages.
# Starts vxgate on vdevs (the underlay replays a generated capture through net_pcap),
# drives it with vxgate-ctl, reloads a changed and a broken config, and stops it.
# SHELL_OPEN=1 ends in the interactive vxgate> shell instead of stopping.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP="$BUILD/demo"
rm -rf "$VXG_TMP"
mkdir -p "$VXG_TMP"
trap 'vxg_stop >/dev/null 2>&1 || true' EXIT
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

say "1. Traffic: VXLAN from a hypervisor VTEP, plus one malformed frame of each kind"
# vm1 (web, behind the hypervisor) opens 64 connections to vm2's PostgreSQL port: its
# own MAC and address, so port security passes them, and db's group lets tcp/5432 in
# from members of web.
run "$PCAPGEN" decap -n 1000 --flows 64 --proto tcp --dport 5432 -o "$VXG_TMP/decap.pcap"
run "$PCAPGEN" garbage -o "$VXG_TMP/garbage.pcap"

# One file: net_pcap makes an rx queue per file, and one worker polls one queue per port.
cp "$VXG_TMP/garbage.pcap" "$VXG_TMP/in.pcap"
tail -c +25 "$VXG_TMP/decap.pcap" >>"$VXG_TMP/in.pcap"
CFG="$VXG_TMP/demo.yaml"
sed -e "s|net_tap0,iface=vxg-uplink|net_pcap_up,rx_pcap=$VXG_TMP/in.pcap|" \
	-e "s|net_tap1,iface=vxg-wan|net_null_wan,no-rx=1|" -e "s|net_tap2,iface=vxg-local|net_null_local,no-rx=1|" \
	-e "s|mbufs: 32768|mbufs: 8192|" -e 's|role: underlay,|role: underlay, mac: "02:00:ac:10:00:01",|' \
	"$SRC/config/example.yaml" >"$CFG"
say "2. The config: config/example.yaml with the ports on vdevs (net_pcap, net_null)"
run "$VXGATE" -- --check -c "$CFG"

if [ "${SHELL_OPEN:-0}" = 1 ]; then
	say "3. The shell (try: help, show stats, show interfaces, reload, quit)"
	# shellcheck disable=SC2046
	exec "$VXGATE" $(vxg_eal demo) -- -c "$CFG" -s "$VXG_TMP/vxgate.sock" -d "$VXG_TMP/vxgate.state" -i
fi

say "3. Start: vxgate $(vxg_eal demo) -- -c $CFG"
vxg_start demo "$CFG"
cat "$VXG_LOG"
run "$VXCTL" -s "$VXG_SOCK" show version
run "$VXCTL" -s "$VXG_SOCK" show interfaces
sleep 1
say "4. The replayed capture, counted per interface and per worker, drops by reason"
cat <<'EOT'
The 1000 VXLAN frames decapsulate: vm1 (web) sends TCP to vm2 (db) port 5432. Their inner
frames go to web's gateway MAC, the VPC router routes them to db ('event routed: 1000'),
db's group lets tcp/5432 in from members of web, and they leave on 'local' to vm2 (its
TX in 'show interfaces'). The only drops are the 11 malformed frames, each under its own
reason: eth_truncated (a 10-byte frame), eth_src_multicast (a multicast source MAC),
ip_bad_header (IP version 6, header length 4, total length past the frame: 3),
ip_bad_checksum, ip_fragment (a fragmented outer packet), vxlan_bad_flags (I flag clear,
reserved bits set: 2), vxlan_unknown_vni (VNI 12345) and vxlan_truncated (4 of the 8
bytes of the VXLAN header).
EOT
echo "\$ $VXCTL -s $VXG_SOCK show stats"
stats=$("$VXCTL" -s "$VXG_SOCK" show stats)
echo "$stats"
# What the text above says is what happened.
for want in "packets dropped: 11" "event routed: 1000"; do
	grep -qx "  $want" <<<"$stats" || { echo "demo: expected '$want' there" >&2; exit 1; }
done
run "$VXCTL" -s "$VXG_SOCK" show route
run "$VXCTL" -s "$VXG_SOCK" show router
say "4b. Where the VMs are: vm1 behind the hypervisor VTEP 172.16.0.2, vm2 on 'local'"
cat <<'EOT'
Declared ports are static FDB entries; a MAC the config does not declare would be learned
here from the frames it sends. The remote VTEP stays 'unresolved': nothing in a replay
answers the gateway's ARP, and nothing here is sent to it. 'show interfaces' counts what
left: the routed frames on 'local'; on 'uplink' ARP requests for the remote VTEPs and the
underlay gateway; on 'wan' ARP requests for its gateway and gratuitous ARP for the SNAT
address and the floating IP.
EOT
run "$VXCTL" -s "$VXG_SOCK" show fdb
run "$VXCTL" -s "$VXG_SOCK" show vtep
run "$VXCTL" -s "$VXG_SOCK" show interfaces
say "5. The config as loaded, in JSON"
run "$VXCTL" -s "$VXG_SOCK" -j show config
say "6. Reload a changed config: a third network"
sed 's|^    ports:|      - {name: app, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1}\n    ports:|' "$CFG" >"$VXG_TMP/changed.yaml"
run "$VXCTL" -s "$VXG_SOCK" reload "$VXG_TMP/changed.yaml"
run "$VXCTL" -s "$VXG_SOCK" show config
say "7. Reload a broken config: refused, nothing changes"
sed 's|vni: 300|vni: 100|' "$VXG_TMP/changed.yaml" >"$VXG_TMP/broken.yaml"
run "$VXCTL" -s "$VXG_SOCK" reload "$VXG_TMP/broken.yaml" || echo "(exit status $?: refused as it should be)"
run "$VXCTL" -s "$VXG_SOCK" -j show config
say "8. Stop"
run "$VXCTL" -s "$VXG_SOCK" shutdown
vxg_stop
echo "vxgate stopped cleanly"

# Part two: real Linux peers (needs root for network namespaces).
if [ "$(id -u)" != 0 ] || ! ip netns add vxd-probe 2>/dev/null; then
	say "9. Real peers: skipped (network namespaces need root)"
	exit 0
fi
ip netns del vxd-probe
exec "$SRC/tools/demo-netns.sh" "$BUILD"
