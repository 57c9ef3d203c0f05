#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Bad packets never crash a worker: 20000 frames (random bytes, and pcapgen's VXLAN,
# encap and garbage frames with random bytes flipped or cut short) replayed into the
# underlay and an access port. vxgate must end the replay by itself, exit 0, and account
# for every frame: received = sent + dropped + punted (flood copies aside, so >=).
set -eu
BUILD=${1:-build}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
. "$SRC/tools/vxg-lib.sh"
VXG_TMP=$(mktemp -d /tmp/vxg-fuzz-test.XXXXXX)
trap 'rm -rf "$VXG_TMP"' EXIT

"$PCAPGEN" decap -n 64 --macs 8 -o "$VXG_TMP/decap.pcap"
"$PCAPGEN" encap -n 64 -o "$VXG_TMP/encap.pcap"
"$PCAPGEN" garbage -o "$VXG_TMP/garbage.pcap"
python3 - "$VXG_TMP" <<'PY'
import random, struct, sys
d = sys.argv[1]
rng = random.Random(1)

def frames(path):
    b = open(path, "rb").read()
    off, out = 24, []
    while off + 16 <= len(b):
        incl = struct.unpack_from("<I", b, off + 8)[0]
        out.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return out

def mutate(f):
    f = bytearray(f)
    for _ in range(rng.randint(1, 6)):
        f[rng.randrange(len(f))] = rng.randrange(256)
    if rng.random() < 0.3:
        f = f[:rng.randint(1, len(f))]
    return bytes(f)

def write(path, pkts):
    with open(path, "wb") as o:
        o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            o.write(struct.pack("<IIII", 1700000000, i, len(p), len(p)) + p)

under = frames(d + "/decap.pcap") + frames(d + "/garbage.pcap")
acc = frames(d + "/encap.pcap")
for name, base in (("under", under), ("access", acc)):
    pkts = []
    for i in range(10000):
        r = rng.random()
        if r < 0.2:
            pkts.append(bytes(rng.randrange(256) for _ in range(rng.randint(1, 200))))
        elif r < 0.3:
            pkts.append(rng.choice(base))
        else:
            pkts.append(mutate(rng.choice(base)))
    write("%s/%s.pcap" % (d, name), pkts)
PY

cat >"$VXG_TMP/fuzz.yaml" <<EOC
dataplane: {mbufs: 8192}
interfaces:
  - {name: uplink, device: "net_pcap_fu,rx_pcap=$VXG_TMP/under.pcap,tx_pcap=$VXG_TMP/under-out.pcap", role: underlay, address: 172.16.0.1/24, mtu: 1600, mac: "02:00:ac:10:00:01", neighbours: [{ip: 172.16.0.2, mac: "02:00:ac:10:00:02"}]}
  - {name: local, device: "net_pcap_fa,rx_pcap=$VXG_TMP/access.pcap,tx_pcap=$VXG_TMP/access-out.pcap", role: access}
vtep: {address: 172.16.0.1}
vpcs:
  - name: blue
    networks:
      - {name: web, vni: 100, cidr: 10.1.0.0/24, gateway: 10.1.0.1, flood: [172.16.0.2]}
      - {name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1, flood: [172.16.0.2]}
    ports:
      - {name: vm2, network: db, mac: "02:00:0a:02:00:0c", location: {interface: local}}
      - {name: vm3, network: web, mac: "02:00:0a:01:00:fe", location: {interface: local, vlan: 10},
         security_groups: [client]}
      # Decapsulated frames come from vm1's MACs: port security, then the routed path into
      # vm2's groups, conntrack included, see the mutated ones too.
      - {name: vm1, network: web, mac: "02:00:0a:01:00:0b", ip: 10.1.0.11, location: {vtep: 172.16.0.2},
         security_groups: [client]}
      - {name: vm4, network: db, mac: "02:00:0a:02:00:0d", ip: 10.2.0.12, location: {interface: local, vlan: 20},
         security_groups: [db]}
    security_groups:
      - name: client
        rules: [{direction: egress, protocol: udp}, {direction: egress, protocol: icmp}]
      - name: db
        rules: [{direction: ingress, protocol: udp, remote_group: client}, {direction: ingress, protocol: tcp}]
EOC
# shellcheck disable=SC2046
timeout 120 "$VXGATE" $(vxg_eal fuzz) -- -c "$VXG_TMP/fuzz.yaml" -s "$VXG_TMP/fuzz.sock" -d "$VXG_TMP/fuzz.state" \
	--replay >"$VXG_TMP/out" 2>&1 || fail "vxgate exit status $?: $(tail -20 "$VXG_TMP/out")"
line=$(grep "^replay: rx" "$VXG_TMP/out") || fail "no replay summary: $(tail -20 "$VXG_TMP/out")"
read -r _ _ rx _ tx _ punted _ dropped <<<"$line"
[ "$rx" = 20000 ] || fail "received $rx of 20000 frames: $line"
[ $((tx + punted + dropped)) -ge "$rx" ] || fail "frames unaccounted for: $line"
grep "^replay: drop" "$VXG_TMP/out" | sed 's/^/  /'
echo "ok - 20000 fuzzed frames: $line"
