#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The Prometheus endpoint (metrics: {listen: ...}) of the real vxgate on net_pcap:
#  1. a replayed capture moves the counters a scrape shows, and `promtool check metrics`
#     finds nothing wrong with the text;
#  2. hostile clients (one connects and sends nothing, one trickles a request that never
#     ends) hold neither the control thread (`show version` answers at once) nor other
#     scrapes;
#  3. the real Prometheus server scrapes vxgate every second; its query API says the
#     target is up and has the replayed packet count;
#  4. reloads: moving listen restarts the listener, a listen that cannot be bound is
#     refused with file:line:col and changes nothing, no metrics: closes it.
# Skipped (77) with the reason without curl, promtool or prometheus (tools/install-deps.sh).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
for tool in curl promtool prometheus; do
	if ! command -v $tool >/dev/null; then
		echo "skip - $tool not installed (tools/install-deps.sh installs it)"
		exit 77
	fi
done
VXG_TMP=$(mktemp -d /tmp/vxg-metrics-test.XXXXXX)
PROM_PID= HOSTILE_PID=
cleanup() {
	[ -z "$HOSTILE_PID" ] || kill "$HOSTILE_PID" 2>/dev/null || true
	[ -z "$PROM_PID" ] || kill "$PROM_PID" 2>/dev/null || true
	[ -z "$PROM_PID" ] || wait "$PROM_PID" 2>/dev/null || true
	vxg_stop || true
	rm -rf "$VXG_TMP"
}
trap cleanup EXIT

# Ports nothing listens on now: metrics, metrics after a move, Prometheus.
read -r MPORT MPORT2 PPORT < <(python3 -c '
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')

# 1. The capture of the core test: garbage (one malformed frame of each kind, dropped),
#    then 100 VXLAN packets from vm1 that the router sends to vm2 on `local`, then an RS
#    and a DHCPv6 Solicit from vm3 in app (dual-stack) behind VTEP 172.16.0.2.
"$PCAPGEN" garbage -o "$VXG_TMP/garbage.pcap"
"$PCAPGEN" decap -n 100 --macs 1 -o "$VXG_TMP/decap.pcap"
cp "$VXG_TMP/garbage.pcap" "$VXG_TMP/in.pcap"
tail -c +25 "$VXG_TMP/decap.pcap" >>"$VXG_TMP/in.pcap"
python3 "$SRC/tests/pcap/ip6_svc_frames.py" "$VXG_TMP/v6.pcap" vxlan-vm3
tail -c +25 "$VXG_TMP/v6.pcap" >>"$VXG_TMP/in.pcap"
ngarbage=$("$PCAPCHECK" --count 0 "$VXG_TMP/garbage.pcap" 2>&1 | sed -n 's/.*: \([0-9]*\) packets.*/\1/p' || true)
[ -n "$ngarbage" ] || fail "cannot count garbage.pcap"
total=$((ngarbage + 100 + 2))

cfg() { # $1: file; $2: the metrics section
	cat >"$1" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096}}
interfaces:
  - {name: uplink, device: "net_pcap_mup,rx_pcap=$VXG_TMP/in.pcap", role: underlay, address: 172.16.0.1/24, gateway: 172.16.0.254, mtu: 1600, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
  - {name: local, device: "net_null_mlocal,no-rx=1", role: access}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    limits: {conntrack: 8192} # its own, over dataplane.limits' 262144
    networks:
      - {name: app, vni: 300, cidr: 10.3.0.0/24, gateway: 10.3.0.1,
         ipv6: {cidr: "2001:db8:3::/64", mode: dhcpv6-stateful, range: ["2001:db8:3::100", "2001:db8:3::1ff"]}}
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, dhcp: {range: [10.2.0.100, 10.2.0.109]},
         ipv6: {cidr: "2001:db8:2::/64"}}
    ports:
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {vtep: 172.16.0.2}, security_groups: [web]}
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, location: {interface: local}, security_groups: [db]}
      - {name: vm3, network: app, mac: "02:00:0a:03:00:0d", location: {vtep: 172.16.0.2}}
    security_groups:
      - name: web
        rules:
          - {direction: egress, protocol: any, remote: 0.0.0.0/0}
      - name: db
        rules:
          - {direction: ingress, protocol: udp, remote_group: web}
