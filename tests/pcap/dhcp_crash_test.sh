#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# The DHCP lease file survives kill -9 at any moment, saves included. Each round:
#  1. vxgate starts on the state directory the last round left, and its access
#     interface replays pcapgen's dhcp clients forever (infinite_rx): every client renews
#     its lease again and again, so the lease file is rewritten every second;
#  2. vxgate is killed with SIGKILL: at a random moment (odd rounds), or the moment a
#     save's temporary file appears (even rounds: in the middle of that save);
#  3. the lease file must be whole: the comment, then one valid line per client at most,
#     each client at the address it asked for, none lost from the last round's file;
#  4. vxgate restarts on that file (--replay) and gets one DISCOVER from every client,
#     each asking for an address it does not hold: a client the file has is offered its
#     own address again, the others the one they ask for; `show dhcp stats` is checked at
#     the next round's start (step 1): the file loaded without error.
# ROUNDS (default 6) sets the number of rounds, CLIENTS (default 500) the clients.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-dhcp-crash-test.XXXXXX)
trap 'cleanup' EXIT
cleanup() {
	if [ -n "${VXG_PID:-}" ]; then
		kill -KILL "$VXG_PID" 2>/dev/null || true
		wait "$VXG_PID" 2>/dev/null || true
	fi
	rm -rf "$VXG_TMP"
}
ROUNDS=${ROUNDS:-6}
CLIENTS=${CLIENTS:-500}
STATE="$VXG_TMP/state"
LEASES="$STATE/dhcp.leases"
RANDOM=${SEED:-$$}

# Clients k = 0..CLIENTS-1 (MAC 02:00:0a:02:10:00 + k) renewing 10.2.0.100 + k forever;
# and the same clients' DISCOVERs alone, asking for 10.2.4.0 + k instead.
"$PCAPGEN" dhcp -n $((2 * CLIENTS)) --macs "$CLIENTS" -o "$VXG_TMP/churn.pcap"
"$PCAPGEN" dhcp -n $((2 * CLIENTS)) --macs "$CLIENTS" --src-ip 10.2.4.0 -o "$VXG_TMP/both.pcap"
python3 - "$VXG_TMP/both.pcap" "$VXG_TMP/discover.pcap" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
out, off, i = [data[:24]], 24, 0
while off < len(data):
    n = int.from_bytes(data[off + 8:off + 12], 'little')
    if i % 2 == 0:  # packet i is a DISCOVER when i is even
        out.append(data[off:off + 16 + n])
    off, i = off + 16 + n, i + 1
open(sys.argv[2], 'wb').write(b''.join(out))
EOF

cfg() { # FILE DEVICE
	cat >"$1" <<EOC
dataplane: {mbufs: 8192, dhcp_rate: 0, dhcp_client_rate: 100000, limits: {fdb: 4096, neighbours: 1024}}
interfaces:
  - {name: a, device: "$2", role: access}
vpcs:
  - name: blue
    networks:
      - {name: db, vni: 200, cidr: 10.2.0.0/16, gateway: 10.2.0.1,
         dhcp: {range: [10.2.0.100, 10.2.7.255]}}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: a}}
EOC
}
cfg "$VXG_TMP/churn.yaml" "net_pcap_dc,rx_pcap=$VXG_TMP/churn.pcap,infinite_rx=1,tx_pcap=/dev/null"
cfg "$VXG_TMP/verify.yaml" "net_pcap_dv,rx_pcap=$VXG_TMP/discover.pcap,tx_pcap=$VXG_TMP/offers.pcap"

# The lease file as "mac ip" lines, sorted; fails unless every line is whole and valid.
leases_valid() {
	python3 - "$LEASES" "$CLIENTS" <<'EOF'
import ipaddress, re, sys
lines = open(sys.argv[1]).read().split('\n')
clients = int(sys.argv[2])
if lines[-1] != '':
    sys.exit('the last line is not whole: %r' % lines[-1])
if not lines[0].startswith('# vxgate DHCP leases'):
    sys.exit('no comment line first: %r' % lines[0])
seen = {}
for l in lines[1:-1]:
    m = re.fullmatch(r'blue/db (02:00:0A:02:([0-9A-F]{2}):([0-9A-F]{2})) (10\.2\.\d+\.\d+) (\d+) -', l)
    if not m:
        sys.exit('bad line: %r' % l)
    k = int(m.group(2) + m.group(3), 16) - 0x1000
    ip = ipaddress.ip_address(m.group(4))
    if not 0 <= k < clients or ip != ipaddress.ip_address('10.2.0.100') + k:
        sys.exit('client %d has %s, not 10.2.0.100 + %d' % (k, ip, k))
    if m.group(1) in seen:
        sys.exit('client %s twice' % m.group(1))
    seen[m.group(1)] = str(ip)
for mac in sorted(seen):
    print(mac, seen[mac])
EOF
}

