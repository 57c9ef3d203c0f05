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
run "$PCAPGEN" decap -n 1000 --macs 16 --flows 64 -o "$VXG_TMP/decap.pcap"
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
echo "(the VXLAN frames decapsulate; their inner frames go to the web gateway's MAC and the VPC router sends them to vm2 in db, on the 'local' interface: event 'routed'; every malformed frame is dropped under its own reason)"
run "$VXCTL" -s "$VXG_SOCK" show stats
run "$VXCTL" -s "$VXG_SOCK" show route
run "$VXCTL" -s "$VXG_SOCK" show router
say "4b. What the VTEP learned: the hypervisor's VMs, behind 172.16.0.2"
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
