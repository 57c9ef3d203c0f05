#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The real vxgate on net_pcap/net_null vdevs, driven through vxgate-ctl, the shell,
# SIGHUP and DPDK telemetry: a replayed capture is counted per interface and per drop
# reason; a good reload changes `show config`, a broken one changes nothing; garbage on
# the socket and unknown commands get errors and the daemon runs on. The file is
# dual-stack (IPv6 blocks, addresses, pairs, routes and rules): its IPv4 traffic is counted
# as in an IPv4-only file, and an IPv6 egress rule leaves IPv4 egress open.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-daemon-test.XXXXXX)
trap 'vxg_stop || true; rm -rf "$VXG_TMP"' EXIT

# 1. The capture: the garbage scenario (one malformed frame of each kind), then 100
#    well-formed VXLAN packets for the VTEP.
"$PCAPGEN" garbage -o "$VXG_TMP/garbage.pcap"
# From vm1's own MAC and address: port security passes them, db's UDP rule lets them in.
"$PCAPGEN" decap -n 100 --macs 1 -o "$VXG_TMP/decap.pcap"
# One file: with one worker, vxgate reads one rx queue, and net_pcap gives a queue per file.
cp "$VXG_TMP/garbage.pcap" "$VXG_TMP/in.pcap"
tail -c +25 "$VXG_TMP/decap.pcap" >>"$VXG_TMP/in.pcap"
ngarbage=$("$PCAPCHECK" --count 0 "$VXG_TMP/garbage.pcap" 2>&1 | sed -n 's/.*: \([0-9]*\) packets.*/\1/p' || true)
[ -n "$ngarbage" ] || fail "cannot count garbage.pcap"

cfg() { # $1: file; $2: extra network yaml; $3: vni of web
	cat >"$1" <<EOC
dataplane: {burst: 32, mbufs: 8192, limits: {fdb: 65536, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_pcap_up,rx_pcap=$VXG_TMP/in.pcap", role: underlay, address: 172.16.0.1/24, gateway: 172.16.0.254, mtu: 1600, mac: "02:00:ac:10:00:01"}
  - {name: wan, device: "net_null_wan,no-rx=1", role: external, address: 203.0.113.2/24, gateway: 203.0.113.1,
     address6: "2001:db8:ff::2/64", gateway6: "2001:db8:ff::1"}
  - {name: local, device: "net_null_local,no-rx=1", role: access}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: ${3:-100}, cidr: 10.1.0.0/24, gateway: 10.1.0.1, dhcp: {range: [10.1.0.100, 10.1.0.199]},
         ipv6: {cidr: "2001:db8:1::/64", mode: slaac}}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1,
         ipv6: {cidr: "2001:db8:2::/64", mode: dhcpv6-stateful, range: ["2001:db8:2::100", "2001:db8:2::1ff"]}}
$2
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {vtep: 172.16.0.2}, security_groups: [web],
         allowed_address_pairs: [{ip: "2001:db8:1::/120", mac: "02:00:0a:01:00:aa"}]}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, ip6: "2001:db8:2::12", location: {interface: local}, security_groups: [db]}
    routes:
      - {prefix: "::/0", via: wan}
    security_groups:
      - name: web
        rules:
          - {direction: ingress, protocol: tcp, ports: 80, remote: 0.0.0.0/0}
          - {direction: ingress, protocol: icmp, remote: 0.0.0.0/0}
          - {direction: egress, ethertype: ipv6, protocol: tcp}
      - name: db
        rules:
          - {direction: ingress, protocol: tcp, ports: 5432-5433, remote_group: web}
          - {direction: ingress, protocol: udp, remote_group: web}
          - {direction: ingress, ethertype: ipv6, protocol: udp, remote_group: web}
EOC
}
cfg "$VXG_TMP/a.yaml" ""
cfg "$VXG_TMP/b.yaml" "      - {name: app, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1}"
cfg "$VXG_TMP/broken.yaml" "      - {name: app, vni: 200, cidr: 10.3.0.0/24, gateway: 10.3.0.1}"

# 2. --check, like nginx -t.
"$VXGATE" -- --check -c "$SRC/config/example.yaml" | grep -q ": OK" || fail "--check example"
if "$VXGATE" -- --check -c "$VXG_TMP/broken.yaml" 2>"$VXG_TMP/check.err"; then
	fail "--check accepted a duplicate VNI"
fi
grep -qE "broken.yaml:[0-9]+:[0-9]+: .*(VNI|vni) 200" "$VXG_TMP/check.err" ||
	fail "--check message lacks file:line:col: $(cat "$VXG_TMP/check.err")"
ok "--check accepts the example and names file:line:col of a duplicate VNI"