# The OFFERs of the verify run as "mac ip" lines, sorted.
offers() {
	python3 - "$VXG_TMP/offers.pcap" <<'EOF'
import sys
data, off, got = open(sys.argv[1], 'rb').read(), 24, {}
while off < len(data):
    n = int.from_bytes(data[off + 8:off + 12], 'little')
    f = data[off + 16:off + 16 + n]
    off += 16 + n
    ihl = (f[14] & 15) * 4
    b = f[14 + ihl + 8:]
    if f[23] != 17 or b[0] != 2 or b[240:243] != bytes([53, 1, 2]):
        continue  # not an OFFER
    mac = ':'.join('%02X' % x for x in b[28:34])
    got[mac] = '.'.join(str(x) for x in b[16:20])
for mac in sorted(got):
    print(mac, got[mac])
EOF
}

# What a client must be offered: its address in the file, else the one it asks for.
expected_offers() {
	python3 - "$CLIENTS" "$VXG_TMP/kept" <<'EOF'
import ipaddress, sys
kept = dict(l.split() for l in open(sys.argv[2]) if l.strip())
out = {}
for k in range(int(sys.argv[1])):
    mac = '02:00:0A:02:%02X:%02X' % ((0x1000 + k) >> 8, (0x1000 + k) & 255)
    out[mac] = kept.get(mac, str(ipaddress.ip_address('10.2.4.0') + k))
for mac in sorted(out):
    print(mac, out[mac])
EOF
}

# Kills VXG_PID the moment the save's temporary file appears (5 s at most).
kill_in_save() {
	python3 - "$LEASES.tmp" "$VXG_PID" <<'EOF'
import os, signal, sys, time
end = time.monotonic() + 5
while not os.path.exists(sys.argv[1]) and time.monotonic() < end:
    pass
os.kill(int(sys.argv[2]), signal.SIGKILL)
EOF
}

: >"$VXG_TMP/kept"
in_save=0
for round in $(seq 1 "$ROUNDS"); do
	# A temporary file a kill left is overwritten by the next save; removed here only so
	# that its appearance tells this round's save has begun.
	rm -f "$LEASES.tmp"
	VXG_STATE=$STATE vxg_start dhcp-crash "$VXG_TMP/churn.yaml" || fail "round $round: no start"
	stats=$(vxg_ctl -j show dhcp stats)
	[ "$(vxg_json "d['lease_file_status']" <<<"$stats")" = ok ] ||
		fail "round $round: the lease file did not load: $stats"
	if [ $((round % 2)) = 1 ]; then
		sleep "$(printf '0.%03d' $((RANDOM % 1000)))"
		sleep $((RANDOM % 2))
		kill -KILL "$VXG_PID"
		how="at a random moment"
	else
		kill_in_save
		how="as a save began"
	fi
	wait "$VXG_PID" 2>/dev/null || true
	VXG_PID=
	if [ -e "$LEASES.tmp" ]; then
		in_save=$((in_save + 1))
		how="$how, in the middle of the save"
	fi
	[ -e "$LEASES" ] || [ ! -s "$VXG_TMP/kept" ] || fail "round $round: the lease file is gone"
	if [ -e "$LEASES" ]; then
		leases_valid >"$VXG_TMP/now" 2>"$VXG_TMP/why" ||
			fail "round $round: lease file not valid: $(cat "$VXG_TMP/why")"
	else
		: >"$VXG_TMP/now"
	fi
	lost=$(comm -23 "$VXG_TMP/kept" "$VXG_TMP/now" | wc -l)
	[ "$lost" = 0 ] || fail "round $round: $lost leases of the last round's file are gone"
	mv "$VXG_TMP/now" "$VXG_TMP/kept"

	# Restart on it: every client the file has is offered its own address again.
	rm -f "$VXG_TMP/offers.pcap"
	# shellcheck disable=SC2046
	timeout 60 "$VXGATE" $(vxg_eal dhcp-crash) -- -c "$VXG_TMP/verify.yaml" \
		-s "$VXG_TMP/verify.sock" -d "$STATE" --replay >"$VXG_TMP/verify.out" 2>&1 ||
		fail "round $round: vxgate on the lease file: $(cat "$VXG_TMP/verify.out")"
	offers >"$VXG_TMP/got"
	expected_offers >"$VXG_TMP/want"
	diff -q "$VXG_TMP/want" "$VXG_TMP/got" >/dev/null ||
		fail "round $round: offers differ from the file: $(diff "$VXG_TMP/want" "$VXG_TMP/got" | head -5)"
	echo "round $round: killed $how; the file holds $(wc -l <"$VXG_TMP/kept") of $CLIENTS" \
		"leases, and each of them is offered its address again"
done
[ "$(wc -l <"$VXG_TMP/kept")" = "$CLIENTS" ] ||
	fail "after $ROUNDS rounds the file holds $(wc -l <"$VXG_TMP/kept") of $CLIENTS leases"
ok "$ROUNDS kill -9 rounds ($in_save in the middle of a save): the lease file always whole, every client offered its address again after the restart"