$2
EOC
}
cfg "$VXG_TMP/a.yaml" "metrics: {listen: 127.0.0.1:$MPORT}"
cfg "$VXG_TMP/moved.yaml" "metrics: {listen: 127.0.0.1:$MPORT2}"
cfg "$VXG_TMP/taken.yaml" "metrics: {listen: 127.0.0.1:$PPORT}"
cfg "$VXG_TMP/off.yaml" ""

VXG_STATE="$VXG_TMP/state" vxg_start metrics "$VXG_TMP/a.yaml"
for _ in $(seq 1 50); do
	rx=$(vxg_ctl -j show stats | vxg_json 'sum(w["rx"] for w in d["workers"])')
	[ "$rx" -ge "$total" ] && break
	sleep 0.1
done
[ "$rx" = "$total" ] || fail "workers received $rx packets, expected $total"

scrape() { # $1: port; the text on stdout
	curl -sS --max-time 3 "http://127.0.0.1:$1/metrics"
}
# sample TEXT NAME{LABELS}: the value of that sample (exact labels), or nothing
sample() {
	awk -v k="$2" '$1 == k { print $2 }' <<<"$1"
}
# total TEXT NAME REGEX: the sum of NAME's samples whose labels match REGEX
sum_of() {
	awk -v n="$2" -v re="$3" 'index($1, n "{") == 1 && $1 ~ re { s += $2 } END { print s + 0 }' <<<"$1"
}

# The RS is answered within 0.5 s (RFC 4861 6.2.6).
RA_SOLICITED='vxgate_ra_sent_total{vpc="blue",network="app",kind="solicited"}'
for _ in $(seq 1 30); do
	text=$(scrape "$MPORT") || fail "no scrape on 127.0.0.1:$MPORT"
	[ "$(sample "$text" "$RA_SOLICITED")" = 1 ] && break
	sleep 0.1
done
curl -sS -o /dev/null -D - "http://127.0.0.1:$MPORT/metrics" | grep -qi "^content-type: text/plain; version=0.0.4" ||
	fail "content type is not the text format 0.0.4"
lint=$(promtool check metrics <<<"$text" 2>&1) || fail "promtool check metrics: $lint"
[ -z "$lint" ] || fail "promtool check metrics: $lint"
ok "promtool check metrics is clean"

[ "$(sum_of "$text" vxgate_worker_packets_total 'direction="rx"')" = "$total" ] ||
	fail "rx $(sum_of "$text" vxgate_worker_packets_total 'direction="rx"'), expected $total"
# tx: the 100 routed packets, and what control sent through the worker (ARP)
[ "$(sum_of "$text" vxgate_worker_packets_total 'direction="tx"')" -ge 100 ] ||
	fail "tx $(sum_of "$text" vxgate_worker_packets_total 'direction="tx"'), expected 100 or more"
[ "$(sum_of "$text" vxgate_worker_events_total 'event="routed"')" = 100 ] || fail "routed"
[ "$(sum_of "$text" vxgate_worker_drops_total 'reason="eth_truncated"')" = 1 ] || fail "eth_truncated"
[ "$(sum_of "$text" vxgate_worker_drops_total '.')" = "$ngarbage" ] ||
	fail "drops: $(grep "^vxgate_worker_drops_total.* [1-9]" <<<"$text")"
for r in $(sed -n 's/^[[:space:]]*X(\([a-z_0-9]*\), ".*/\1/p' "$SRC/include/vxg_stats.h"); do
	grep -q "reason=\"$r\"" <<<"$text" || grep -q "event=\"$r\"" <<<"$text" ||
		fail "no sample for drop reason or event $r"
done
[ "$(sample "$text" 'vxgate_interface_packets_total{interface="uplink",direction="rx"}')" = "$total" ] ||
	fail "interface uplink rx"
[ "$(sample "$text" 'vxgate_interface_packets_total{interface="local",direction="tx"}')" -ge 100 ] ||
	fail "interface local tx"
