# SPDX-License-Identifier: BSD-3-Clause
"""Driving one scenario: its capture and config, dpdk-testpmd or vxgate started on them,
the workers' own accounting sampled once a second over the window."""
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time

from benchlib.dhcp import DhcpPass
from benchlib.evpn import EVPN, EvpnPass
from benchlib.scenarios import (
    AB_OFF, BASE_CONFIG, CAPTURE, CAPTURE_ARGS, DHCP_FIRST, DHCP_NET, EXTERNAL, INPUT_MAC, MBUF_BYTES,
    NAT, NAT_ROUTE, NAT_SESSION_BYTES, NEIGHBOURS, NETS6, NEW_PASS, ONE_PASS, OUT_ROLE, PORTS,
    SCALE_BASE, SCALE_FILL, SCALE_ROUTES, SCALE_SG_GROUPS, SCENARIOS, SG_NEW_FLOWS,
    QOS_POLICIES, SG_SCENARIOS, SNAT_PORTS, scale_sg_ports, sg_groups)
from benchlib.tables import TablePasses
from benchlib.util import log, run


class Bench(TablePasses, DhcpPass, EvpnPass):
    """One benchmark run: captures and configs in a temporary folder, testpmd and vxgate
    started on them, their figures sampled. The passes that fill tables, the DHCP
    measure and the EVPN twins' MACs are in tables.py, dhcp.py and evpn.py."""

    def __init__(self, args):
        self.a = args
        self.build = os.path.abspath(args.build)
        self.tmp = tempfile.mkdtemp(prefix="vxg-bench.")
        self.vxgate = os.path.join(self.build, "vxgate")
        self.ctl = os.path.join(self.build, "tools", "vxgate-ctl")
        self.pcapgen = os.path.join(self.build, "tools", "pcapgen")
        # Without hugepages by default (as the tests run, and as the testpmd
        # figures were taken); --huge: 2 MiB pages, as an appliance runs.
        mem = ["--huge-unlink"] if args.huge else ["--no-huge"]
        self.eal = mem + ["--no-pci", "-m", str(args.mem), "-l",
                          "0-%d" % args.workers, "--log-level=lib.eal:error"]

    def capture(self, scenario):
        path = os.path.join(self.tmp, scenario + ".pcap")
        if not os.path.exists(path):
            if scenario == "scale-fdb-1M":
                # One pass: n frames from n distinct inner source MACs.
                n = self.pass_len(scenario)
                opts = ["-n", str(n), "--macs", str(n)]
            elif scenario in ONE_PASS:
                # One pass: n distinct 5-tuples (source port x source IP) from vm2's MAC
                # (sg-new: all SYNs); SNAT: to -(-4n // SNAT_PORTS) servers.
                n = self.pass_len(scenario)
                opts = ["-n", str(n), "--flows", str(SG_NEW_FLOWS), "--hosts",
                        str(-(-n // SG_NEW_FLOWS)), "--macs", "1"]
                if CAPTURE.get(scenario) == "snat":
                    opts += ["--dst-hosts", str(-(-4 * n // SNAT_PORTS))]
            elif scenario == "dhcp":
                # Each client a DISCOVER then its REQUEST, for the address it always asks.
                opts = ["-n", str(2 * self.a.dhcp_clients), "--macs", str(self.a.dhcp_clients)]
            else:
                opts = ["-n", str(self.a.packets), "--flows", str(self.a.flows),
                        "--macs", str(self.a.macs)]
            run([self.pcapgen, CAPTURE.get(scenario, scenario), "-o", path] + opts +
                CAPTURE_ARGS.get(scenario, []))
        return path

    # dpdk-testpmd on the same vdevs and capture.
    def testpmd(self, mode, pcap):
        exe = shutil.which("dpdk-testpmd")
        if exe is None:
            log("dpdk-testpmd not found (Debian package dpdk-dev; tools/install-deps.sh)")
            return None
        # Line-buffered, or the start marker waits in the pipe until testpmd exits.
        cmd = ["stdbuf", "-oL", exe] + self.eal + ["--file-prefix", "vxg-bench-tp%d" % os.getpid(),
               "--vdev", "net_pcap_in,rx_pcap=%s,infinite_rx=1" % pcap,
               "--vdev", "net_null_out,no-rx=1", "--",
               "--total-num-mbufs=%d" % self.a.mbufs, "--burst=%d" % self.a.burst,
               "--forward-mode=%s" % mode,
               "--nb-cores=%d" % self.a.workers, "--record-core-cycles", "-a",
               "--stats-period", "1"]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, bufsize=1)
        lines = []
        def read():
            for line in p.stdout:  # one at a time: extend() would wait for EOF
                lines.append(line)
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        # Time the window from the start of forwarding, not from exec: building the
        # mbuf pool without hugepages takes a while on a loaded machine.
        for _ in range(300):
            if any("packet forwarding - ports=" in x for x in list(lines)) or \
                    p.poll() is not None:
                break
            time.sleep(0.1)
        time.sleep(self.a.warmup + self.a.seconds + 1)
        p.send_signal(signal.SIGINT)
        p.wait(timeout=30)
        reader.join(timeout=10)
        out = "".join(lines)
        # Port 1 (net_null) transmits everything forwarded. Its first sample has no
        # rate yet; the next `warmup` ones are the warm-up, when there are enough.
        pps = [int(x) for x in re.findall(r"Tx-pps:\s+(\d+)", out)][1::2][1:]
        if len(pps) > self.a.warmup:
            pps = pps[self.a.warmup:]
        pps = [x for x in pps if x > 0]
        cpp = re.search(r"CPU cycles/packet=([\d.]+)", out)
        if not pps:
            log("testpmd %s gave no figures:\n%s" % (mode, out[-2000:]))
            return None
        return {"mpps": statistics.median(pps) / 1e6,
                "cpp": float(cpp.group(1)) if cpp else None}

    def pass_len(self, scenario):
        """Packets (distinct 5-tuples) in a ONE_PASS scenario's capture."""
        return ONE_PASS[scenario] or self.a.new_conns

    def mbufs(self, scenario):
        # net_pcap's infinite_rx holds the whole capture in mbufs of the pool.
        if scenario in ONE_PASS:
            return max(self.a.mbufs, self.pass_len(scenario) + self.a.mbufs)
        if scenario == "dhcp":
            return 2 * self.a.dhcp_clients + self.a.mbufs
        return self.a.mbufs

    def sessions(self, scenario):
        # snat-new, scale-sessions-1M: room for the whole pass, with slack as for
        # conntrack (an rte_hash refuses inserts before its nominal size).
        if self.is_nat_pass(scenario):
            return max(self.a.sessions, 1 << (4 * self.pass_len(scenario) - 1).bit_length())
        return self.a.sessions

    def fdb(self, scenario):
        # scale-fdb-1M: room for the whole pass, with slack (as for sessions).
        if scenario == "scale-fdb-1M":
            return max(self.a.fdb, 1 << (2 * self.pass_len(scenario) - 1).bit_length())
        return self.a.fdb

    @staticmethod
    def is_nat_pass(scenario):
        return scenario in ONE_PASS and SCALE_BASE.get(scenario, scenario) == "snat-new"

    def conntrack(self, scenario):
        # sg-new, scale-sg-rules-1k: room for the whole first pass, with slack so that no
        # insert fails.
        if scenario in ONE_PASS and self.is_sg(scenario):
            return max(262144, 1 << (4 * self.pass_len(scenario) - 1).bit_length())
        return 262144

    @staticmethod
    def is_sg(scenario):
        return SCALE_BASE.get(scenario, scenario) in SG_SCENARIOS

    def config(self, scenario, pcap, name=None, nat=True, **sg):
        """The scenario's config. nat=False: without the VPC's nat section (snat-new
        starts so: vm2's traffic is routed out untranslated until the reload adding it)."""
        base = SCALE_BASE.get(scenario, scenario)
        role = SCENARIOS[base][0]
        addr = {"underlay": "172.16.0.1/24" + NEIGHBOURS, "access": "", "external": EXTERNAL}
        out_role = OUT_ROLE.get(base, "access" if role == "underlay" else "underlay")
        has_vtep = "underlay" in (role, out_role)
        text = BASE_CONFIG.format(
            burst=self.a.burst, mbufs=self.mbufs(scenario), fdb=self.fdb(scenario),
            sessions=self.sessions(scenario),
            conntrack=self.conntrack(scenario),
            input_dev="net_pcap_in,rx_pcap=%s,infinite_rx=1" % pcap, role=role,
            output_dev=self.output_dev(scenario),
            input_addr=addr[role] or "null", out_role=out_role, input_mac=INPUT_MAC[role],
            out_addr=", address: " + addr[out_role] if addr.get(out_role) else "",
            vtep="vtep:\n  address: 172.16.0.1\n" + (self.evpn_section() if scenario in EVPN
                                                     else "") if has_vtep else "")
        text = text.replace(", address: null", "")
        if base == "dhcp":
            last = DHCP_FIRST + self.a.dhcp_pool - 1
            text = text.replace("  idle_sleep_us: 0\n", "  idle_sleep_us: 0\n  dhcp_rate: %d\n"
                                "  dhcp_client_rate: %d\n" % (self.a.dhcp_rate,
                                                              self.a.dhcp_client_rate))
            text = text.replace("{name: db, vni: 200, cidr: 10.2.0.0/24, gateway: 10.2.0.1}",
                                DHCP_NET % ".".join(str(last >> k & 255) for k in (24, 16, 8, 0)))
        if base in ("routed6", "sg6"):
            for old, new in NETS6.values():
                text = text.replace(old, new)
        if base == "l2v6":
            text = text.replace(*NETS6["db"])
        ports = scale_sg_ports() if scenario == "scale-sg-rules-1k" else PORTS.get(base)
        if ports:
            text += "    ports:\n" + "".join("      - %s\n" % p for p in ports)
        if base == "qos":
            text += QOS_POLICIES
        if base in SG_SCENARIOS:
            text += sg_groups(sg.get("rules", self.a.sg_rules), sg.get("allow", True),
                              sg.get("variant", 0),
                              SCALE_SG_GROUPS if scenario == "scale-sg-rules-1k" else 1,
                              v6=base == "sg6")
        if scenario == "scale-routes-10k":
            text += "    routes:\n" + "".join(
                "      - {prefix: 100.%d.%d.0/24, nexthop: 10.1.0.11}\n" %
                (64 + (k >> 8), k & 255) for k in range(SCALE_ROUTES))
        if base in NAT_ROUTE:
            text += "    routes:\n      - {prefix: 0.0.0.0/0, via: %s}\n" % NAT_ROUTE[base]
            if nat:
                text += "    nat: %s\n" % NAT[base]
        path = os.path.join(self.tmp, (name or scenario) + ".yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def output_dev(self, scenario):
        """The output interface: a sink; for snat-reply also one pass of snat's capture
        (net_pcap drops what it is given to send without a tx argument), whose flows
        open the sessions the input's replies hit."""
        if scenario == "snat-reply":
            return "net_pcap_out,rx_pcap=%s" % self.capture("snat")
        return "net_null_out,no-rx=1"

    def ctl_json(self, sock, *cmd, timeout=None):
        out = run([self.ctl, "-s", sock, "-j"] + list(cmd), timeout=timeout).stdout
        return json.loads(out)

    def eal_for(self, scenario):
        eal = list(self.eal)
        if scenario in ONE_PASS:
            # --no-huge: one mbuf per 4 KB page; the conntrack table ~100 B an entry, the
            # NAT session table (two rte_hash and the entries) ~NAT_SESSION_BYTES.
            need = self.mbufs(scenario) * MBUF_BYTES[self.a.huge] + \
                self.conntrack(scenario) * 100
            if self.is_nat_pass(scenario):
                need += self.sessions(scenario) * NAT_SESSION_BYTES
            need += self.fdb(scenario) * 80  # show memory: 76 MB for 1M
            eal[eal.index("-m") + 1] = str(max(self.a.mem, need // 2**20 + 512))
        if scenario == "dhcp":
            need = self.mbufs(scenario) * MBUF_BYTES[self.a.huge]
            eal[eal.index("-m") + 1] = str(max(self.a.mem, need // 2**20 + 512))
        return eal

    def vxgate_run(self, scenario):
        pcap = self.capture(scenario)
        # sg-new starts with web's rules denying the capture: nothing is tracked until
        # the reload that allows it, which starts the window of new connections.
        # snat-new starts without the nat section: routed, untranslated, no session.
        cfg = self.config(scenario, pcap, **NEW_PASS.get(scenario, ("", "", {}))[2])
        sock = os.path.join(self.tmp, "vxgate.sock")
        cmd = [self.vxgate] + self.eal_for(scenario) + [
            "--file-prefix", "vxg-bench%d" % os.getpid(), "--", "-c", cfg,
            "-s", sock, "-d", os.path.join(self.tmp, "state")]
        logf = open(os.path.join(self.tmp, scenario + ".log"), "w")
        p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT)
        try:
            if scenario in NEW_PASS:
                return self.vxgate_new_conns(p, sock, scenario, pcap)
            if scenario in SCALE_FILL:
                return self.scale_fill(p, sock, scenario)
            if scenario == "dhcp":
                return self.vxgate_dhcp(p, sock)
            evpn = None
            if scenario in EVPN:
                self.vxgate_wait(p, sock)
                evpn = self.evpn_fill(sock, scenario)
            r = self.vxgate_measure(p, sock)
            if evpn:
                r["evpn"] = evpn
            if scenario in ("snat", "snat-reply"):
                # Established: the sessions came with the warm-up's first pass; one
                # created in the window means a session was missed (or aged) and remade.
                made = self.totals(self.ctl_json(sock, "show", "stats"))["nat_created"]
                r["nat"] = self.nat_tables(sock)
                if made:
                    r["status"] = "FAIL: %d sessions created in the window" % made
            if scenario == "sg" and self.a.sg_reload_rules:
                r["reload"] = self.sg_reload(sock, scenario, pcap)
            if scenario in AB_OFF and self.a.ab:
                r["ab"] = self.ab(sock, scenario, cfg)
            return r
        finally:
            grace = 30
            try:
                run([self.ctl, "-s", sock, "shutdown"], timeout=10)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                p.terminate()
                grace = 5
            try:
                p.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                # A control thread that never gets back to its loop ignores SIGTERM too.
                log("  vxgate did not stop: killed")
                p.kill()
                p.wait(timeout=30)
            logf.close()

    def vxgate_wait(self, p, sock, tries=100):
        for _ in range(tries):
            if p.poll() is not None:
                raise RuntimeError("vxgate exited: see %s" % self.tmp)
            try:
                self.ctl_json(sock, "show", "version", timeout=30)
                return
            except subprocess.CalledProcessError:
                time.sleep(0.1)
            except subprocess.TimeoutExpired:
                raise RuntimeError("vxgate accepts but does not answer: see %s" % self.tmp)
        raise RuntimeError("vxgate does not answer: see %s" % self.tmp)

    @staticmethod
    def totals(st):
        """rx, busy cycles, drops, and the events ct_hit and ct_created over the workers;
        nat_created (sessions) and nat_hit (SNATed packets that created none)."""
        ws = st["workers"]
        ev = lambda k: sum(w.get("events", {}).get(k, 0) for w in ws)
        return {"rx": sum(w["rx"] for w in ws), "busy": sum(w["busy_cycles"] for w in ws),
                "drops": sum(sum(w["drops"].values()) for w in ws),
                "ct_hit": ev("ct_hit"), "ct_created": ev("ct_created"),
                "nat_created": ev("nat_session_created"), "fdb_learned": ev("fdb_learned"),
                "nat_hit": ev("nat_snat_out") - ev("nat_session_created")}

    @staticmethod
    def drops_by_reason(st, base=None):
        """Drops per reason over the workers, less those of the snapshot base."""
        d = {}
        for snap, sign in ((st, 1), (base, -1)):
            for w in (snap or {"workers": []})["workers"]:
                for k, v in w["drops"].items():
                    d[k] = d.get(k, 0) + sign * v
        return {k: v for k, v in d.items() if v}

    def reload(self, sock, cfg):
        """`vxgate-ctl reload FILE`, timed from the outside: seconds."""
        t0 = time.monotonic()
        r = self.ctl_json(sock, "reload", cfg)
        secs = time.monotonic() - t0
        if "generation" not in r or r.get("warning"):
            raise RuntimeError("reload %s: %s" % (cfg, r))
        return secs

    def window(self, sock, seconds):
        """Cycles per packet of each one-second sample over the next seconds."""
        cpp, prev = [], self.ctl_json(sock, "show", "stats")
        for _ in range(seconds):
            time.sleep(1)
            cur = self.ctl_json(sock, "show", "stats")
            a, b = self.totals(prev), self.totals(cur)
            if b["rx"] > a["rx"]:
                cpp.append((b["busy"] - a["busy"]) / (b["rx"] - a["rx"]))
            prev = cur
        return cpp

    def ab(self, sock, scenario, cfg):
        """The feature off and on in turns in this one process (--ab rounds), reloading
        between the scenario's config and its twin without the feature (AB_OFF): the same
        memory, capture and neighbours for both, which separate runs do not have. Each
        window follows a second for the reload to settle: cycles a packet, medians."""
        text = open(cfg).read()
        off = cfg.replace(".yaml", "-off.yaml")
        with open(off, "w") as f:
            f.write(AB_OFF[scenario](text))
        rounds = []
        for _ in range(self.a.ab):
            pair = []
            for c in (off, cfg):
                self.reload(sock, c)
                time.sleep(1)
                pair.append(statistics.median(self.window(sock, self.a.ab_seconds)))
            rounds.append(pair)
        return {"rounds": rounds, "diff": statistics.median(b - a for a, b in rounds)}

    def capture_start(self, sock):
        """--capture: `capture start input rx FILTER FILE` before the warm-up."""
        if self.a.capture is None:
            return
        path = os.path.join(self.tmp, "capture-%d.pcapng" % time.monotonic_ns())
        run([self.ctl, "-s", sock, "capture", "start", "input", "rx", self.a.capture, path])

    def capture_stats(self, sock):
        """--capture: what the capture did over the run, stopped."""
        if self.a.capture is None:
            return None
        run([self.ctl, "-s", sock, "capture", "stop"])
        c = self.ctl_json(sock, "show", "capture")
        return {"filter": self.a.capture, "captured": c["rx"]["captured"],
                "filtered": c["rx"]["filtered"],
                "lost": c["rx"]["ring_full"] + c["rx"]["pool_empty"]}

    def vxgate_measure(self, p, sock, wait=True):
        if wait:
            self.vxgate_wait(p, sock)
        self.capture_start(sock)
        time.sleep(self.a.warmup)
        self.ctl_json(sock, "clear", "stats")
        samples, prev = [], self.ctl_json(sock, "show", "stats")
        t_prev = time.monotonic()
        for _ in range(self.a.seconds):
            time.sleep(1)
            cur, t = self.ctl_json(sock, "show", "stats"), time.monotonic()
            samples.append((t - t_prev, prev, cur))
            prev, t_prev = cur, t
        status = open("/proc/%d/status" % p.pid).read()
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024
        mem = self.ctl_json(sock, "show", "memory")
        r = self.summarize(samples, prev, hwm, mem)
        r["capture"] = self.capture_stats(sock)
        return r

    def summarize(self, samples, last, hwm, mem):
        n = len(last["workers"])
        mpps, cpp = [], []
        for dt, a, b in samples:
            rx = sum(w["rx"] for w in b["workers"]) - sum(w["rx"] for w in a["workers"])
            busy = sum(w["busy_cycles"] for w in b["workers"]) - \
                sum(w["busy_cycles"] for w in a["workers"])
            mpps.append(rx / dt / 1e6 / n)
            if rx:
                cpp.append(busy / rx)
        drops = {}
        for w in last["workers"]:
            for k, v in w["drops"].items():
                if v:
                    drops[k] = drops.get(k, 0) + v
        return {"mpps": statistics.median(mpps), "cpp": statistics.median(cpp) if cpp else 0,
                "drops": drops, "rss_mb": hwm, "memory": mem}