# 3. Start, replay, count.
vxg_start daemon "$VXG_TMP/a.yaml"
total=$((ngarbage + 100))
for _ in $(seq 1 50); do
	rx=$(vxg_ctl -j show stats | vxg_json 'sum(w["rx"] for w in d["workers"])')
	[ "$rx" -ge "$total" ] && break
	sleep 0.1
done
[ "$rx" = "$total" ] || fail "workers received $rx packets, expected $total"
stats=$(vxg_ctl -j show stats)
# Router Advertisements of the dual-stack network may find no port to go to
# (l2_no_flood_target), whenever they come: not the capture's.
drops=$(echo "$stats" | vxg_json 'sum(w["dropped"] - w["drops"]["l2_no_flood_target"] for w in d["workers"])')
[ "$drops" = "$ngarbage" ] || fail "dropped $drops, expected the $ngarbage garbage frames"
# The port has the MAC pcapgen addresses VXLAN to, so the 100 good packets are
# decapsulated rather than dropped as not_for_us; their inner frames go to the web
# gateway's MAC: the router sends them to vm2 (db, a static neighbour) on `local`.
routed=$(echo "$stats" | vxg_json "sum(w['events']['routed'] for w in d['workers'])")
[ "$routed" = 100 ] || fail "routed = $routed, expected the 100 VXLAN packets"
mac=$(vxg_ctl -j show interfaces | vxg_json '[i["mac"] for i in d["interfaces"] if i["name"]=="uplink"][0]')
[ "$mac" = 02:00:AC:10:00:01 ] || [ "$mac" = 02:00:ac:10:00:01 ] || fail "uplink MAC $mac, config says 02:00:ac:10:00:01"
for r in eth_truncated eth_src_multicast; do
	n=$(echo "$stats" | vxg_json "sum(w['drops']['$r'] for w in d['workers'])")
	[ "$n" = 1 ] || fail "drop $r = $n, expected 1"
done
cpp=$(echo "$stats" | vxg_json 'd["workers"][0]["cycles_per_packet"]')
python3 -c "import sys; sys.exit(0 if float('$cpp') > 0 else 1)" || fail "cycles/packet is $cpp"
ifrx=$(vxg_ctl -j show interfaces | vxg_json '[i["rx_packets"] for i in d["interfaces"] if i["name"]=="uplink"][0]')
[ "$ifrx" = "$total" ] || fail "interface uplink rx $ifrx, expected $total"
vxg_ctl show stats | grep -q "avg processing cycles per packet" || fail "text show stats"
vxg_ctl show interfaces | grep -qE "^uplink +underlay" || fail "text show interfaces"
ok "replayed $total packets: counted per interface and per drop reason, $cpp cycles/packet"

# 4. show config on the first file.
conf=$(vxg_ctl -j show config)
[ "$(echo "$conf" | vxg_json '(d["vpcs"],d["networks"],d["ports"],d["security_groups"],d["rules"],d["generation"])')" = "(1, 2, 2, 2, 6, 1)" ] ||
	fail "show config: $conf"
[ "$(echo "$conf" | vxg_json 'tuple(d["ipv6"][k] for k in ("networks","addresses","addresses_eui64","routes","rules","interfaces"))')" = "(2, 2, 1, 1, 2, 1)" ] ||
	fail "show config ipv6: $conf"
vxg_ctl show router | grep -q "ipv6 2001:db8:1::/64 gateway 2001:db8:1::1 mode slaac" ||
	fail "show router ipv6: $(vxg_ctl show router)"
vxg_ctl -j show interfaces | vxg_json '[i["address6"] + " " + i["gateway6"] for i in d["interfaces"] if i["name"]=="wan"][0]' |
	grep -qx "2001:db8:ff::2/64 2001:db8:ff::1" || fail "show interfaces address6: $(vxg_ctl -j show interfaces)"
ok "show config counts the file, its IPv6 side too (router, interfaces)"
# show memory: the DHCP lease slots (one per address of the range), and an FDB sized by
# its limit, about 80 bytes an entry (the fixed part is small beside 65536 of them).
mem=$(vxg_ctl -j show memory)
mem_row() { # $1: table name, $2: field
	echo "$mem" | vxg_json "[t.get('$2', -1) for t in d['tables'] if t['name'] == '$1'][0]"
}
[ "$(mem_row "dhcp leases" entries)" = 100 ] || fail "show memory: dhcp leases: $mem"
[ "$(mem_row "dhcp leases" bytes)" -gt 0 ] || fail "show memory: dhcp lease bytes: $mem"
per_fdb=$(($(mem_row fdb bytes) / 65536))
[ "$per_fdb" -ge 40 ] && [ "$per_fdb" -le 200 ] || fail "show memory: $per_fdb bytes an FDB entry"
ok "show memory: DHCP's 100 lease slots, $per_fdb bytes an FDB entry"

