# SPDX-License-Identifier: BSD-3-Clause
"""The passes that time or fill a table: reloads of a large rule set under traffic (sg),
a pass of new connections or sessions (sg-new, snat-new), and a table filled before the
window (the --scale scenarios)."""
import os
import re
import statistics
import time

from benchlib.scenarios import NEW_PASS, SCALE_FILL
from benchlib.util import log


class TablePasses:
    """Mixed into Bench: uses its config, ctl_json, totals, reload and vxgate_measure."""

    def sg_reload(self, sock, scenario, pcap):
        """Reloads into a config of --sg-reload-rules rules while the capture flows,
        alternating two variants (each reload recompiles): the wall time of each, and the
        traffic over each reload against the second before it."""
        n = self.a.sg_reload_rules
        cfgs = [self.config(scenario, pcap, name="%s-reload%d" % (scenario, v), rules=n,
                            variant=v) for v in (1, 2)]
        runs = []
        for k in range(self.a.sg_reloads):
            a, ta = self.totals(self.ctl_json(sock, "show", "stats")), time.monotonic()
            time.sleep(1)
            b, tb = self.totals(self.ctl_json(sock, "show", "stats")), time.monotonic()
            secs = self.reload(sock, cfgs[k % 2])
            c, tc = self.totals(self.ctl_json(sock, "show", "stats")), time.monotonic()
            runs.append({"secs": secs, "before_mpps": (b["rx"] - a["rx"]) / (tb - ta) / 1e6,
                         "during_mpps": (c["rx"] - b["rx"]) / (tc - tb) / 1e6,
                         "drops": c["drops"] - b["drops"]})
            log("  reload %d rules: %.0f ms, %.2f Mpps across it (%.2f before), %d drops" %
                (n, secs * 1e3, runs[-1]["during_mpps"], runs[-1]["before_mpps"],
                 runs[-1]["drops"]))
        return {"rules": n, "runs": runs,
                "ms": statistics.median(r["secs"] for r in runs) * 1e3,
                "drops": sum(r["drops"] for r in runs)}

    def vxgate_new_conns(self, p, sock, scenario, pcap):
        """New connections (sg-new) or SNAT sessions (snat-new) per second: the reload
        that allows the capture (sg-new) or adds the nat section (snat-new) starts a pass
        in which every packet opens one (distinct 5-tuples, nothing tracked before).
        Stats are read back to back; only the intervals in which every packet received
        created one (no hit, no drop, creations at both ends) count. rx and the events
        are read a moment apart from a running worker, so they need not match exactly in
        a short interval. snat-new's hits are SNATed packets less sessions created, two
        counters read a moment apart: a few bursts of them are such a race, not a hit."""
        created, what, _ = NEW_PASS[scenario]
        hit = "ct_hit" if created == "ct_created" else "nat_hit"
        slack = 0 if hit == "ct_hit" else 2 * 256
        n_pass = self.pass_len(scenario)
        self.vxgate_wait(p, sock, 600)
        time.sleep(self.a.warmup)
        cfg = self.config(scenario, pcap, name=scenario + "-allow")
        pre_st = self.ctl_json(sock, "show", "stats")
        pre = self.totals(pre_st)
        if pre[created] or pre[hit] > slack:
            raise RuntimeError("%s: %d %s, %d hits before the reload" %
                               (scenario, pre[created], what, pre[hit]))
        # Keep this process and vxgate-ctl off the workers' cores while sampling.
        affinity = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {0})
        try:
            reload_s = self.reload(sock, cfg)
            samples = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                st = self.ctl_json(sock, "show", "stats")
                samples.append((time.monotonic(), self.totals(st)))
                if samples[-1][1][hit] > slack and len(samples) > 2 and \
                        samples[-2][1][hit] > slack:
                    break  # the second pass: every packet is a hit from here on
        finally:
            os.sched_setaffinity(0, affinity)
        n = len(st["workers"])
        rates, cpc, pure_pkts, pure_t, pure_busy = [], [], 0, 0.0, 0
        for (t0, a), (t1, b) in zip(samples, samples[1:]):
            d = {k: b[k] - a[k] for k in a}
            if d[created] > 0 and a[created] > pre[created] and \
                    b[hit] <= slack and d["drops"] == 0:
                rates.append(d[created] / (t1 - t0) / n)
                cpc.append(d["busy"] / d[created])
                pure_pkts += d[created]
                pure_busy += d["busy"]
                pure_t += t1 - t0
        last = samples[-1][1]
        status = "ok"
        if len(rates) < 5:
            status = "FAIL: window too short (%d samples); raise --new-conns" % len(rates)
        if last[created] - pre[created] < n_pass:
            status = "FAIL: %d of %d %s created" % (
                last[created] - pre[created], n_pass, what)
        log("  %s: %d pure intervals, %d %s in %.2f s; reload %.0f ms; "
            "created %d, hits %d" % (scenario, len(rates), pure_pkts, what, pure_t,
                                     reload_s * 1e3, last[created], last[hit]))
        status_txt = open("/proc/%d/status" % p.pid).read()
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status_txt).group(1)) // 1024
        r = {"mpps": statistics.median(rates) / 1e6 if rates else None,
             "cpp": statistics.median(cpc) if cpc else None, "drops": {}, "rss_mb": hwm,
             "status": status, "new_conns": {
                 "what": what, "samples": len(rates), "conns": pure_pkts, "secs": pure_t,
                 "rates": rates, "agg": pure_pkts / pure_t / n if pure_t else 0,
                 "agg_cpc": pure_busy / pure_pkts if pure_pkts else 0}}
        if scenario == "snat-new":
            # Before the reload the capture is routed untranslated: it should forward
            # everything, before and after, so every drop counts (sg-new drops the
            # capture until its reload, on purpose).
            r["drops"] = self.drops_by_reason(self.ctl_json(sock, "show", "stats"), pre_st)
            r["nat"] = self.nat_tables(sock)
            r["memory"] = self.ctl_json(sock, "show", "memory")
        return r

    def nat_tables(self, sock):
        """Each SNAT VPC's sessions and limit, and the session tables' bytes."""
        nat = self.ctl_json(sock, "show", "nat")
        mem = self.ctl_json(sock, "show", "memory")
        return {"sessions": sum(v["sessions"] for v in nat["vpcs"]),
                "limit": sum(v["limit"] for v in nat["vpcs"]),
                "bytes": sum(t["bytes"] for t in mem["tables"] if t["name"] == "nat sessions")}

    def scale_fill(self, p, sock, scenario):
        """A table filled, then hits spread over it: the capture's first pass (distinct
        5-tuples) fills it (scale-sessions-1M: 1M SNAT sessions; scale-sg-rules-1k: its
        connections, each first classified against the rules), then every packet of the
        passes after it is a hit on one of them, spread over the whole table. Measured as
        vxgate_measure once the fill is done; the window must create nothing (a miss
        would)."""
        key, what = SCALE_FILL[scenario]
        n = self.pass_len(scenario)
        self.vxgate_wait(p, sock, 600)
        t0, deadline = time.monotonic(), time.monotonic() + 120
        while True:
            st = self.ctl_json(sock, "show", "stats")
            tot = self.totals(st)
            if tot[key] >= n or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        fill_s = time.monotonic() - t0
        fill_drops = self.drops_by_reason(st)
        log("  %s: %d %s created %.1f s after start; drops %s" % (
            scenario, tot[key], what, fill_s, fill_drops or 0))
        r = self.vxgate_measure(p, sock, wait=False)
        st = self.ctl_json(sock, "show", "stats")
        # `clear stats` in vxgate_measure: from there on, events of the window only.
        window_created = self.totals(st)[key]
        if key == "nat_created":
            r["nat"] = self.nat_tables(sock)
            left = r["nat"]["sessions"]
        elif key == "fdb_learned":
            mem = self.ctl_json(sock, "show", "memory")
            t = [t for t in mem["tables"] if t["name"] == "fdb"][0]
            r["fdb"] = {"entries": t["entries"], "bytes": t["bytes"], "fill_s": fill_s,
                        "learned": tot[key],
                        "limit": self.fdb(scenario)}
            left = t["entries"]
        else:
            r["ct"] = self.ct_tables(sock)
            r["ct"].update(created=tot[key], fill_s=fill_s, rules=self.a.sg_rules)
            left = r["ct"]["count"]
        for k, v in fill_drops.items():
            r["drops"][k] = r["drops"].get(k, 0) + v
        if tot[key] < n:
            r["status"] = "FAIL: %d of %d %s created" % (tot[key], n, what)
        elif window_created:
            r["status"] = "FAIL: %d %s created in the window (misses)" % (window_created, what)
        elif left < n:
            r["status"] = "FAIL: %d of %d %s left" % (left, n, what)
        return r

    def ct_tables(self, sock):
        """Connections tracked and the limit, over the VPCs with security groups."""
        ct = self.ctl_json(sock, "show", "conntrack")
        vpcs = [v for v in ct.get("vpcs", []) if v.get("tracked")]
        return {"count": sum(v["count"] for v in vpcs), "limit": sum(v["limit"] for v in vpcs)}
