#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Two workers (EAL -l 0-2; more lcores than cores is fine) sharing one state: the real
# binary on net_pcap, each port with two rx queues (one capture file each, see
# core_workers_frames.py: net_pcap has no RSS, so the file chooses the worker) and two tx
# queues. VPC blue: vm2 (db, SNAT to the internet through wan, group db: egress udp),
# vm1 (web, group web: ingress udp/5001 from db), vm4 (network app, VLAN 30 on b) and rv
# (app, behind the remote VTEP 172.16.0.2, learned). In one run:
#  - SNAT: each worker opens sessions (kept ports in its stripe, and 250 that need a port
#    of its stripe, both workers towards the same server at once); the replies to each
#    worker's sessions reach the other worker and are translated back to vm2, which
#    takes them only as tracked connections. Every translated port is unique and in its
#    worker's stripe (2000 + 2k + worker id), read from `show nat sessions`.
#  - conntrack: vm2 -> vm1 (routed) opens connections on worker 0; vm1's replies pass
#    on worker 1.
#  - FDB: worker 0 learns rv from VXLAN; worker 1 sends vm4's frames to rv's VTEP only once
#    it is learned (those it reached before worker 0 ran at all are flooded, a prefix).
#  - counters: both workers receive; their rx and tx sum to the ports' counters; only
#    the filler is dropped.
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_LCORES=${VXG_LCORES:-0-2}
[ "$(vxg_workers)" = 2 ] || fail "this test wants two workers (VXG_LCORES=$VXG_LCORES)"
VXG_TMP=$(mktemp -d /tmp/vxg-workers-test.XXXXXX)
T=$VXG_TMP
trap 'vxg_stop >/dev/null 2>&1 || true; rm -rf "$T"' EXIT
FRAMES="$SRC/tests/pcap/core_workers_frames.py"

# dev NAME: port NAME's devargs, its rx queue q reading NAME.q.pcap, tx queue q writing
# NAME.out.q.pcap
dev() {
	echo "net_pcap_w$1,rx_pcap=$T/$1.0.pcap,rx_pcap=$T/$1.1.pcap,tx_pcap=$T/$1.out.0.pcap,tx_pcap=$T/$1.out.1.pcap"
}
cat >"$T/workers.yaml" <<EOC
dataplane: {mbufs: 8192, limits: {fdb: 4096, neighbours: 1024, sessions: 4096, conntrack: 4096}}
interfaces:
  - {name: a, device: "$(dev a)", role: access}
  - {name: b, device: "$(dev b)", role: access}
  - {name: wan, device: "$(dev wan)", role: external, address: 203.0.113.2/24, gateway: 203.0.113.1,
     mac: "02:00:cb:00:71:02", neighbours: [{ip: 203.0.113.1, mac: "02:00:cb:00:71:01"}]}
  - {name: u, device: "$(dev u)", role: underlay, address: 172.16.0.1/24, mtu: 1600, mac: "02:00:ac:10:00:01",
     neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}, {ip: 172.16.0.3, mac: "02:00:ac:10:00:03"}]}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}
      - {name: app, vni: 300, cidr: 10.3.0.0/24, flood: [172.16.0.2, 172.16.0.3]}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", ip: 10.2.0.12, location: {interface: a},
         security_groups: [db]}
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {interface: b},
         security_groups: [web]}
      - {name: vm4, network: app, mac: "02:00:0a:03:00:04", ip: 10.3.0.4, location: {interface: b, vlan: 30}}
    security_groups:
      - name: db
        rules: [{direction: egress, protocol: udp}]
      - name: web
        rules: [{direction: ingress, protocol: udp, ports: 5001, remote_group: db}]
    routes:
      - {prefix: 0.0.0.0/0, via: wan}
    nat: {snat: 203.0.113.10, snat_ports: 2000-2999}
EOC

# run FILLER: one run; 0 when checked, 3 when a reply overtook its flow (see FRAMES).
run() {
	local want rx
	python3 "$FRAMES" gen "$T" "$1"
	want=$(vxg_json 'd["rx"]' <"$T/flows.json")
	vxg_start workers "$T/workers.yaml" || fail "vxgate start"
	for _ in $(seq 1 300); do
		rx=$(vxg_ctl -j show stats | vxg_json 'sum(w["rx"] for w in d["workers"])')
		[ "$rx" = "$want" ] && break
		sleep 0.1
	done
	[ "$rx" = "$want" ] || fail "workers received $rx of $want frames"
	sleep 0.5 # what control sends at start (gratuitous ARP) goes out through a worker
	vxg_ctl -j show stats >"$T/stats.json"
	vxg_ctl -j show interfaces >"$T/ifaces.json"
	vxg_ctl -j show nat sessions vpc=blue,limit=10000 >"$T/sess.json"
	vxg_stop || fail "vxgate did not stop cleanly"
	python3 "$FRAMES" check "$T"
}

filler=20000
for try in 1 2 3; do
	rc=0
	run $filler || rc=$?
	[ "$rc" = 3 ] || break
	filler=$((filler * 3))
	echo "try $try: a reply overtook its flow; again with $filler filler frames"
done
[ "$rc" = 0 ] || fail "two-worker checks (see above)"
echo "workers test: all passed"