[ "$(sample "$text" 'vxgate_interface_up{interface="uplink"}')" = 1 ] || fail "uplink is not up"
# (db is dual-stack: the VPC has an IPv6 conntrack table and its series, empty)
[ "$(sample "$text" 'vxgate_conntrack_entries{vpc="blue",family="ipv4"}')" -ge 1 ] || fail "no conntrack entry"
[ "$(sample "$text" 'vxgate_conntrack_entries{vpc="blue",family="ipv6"}')" = 0 ] || fail "IPv6 conntrack entries"
for f in ipv4 ipv6; do
	[ "$(sample "$text" "vxgate_conntrack_entries_limit{vpc=\"blue\",family=\"$f\"}")" = 8192 ] ||
		fail "conntrack limit ($f): not the VPC's limits.conntrack"
	[ "$(sample "$text" "vxgate_router_neighbours_limit{family=\"$f\"}")" = 1024 ] ||
		fail "neighbours limit ($f)"
	[ -n "$(sample "$text" "vxgate_router_neighbours{family=\"$f\"}")" ] || fail "neighbours ($f)"
done
[ "$(sample "$text" 'vxgate_fdb_entries_limit')" = 4096 ] || fail "fdb limit"
[ "$(sample "$text" 'vxgate_dhcp_pool_addresses{vpc="blue",network="db"}')" = 10 ] || fail "dhcp pool"
[ "$(sample "$text" 'vxgate_dhcp_leases{vpc="blue",network="db"}')" = 0 ] || fail "dhcp leases"
[ "$(sample "$text" 'vxgate_config_generation')" = 1 ] || fail "generation"
# app, dual-stack: its only VM is behind a VTEP it does not flood to, so no multicast RA
# is sent (show ra counts them as having no port to reach) but the RS gets a unicast one;
# the Solicit an Advertise (held, not bound).
app='vpc="blue",network="app"'
[ "$(sample "$text" "vxgate_ra_sent_total{$app,kind=\"periodic\"}")" = 0 ] || fail "RA periodic"
[ "$(sample "$text" "$RA_SOLICITED")" = 1 ] ||
	fail "RA solicited: $(grep vxgate_ra_ <<<"$text"); $(vxg_ctl show ra)"
[ "$(sample "$text" "vxgate_ra_sent_total{$app,kind=\"final\"}")" = 0 ] || fail "RA final"
[ "$(sample "$text" "vxgate_ra_solicitations_total{$app}")" = 1 ] || fail "RA solicitations"
for t in solicit:1 advertise:1 request:0 reply:0 information_request:0; do
	[ "$(sample "$text" "vxgate_dhcp6_messages_total{$app,type=\"${t%:*}\"}")" = "${t#*:}" ] ||
		fail "dhcp6 ${t%:*}: $(grep vxgate_dhcp6_ <<<"$text")"
done
[ "$(sample "$text" "vxgate_dhcp6_leases{$app}")" = 0 ] || fail "dhcp6 leases"
[ "$(sample "$text" "vxgate_dhcp6_pool_addresses{$app}")" = 256 ] || fail "dhcp6 pool"
for f in ra_sent_total:counter ra_solicitations_total:counter dhcp6_messages_total:counter \
	dhcp6_leases:gauge dhcp6_pool_addresses:gauge; do
	grep -qx "# TYPE vxgate_${f%:*} ${f#*:}" <<<"$text" || fail "no TYPE ${f#*:} for vxgate_${f%:*}"
done
ok "RAs by kind, solicitations, DHCPv6 messages by type, leases and pool of a dual-stack network"
ok "a scrape counts the $total replayed packets, drops, events and table use"

# 2. Hostile clients, kept open while the daemon is asked things.
python3 - "$MPORT" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
slow = socket.create_connection(("127.0.0.1", port))
slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
while True:
    try:
        slow.sendall(b"a")
    except OSError:
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    time.sleep(0.2)
PY
HOSTILE_PID=$!
sleep 1
for _ in 1 2 3; do
	t0=$(date +%s%N)
	vxg_ctl show version >/dev/null || fail "show version with hostile clients"
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -lt 1000 ] || fail "show version took $(((t1 - t0) / 1000000)) ms"
	t0=$(date +%s%N)
	again=$(scrape "$MPORT") || fail "no scrape with hostile clients"
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -lt 2000 ] || fail "a scrape took $(((t1 - t0) / 1000000)) ms"
	[ "$(sum_of "$again" vxgate_worker_packets_total 'direction="rx"')" = "$total" ] ||
		fail "scrape with hostile clients"
done
kill "$HOSTILE_PID"
wait "$HOSTILE_PID" 2>/dev/null || true
HOSTILE_PID=
ok "an idle and a trickling client stall neither show version nor a scrape"

# 3. The real Prometheus server.
cat >"$VXG_TMP/prometheus.yml" <<EOC
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: vxgate
    static_configs: [{targets: ["127.0.0.1:$MPORT"]}]
EOC
promtool check config "$VXG_TMP/prometheus.yml" >/dev/null || fail "promtool check config"
prometheus --config.file="$VXG_TMP/prometheus.yml" --storage.tsdb.path="$VXG_TMP/tsdb" \
	--web.listen-address="127.0.0.1:$PPORT" >"$VXG_TMP/prometheus.log" 2>&1 &
PROM_PID=$!
query() { # $1: PromQL; the first result's value, or nothing
	curl -sS --max-time 2 -G "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1" 2>/dev/null |
		python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null || true
}
up= rxq=
for _ in $(seq 1 60); do
	up=$(query 'up{job="vxgate"}')
	rxq=$(query 'sum(vxgate_worker_packets_total{direction="rx"})')
	[ "$up" = 1 ] && [ "$rxq" = "$total" ] && break
	sleep 0.5
done
[ "$up" = 1 ] || fail "Prometheus: up{job=\"vxgate\"} = '$up': $(tail -5 "$VXG_TMP/prometheus.log")"
[ "$rxq" = "$total" ] || fail "Prometheus: rx = '$rxq', expected $total"
[ "$(query 'sum(vxgate_conntrack_entries_limit{vpc="blue"})')" = 16384 ] ||
	fail "Prometheus: conntrack limits of both families"
[ "$(query 'sum by (vpc) (vxgate_conntrack_entries{vpc="blue"})')" -ge 1 ] ||
	fail "Prometheus: conntrack entries summed over the families"
ok "Prometheus scrapes vxgate: up, and $total packets received"

# 4. Reloads. Prometheus holds PPORT, so a listen there cannot be bound.
if vxg_ctl reload "$VXG_TMP/taken.yaml" 2>"$VXG_TMP/taken.err"; then
	fail "a reload to a port in use was accepted"
fi
grep -qE "taken.yaml:[0-9]+:[0-9]+: metrics: cannot listen on 127.0.0.1:$PPORT" "$VXG_TMP/taken.err" ||
	fail "reload error: $(cat "$VXG_TMP/taken.err")"
scrape "$MPORT" >/dev/null || fail "a refused reload closed the listener"
ok "a listen that cannot be bound refuses the reload, file:line:col, the old one serves on"

vxg_ctl reload "$VXG_TMP/moved.yaml" >/dev/null || fail "reload moved.yaml"
moved=$(scrape "$MPORT2") || fail "nothing on the moved port $MPORT2"
[ "$(sample "$moved" 'vxgate_config_generation')" = 2 ] || fail "generation after the move"
[ "$(sample "$moved" 'vxgate_config_reloads_total{result="ok"}')" = 1 ] || fail "reloads ok"
[ "$(sample "$moved" 'vxgate_config_reloads_total{result="failed"}')" = 1 ] || fail "reloads failed"
if scrape "$MPORT" >/dev/null 2>&1; then
	fail "the old port $MPORT still answers after the move"
fi
vxg_ctl reload "$VXG_TMP/off.yaml" >/dev/null || fail "reload off.yaml"
if scrape "$MPORT2" >/dev/null 2>&1; then
	fail "port $MPORT2 still answers with no metrics: section"
fi
vxg_ctl show version >/dev/null || fail "show version after the reloads"
ok "moving listen restarts the listener; no metrics: closes it"

vxg_stop || fail "vxgate exited non-zero after shutdown"
ok "shutdown exits 0"
