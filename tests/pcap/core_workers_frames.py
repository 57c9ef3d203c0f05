#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The captures of the two-worker test (core_workers_test.sh), one per rx queue, and the check
of what came out.

net_pcap cannot spread flows by RSS: it gives a port one rx queue per rx_pcap file, and
vxgate hands queue q to worker q. So each flow's worker is chosen by the file it is in,
and a reply is put in the other worker's file. Where the reply must come after its
flow's first packet (a SNAT session or a tracked connection exists only from then on),
it follows FILLER frames (802.1Q VLAN 4000, which no interface carries: dropped at once
as vlan_unknown) in its file, so that the other worker is busy with them meanwhile; the
test retries with more filler if a reply still came first.

    workers_frames.py gen DIR FILLER   writes DIR/{a,b,wan,u}.{0,1}.pcap, DIR/flows.json
    workers_frames.py check DIR        reads DIR/flows.json, the daemon's answers
                                       (DIR/{stats,ifaces,sess}.json) and its captures
                                       (DIR/{a,b,wan,u}.out.{0,1}.pcap); prints "ok - "
                                       lines; exits 1 on a failure, 3 if a reply came
                                       before its flow (the race the filler is for)
"""
import json
import os
import struct
import sys

VM1_MAC, VM2_MAC, VM4_MAC = "02:00:0a:01:00:0b", "02:00:0a:02:00:0c", "02:00:0a:03:00:04"
RV_MAC = "02:00:0a:03:00:99"  # behind the remote VTEP 172.16.0.2, learned
WEB_GW, DB_GW = "02:76:78:00:00:64", "02:76:78:00:00:c8"  # derived router MACs (VNI 100, 200)
WAN_MAC, GW_MAC = "02:00:cb:00:71:02", "02:00:cb:00:71:01"
U_MAC, VTEP2_MAC = "02:00:ac:10:00:01", "02:00:ac:10:00:02"
VM1, VM2, VM4, RV = "10.1.0.11", "10.2.0.12", "10.3.0.4", "10.3.0.99"
SNAT, SERVER, SERVER2 = "203.0.113.10", "198.51.100.10", "198.51.100.20"
SNAT_MIN = 2000  # snat_ports 2000-2999: worker w's stripe is 2000 + 2k + w

# SNAT flows to SERVER whose own source port is in their worker's stripe (kept, so the
# reply's destination port is known in advance): worker 0 even offsets, worker 1 odd.
KEPT = {0: [2100 + 2 * k for k in range(32)], 1: [2101 + 2 * k for k in range(32)]}
# Flows to SERVER2 that need a port of their worker's stripe: 200 from outside the range
# and 50 from the other worker's stripe each, so both workers pick ports from the same
# range towards the same remote end at once.
STRIPE = {0: list(range(30000, 30200)) + [2001 + 2 * k for k in range(50)],
          1: list(range(31000, 31200)) + [2000 + 2 * k for k in range(50)]}
SG_FLOWS = list(range(41000, 41024))  # vm2 -> vm1 udp/5001 (worker 0), replies on worker 1
VX_FLOWS = list(range(42000, 42016))  # rv -> vm4 decap (worker 0), vm4 -> rv (worker 1)


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip(s):
    return bytes(int(x) for x in s.split("."))


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp_ip(src, dst, sport, dport, payload, ttl=64):
    """An IPv4 UDP packet with both checksums right."""
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, 17, len(u))
    c = csum(pseudo + u) or 0xffff
    u = u[:6] + struct.pack("!H", c) + u[8:]
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 1, 0, ttl, 17, 0, ip(src), ip(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + u


def eth(dst, src, payload, vlan=0):
    tag = struct.pack("!HH", 0x8100, vlan) if vlan else b""
    return mac(dst) + mac(src) + tag + struct.pack("!H", 0x0800) + payload


def frame_udp(smac, dmac, src, dst, sport, dport, vlan=0):
    return eth(dmac, smac, udp_ip(src, dst, sport, dport, bytes(18)), vlan)


def vxlan(inner, vni, sport):
    """inner, encapsulated by the remote VTEP 172.16.0.2 towards vxgate (UDP checksum 0)."""
    u = struct.pack("!HHHH", sport, 4789, 16 + len(inner), 0) + \
        struct.pack("!II", 0x08000000, vni << 8) + inner
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(u), 1, 0, 64, 17, 0,
                    ip("172.16.0.2"), ip("172.16.0.1"))
    return eth(U_MAC, VTEP2_MAC, h[:10] + struct.pack("!H", csum(h)) + h[12:] + u)


def filler(n):
    f = mac("02:00:00:00:00:01") + mac("02:00:00:00:00:02") + struct.pack("!HHH", 0x8100,
                                                                         4000, 0x88b5)
    return [f + bytes(46)] * n


def write(path, frames):
    with open(path, "wb") as o:
        o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, f in enumerate(frames):
            f = f.ljust(60, b"\0")
            o.write(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, len(f),
                                len(f)) + f)


def gen(out, nfill):
    q = {k: [] for k in ("a.0", "a.1", "b.0", "b.1", "wan.0", "wan.1", "u.0", "u.1")}
    for w in (0, 1):
        # vm2's SNAT flows: out on port a through worker w; replies through the other.
        q["a.%d" % w] += [frame_udp(VM2_MAC, DB_GW, VM2, SERVER, p, 5001) for p in KEPT[w]]
        q["a.%d" % w] += [frame_udp(VM2_MAC, DB_GW, VM2, SERVER2, p, 5001) for p in STRIPE[w]]
        q["wan.%d" % (1 - w)] += filler(nfill) + [
            frame_udp(GW_MAC, WAN_MAC, SERVER, SNAT, 5001, p) for p in KEPT[w]]
    # vm2 -> vm1, routed db -> web through the security groups (worker 0); vm1's replies
    # (worker 1) pass only as a tracked connection: vm2's group has no ingress rule.
    q["a.0"] += [frame_udp(VM2_MAC, DB_GW, VM2, VM1, p, 5001) for p in SG_FLOWS]
    q["b.1"] += filler(nfill) + [frame_udp(VM1_MAC, WEB_GW, VM1, VM2, 5001, p)
                                 for p in SG_FLOWS]
    # rv (behind VTEP 172.16.0.2) -> vm4, decapsulated by worker 0, which learns rv;
    # vm4 (VLAN 30 on b) -> rv on worker 1: known unicast to 172.16.0.2 only (unknown: flooded
# to .3 too).
    q["u.0"] += [vxlan(frame_udp(RV_MAC, VM4_MAC, RV, VM4, p, 6001), 300, 50000 + i)
                 for i, p in enumerate(VX_FLOWS)]
    q["b.1"] += [frame_udp(VM4_MAC, RV_MAC, VM4, RV, 6001, p, vlan=30) for p in VX_FLOWS]
    for k, frames in q.items():
        write(os.path.join(out, k + ".pcap"), frames)
    meta = {"kept": KEPT, "stripe": STRIPE, "sg": SG_FLOWS, "vx": VX_FLOWS,
            "filler": nfill, "rx": sum(len(f) for f in q.values()),
            "snat_min": SNAT_MIN}
    with open(os.path.join(out, "flows.json"), "w") as o:
        json.dump(meta, o)



def read_pcap(path):
    b = open(path, "rb").read()
    off, frames = 24, []
    while off + 16 <= len(b):
        incl = struct.unpack_from("<I", b, off + 8)[0]
        frames.append(b[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def ipstr(b):
    return ".".join(str(x) for x in b)


def macstr(b):
    return ":".join("%02x" % x for x in b)


def decode(f):
    """Ethernet (802.1Q), ARP or IPv4 UDP (VXLAN's inner frame too): a dict of fields."""
    d = {"dst": macstr(f[0:6]), "src": macstr(f[6:12]), "vlan": 0}
    et, off = struct.unpack_from("!H", f, 12)[0], 14
    if et == 0x8100:
        d["vlan"] = struct.unpack_from("!H", f, 14)[0] & 0xfff
        et, off = struct.unpack_from("!H", f, 16)[0], 18
    d["type"] = et
    if et != 0x0800:
        return d
    h = f[off:off + 20]
    tot = struct.unpack_from("!H", h, 2)[0]
    d.update(ip_src=ipstr(h[12:16]), ip_dst=ipstr(h[16:20]), ttl=h[8], proto=h[9],
             ip_ok=csum(h) == 0)
    u = f[off + 20:off + tot]
    if d["proto"] == 17 and len(u) >= 8:
        d["sport"], d["dport"], ulen, c = struct.unpack_from("!HHHH", u)
        pseudo = h[12:20] + struct.pack("!BBH", 0, 17, ulen)
        d["udp_ok"] = c == 0 or csum(pseudo + u[:ulen]) == 0
        if d["dport"] == 4789:
            d["vni"] = struct.unpack_from("!I", u, 12)[0] >> 8
            d["inner"] = decode(u[16:ulen])
    return d


class Check:
    def __init__(self, d):
        self.d = d
        self.meta = json.load(open(os.path.join(d, "flows.json")))
        self.st = json.load(open(os.path.join(d, "stats.json")))["workers"]
        self.ifs = json.load(open(os.path.join(d, "ifaces.json")))["interfaces"]
        self.sess = json.load(open(os.path.join(d, "sess.json")))["vpcs"][0]["sessions"]
        self.out = {n: [decode(f) for q in (0, 1)
                        for f in read_pcap(os.path.join(d, "%s.out.%d.pcap" % (n, q)))]
                    for n in ("a", "b", "wan", "u")}

    @staticmethod
    def fail(msg):
        print("FAIL: " + msg, file=sys.stderr)
        sys.exit(1)

    def expect(self, what, got, want):
        if got != want:
            self.fail("%s: expected %s, got %s" % (what, want, got))

    def ev(self, w, name):
        return self.st[w]["events"][name]

    def counters(self):
        """Both workers busy; what they count sums to what the ports count."""
        m, st = self.meta, self.st
        if len(st) != 2 or not all(w["rx"] > 0 for w in st):
            self.fail("not two busy workers: rx %s" % [w["rx"] for w in st])
        self.expect("workers' rx summed", sum(w["rx"] for w in st), m["rx"])
        self.expect("ports' rx summed", sum(i["rx_packets"] for i in self.ifs), m["rx"])
        self.expect("workers' tx summed vs the ports'", sum(w["tx"] for w in st),
                    sum(i["tx_packets"] for i in self.ifs))
        self.expect("frames in the output captures", sum(len(v) for v in self.out.values()),
                    sum(i["tx_packets"] for i in self.ifs))
        drops = {}
        for w in st:
            self.expect("worker %d: dropped vs its reasons" % w["worker"], w["dropped"],
                        sum(w["drops"].values()))
            for k, v in w["drops"].items():
                if v:
                    drops[k] = drops.get(k, 0) + v
        if drops.get("nat_no_session") or drops.get("sg_ingress_deny"):
            print("race: a reply came before its flow's first packet: %s" % drops)
            sys.exit(3)
        self.expect("drops (the filler only)", drops, {"vlan_unknown": 3 * m["filler"]})
        print("ok - two workers: rx %s, summing to the ports' %d; tx summing to the "
              "ports'; only the filler dropped" % ([w["rx"] for w in st], m["rx"]))

    def sessions(self):
        """Each worker's sessions, ports in its stripe and unique (whatever the timing)."""
        m = self.meta
        kept = {w: m["kept"][str(w)] for w in (0, 1)}
        stripe = {w: m["stripe"][str(w)] for w in (0, 1)}
        for w in (0, 1):
            self.expect("worker %d: sessions created" % w, self.ev(w, "nat_session_created"),
                        len(kept[w]) + len(stripe[w]))
        owner = {p: w for w in (0, 1) for p in kept[w] + stripe[w]}
        self.ports, seen = {}, set()
        for s in self.sess:
            inside = int(s["inside"].rsplit(":", 1)[1])
            ext = int(s["outside"].rsplit(":", 1)[1])
            remote = s["remote"]
            if (remote, ext) in seen:
                self.fail("translated port %d used twice towards %s" % (ext, remote))
            seen.add((remote, ext))
            w = owner.get(inside)
            if w is None:
                self.fail("unexpected session %s" % s)
            if not m["snat_min"] <= ext < m["snat_min"] + 1000 or \
                    (ext - m["snat_min"]) % 2 != w:
                self.fail("session %s: port %d is not in worker %d's stripe" % (s, ext, w))
            if inside in kept[w] and ext != inside:
                self.fail("session %s: its own port %d, in its stripe, was not kept" %
                          (s, inside))
            self.ports[inside] = ext
        self.expect("sessions", len(self.sess), len(owner))
        out = [p for p in self.out["wan"] if p["type"] == 0x0800]
        self.expect("SNAT packets out of wan", sorted(p["sport"] for p in out),
                    sorted(self.ports.values()))
        if not all(p["ip_src"] == SNAT and p["ip_ok"] and p["udp_ok"] for p in out):
            self.fail("a packet out of wan is not translated right")
        print("ok - SNAT: %d sessions, %d from each worker; the translated ports unique, "
              "each in its worker's stripe (2000 + 2k + worker id)" %
              (len(self.sess), len(self.sess) // 2))

    def replies(self):
        """Sessions made by one worker, their replies translated by the other."""
        kept = {w: self.meta["kept"][str(w)] for w in (0, 1)}
        for w in (0, 1):
            self.expect("worker %d: replies translated (the other's sessions)" % w,
                        self.ev(w, "nat_snat_in"), len(kept[1 - w]))
        back = [p for p in self.out["a"] if p.get("ip_src") == SERVER]
        self.expect("replies to vm2", sorted(p["dport"] for p in back),
                    sorted(kept[0] + kept[1]))
        for p in back:
            if (p["ip_dst"], p["dst"], p["src"], p["ttl"]) != (VM2, VM2_MAC, DB_GW, 63) or \
                    not p["ip_ok"] or not p["udp_ok"]:
                self.fail("a reply to vm2 is not translated right: %s" % p)
        print("ok - SNAT replies: each worker's %d sessions' replies translated back to "
              "vm2 by the other worker, and let in as tracked connections" % len(kept[0]))

    def conntrack(self):
        sg = self.meta["sg"]
        fwd = [p for p in self.out["b"] if p.get("ip_dst") == VM1]
        back = [p for p in self.out["a"] if p.get("ip_src") == VM1]
        self.expect("vm2 -> vm1 routed through the groups", sorted(p["sport"] for p in fwd), sg)
        self.expect("vm1's replies to vm2 (tracked, on the other worker)",
                    sorted(p["dport"] for p in back), sg)
        if not all(p["ttl"] == 63 and p["ip_ok"] and p["udp_ok"] for p in fwd + back):
            self.fail("a routed packet is not right")
        print("ok - conntrack: %d connections opened on worker 0, their replies pass on "
              "worker 1 (vm2's group has no ingress rule)" % len(sg))

    def fdb(self):
        vx = self.meta["vx"]
        dec = [p for p in self.out["b"] if p.get("ip_dst") == VM4]
        self.expect("decapsulated to vm4 on VLAN 30", sorted(p["sport"] for p in dec
                                                              if p["vlan"] == 30), vx)
        enc = [p for p in self.out["u"] if "inner" in p]
        to = {d: sorted(p["inner"]["dport"] for p in enc if p["ip_dst"] == d)
              for d in set(p["ip_dst"] for p in enc)}
        self.expect("VTEPs vm4's frames went to", sorted(to), ["172.16.0.2", "172.16.0.3"]
                    if "172.16.0.3" in to else ["172.16.0.2"])
        self.expect("vm4 -> rv encapsulated to rv's VTEP", to["172.16.0.2"], vx)
        self.expect("worker 0 learned rv", self.ev(0, "fdb_learned") >= 1, True)
        # Worker 1 may reach vm4's frames before worker 0 has run at all (three lcores on
        # two cores): those are unknown unicast, flooded to .3 too. Once rv is learned,
        # every later frame goes to .2 alone, and the last ones must have.
        flooded = to.get("172.16.0.3", [])
        self.expect("frames flooded before rv was learned: the first ones only", flooded,
                    vx[:len(flooded)])
        if len(flooded) == len(vx):
            self.fail("worker 1 never used the entry worker 0 learned: all %d frames "
                      "flooded" % len(vx))
        print("ok - FDB: rv learned from VXLAN on worker 0; vm4's frames to it on worker 1 "
              "go to its VTEP only once learned (%d of %d flooded before)" %
              (len(flooded), len(vx)))


def main():
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
        return
    c = Check(sys.argv[2])
    c.sessions()
    c.counters()
    c.replies()
    c.conntrack()
    c.fdb()


if __name__ == "__main__":
    main()