# 5. A good reload changes it; a broken one changes nothing and says where.
vxg_ctl reload "$VXG_TMP/b.yaml" | grep -q "generation 2" || { tail -30 "$VXG_LOG" >&2; fail "reload b.yaml"; }
[ "$(vxg_ctl -j show config | vxg_json '(d["networks"],d["generation"])')" = "(3, 2)" ] ||
	fail "show config after reload"
if vxg_ctl reload "$VXG_TMP/broken.yaml" 2>"$VXG_TMP/reload.err"; then
	fail "reload accepted a duplicate VNI"
fi
grep -qE "broken.yaml:[0-9]+:[0-9]+:" "$VXG_TMP/reload.err" || fail "reload error: $(cat "$VXG_TMP/reload.err")"
[ "$(vxg_ctl -j show config | vxg_json '(d["networks"],d["generation"],d["file"].endswith("b.yaml"))')" = "(3, 2, True)" ] ||
	fail "a refused reload changed the config"
vxg_ctl -j reload "$VXG_TMP/broken.yaml" 2>&1 | vxg_json 'd["error"]' | grep -q "nothing changed" ||
	fail "JSON error for a refused reload"
ok "reload applies a good file (generation 2) and refuses a broken one, naming file:line:col"

# 6. SIGHUP reloads the current file.
cp "$VXG_TMP/a.yaml" "$VXG_TMP/b.yaml"
kill -HUP "$VXG_PID"
for _ in $(seq 1 50); do
	g=$(vxg_ctl -j show config | vxg_json '(d["networks"],d["generation"])')
	[ "$g" = "(2, 3)" ] && break
	sleep 0.1
done
[ "$g" = "(2, 3)" ] || fail "SIGHUP reload: $g"
ok "SIGHUP reloads"

# 7. Bad commands and garbage get errors; the daemon runs on.
if vxg_ctl show nonsense 2>"$VXG_TMP/err"; then fail "unknown command accepted"; fi
grep -q "unknown command" "$VXG_TMP/err" || fail "unknown command message: $(cat "$VXG_TMP/err")"
if vxg_ctl quit 2>/dev/null; then fail "quit over the socket should be refused"; fi
reply=$(printf 'garbage\n' | socat -t 2 - "UNIX-CONNECT:$VXG_SOCK" || true)
echo "$reply" | grep -q "^ERR" || fail "garbage got: $reply"
reply=$(printf 'T show\001version\n' | socat -t 2 - "UNIX-CONNECT:$VXG_SOCK" || true)
echo "$reply" | grep -q "^ERR" || fail "control characters got: $reply"
head -c 10000 /dev/urandom | socat -t 2 - "UNIX-CONNECT:$VXG_SOCK" >/dev/null 2>&1 || true
socat -T 3 - "UNIX-CONNECT:$VXG_SOCK" </dev/null >/dev/null 2>&1 || true
vxg_ctl show version | grep -q "^vxgate" || fail "daemon died after garbage"
ok "garbage and unknown commands get errors; the daemon answers after them"

# 8. DPDK telemetry endpoints.
tsock=/var/run/dpdk/vxg-daemon/dpdk_telemetry.v2
[ -S "$tsock" ] || tsock=${XDG_RUNTIME_DIR:-/tmp}/dpdk/vxg-daemon/dpdk_telemetry.v2
python3 - "$tsock" "$total" <<'EOF2' || fail "telemetry"
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
json.loads(s.recv(4096))
def q(cmd):
    s.send(cmd.encode())
    return json.loads(s.recv(65536))
st = q("/vxgate/stats")["/vxgate/stats"]
assert st["rx"] == int(sys.argv[2]), st
assert st["drops"]["eth_truncated"] == 1, st
assert "fdb_learned" in st["events"], st
ifs = q("/vxgate/interfaces")["/vxgate/interfaces"]
assert set(ifs) == {"uplink", "wan", "local"}, ifs
assert q("/vxgate/config")["/vxgate/config"]["generation"] == 3
EOF2
ok "telemetry /vxgate/stats, /vxgate/interfaces, /vxgate/config"

# 9. clear stats.
vxg_ctl clear stats >/dev/null
[ "$(vxg_ctl -j show stats | vxg_json 'd["workers"][0]["rx"]')" = 0 ] || fail "clear stats"
ok "clear stats"

# 10. shutdown: a clean exit.
vxg_stop || fail "vxgate exited non-zero after shutdown: $(cat "$VXG_LOG")"
ok "shutdown exits 0"

# 11. The interactive shell, fed on stdin.
# shellcheck disable=SC2046
printf 'show version\nshow config\nhelp\nfrobnicate\nquit\n' | timeout 30 "$VXGATE" \
	$(vxg_eal shell) -- -c "$VXG_TMP/a.yaml" -s "$VXG_TMP/shell.sock" -i >"$VXG_TMP/shell.out" 2>&1 ||
	fail "shell exit: $(cat "$VXG_TMP/shell.out")"
for want in "vxgate> " "vxgate $(cat "$SRC/meson.build" | grep -oE "version: '[0-9.]+'" | grep -oE "[0-9.]+")" "networks: 2" "show stats:" "Command not found"; do
	grep -qF "$want" "$VXG_TMP/shell.out" || fail "shell output lacks \"$want\": $(cat "$VXG_TMP/shell.out")"
done
ok "interactive shell: prompt, commands, help, unknown command, quit"

# 12. Start-up errors name what is wrong.
sed 's/net_null_wan/net_bogus_wan/' "$VXG_TMP/a.yaml" >"$VXG_TMP/nodev.yaml"
# shellcheck disable=SC2046
if "$VXGATE" $(vxg_eal nodev) -- -c "$VXG_TMP/nodev.yaml" -s "$VXG_TMP/nodev.sock" >"$VXG_TMP/nodev.out" 2>&1; then
	fail "started with a bogus device"
fi
grep -q "interface wan: cannot probe device \"net_bogus_wan" "$VXG_TMP/nodev.out" ||
	fail "missing device message: $(cat "$VXG_TMP/nodev.out")"
if "$VXGATE" --bogus-eal-option -- -c "$VXG_TMP/a.yaml" >"$VXG_TMP/eal.out" 2>&1; then
	fail "started with a bad EAL option"
fi
grep -q "EAL init failed" "$VXG_TMP/eal.out" || fail "EAL error message: $(cat "$VXG_TMP/eal.out")"
ok "a missing device and a bad EAL option are named"
# 13. Replay mode: net_pcap in and out; vxgate exits by itself once the input is drained
#     and the output flushed.
sed -e "s|net_pcap_up,rx_pcap=$VXG_TMP/in.pcap|net_pcap_up,rx_pcap=$VXG_TMP/in.pcap,tx_pcap=$VXG_TMP/out.pcap|" \
	"$VXG_TMP/a.yaml" >"$VXG_TMP/replay.yaml"
# shellcheck disable=SC2046
timeout 60 "$VXGATE" $(vxg_eal replay) -- -c "$VXG_TMP/replay.yaml" -s "$VXG_TMP/replay.sock" -d "$VXG_TMP/replay.state" \
	--replay >"$VXG_TMP/replay.out" 2>&1 || fail "replay run: $(cat "$VXG_TMP/replay.out")"
# What goes out of the uplink is vxgate's own ARP probes for the next hops it needs (no
# static neighbours here): the VTEP 172.16.0.2 and the underlay gateway. The 100 routed
# packets leave on `local` (net_null).
# (an RA of the dual-stack network with no port to go to is l2_no_flood_target, if sent)
nra=$(sed -n "s/^replay: drop l2_no_flood_target \([0-9]*\)$/\1/p" "$VXG_TMP/replay.out")
ntx=$(sed -n "s/^replay: rx $total tx \([0-9]*\) punted 0 dropped $((ngarbage + ${nra:-0}))$/\1/p" "$VXG_TMP/replay.out")
[ -n "$ntx" ] && [ "$ntx" -ge 102 ] || fail "replay totals: $(cat "$VXG_TMP/replay.out")"
# The uplink's capture holds the ARP probes; the rest of tx beyond the 100 routed packets
# are Router Advertisements on `local`, when one was due before the end.
ntx=$((ntx - 100))
grep -q "^replay: drop eth_truncated 1$" "$VXG_TMP/replay.out" || fail "replay drops"
nout=$("$PCAPCHECK" --count 0 "$VXG_TMP/out.pcap" 2>&1 | sed -n 's/.*: \([0-9]*\) packets.*/\1/p' || true)
[ -n "$nout" ] && [ "$nout" -ge 2 ] && [ "$nout" -le "$ntx" ] ||
	fail "replay output: $nout packets, expected 2 to $ntx"
"$PCAPCHECK" --dump "$VXG_TMP/out.pcap" >"$VXG_TMP/out.dump"
[ "$(grep -c '^ *arp.op: 1$' "$VXG_TMP/out.dump")" = "$nout" ] ||
	fail "replay output is not only ARP requests: $(cat "$VXG_TMP/out.dump")"
for tpa in 172.16.0.2 172.16.0.254; do
	grep -q "^ *arp.tpa: $tpa$" "$VXG_TMP/out.dump" || fail "no ARP probe for $tpa"
done
ok "replay mode ends by itself after $total packets; the output capture is flushed"
echo "core_test: all passed"
