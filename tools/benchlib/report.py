# SPDX-License-Identifier: BSD-3-Clause
"""The report: a Markdown table (printed, and written with a CSV under --out) of every
scenario's figures, and a paragraph for each scenario that measured more."""
import csv
import datetime
import os
import platform
import subprocess

from benchlib.scenarios import AB_TWIN, SCALE_ROUTES, SCALE_SG_GROUPS, SCALE_SG_PORT_GROUPS, SCALE_SG_PORTS
from benchlib.util import SRC, log, run


def fmt(x, f="%.2f"):
    return "-" if x is None else f % x


def describe_env():
    cpu = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    try:
        dpdk = run(["pkg-config", "--modversion", "libdpdk"]).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        dpdk = "unknown"
    try:
        commit = run(["git", "-C", SRC, "rev-parse", "--short", "HEAD"]).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        commit = "unknown"
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "dpdk": dpdk,
            "commit": commit, "kernel": platform.release()}


def report(a, rows, ref):
    env = describe_env()
    lines = ["# vxgate benchmark, %s" % env["date"], "",
             "CPU: %s; DPDK %s; commit %s; %d worker(s); %d-byte frames; burst %d; %s; "
             "median of %d one-second samples after %d s warm-up." %
             (env["cpu"], env["dpdk"], env["commit"], a.workers, 64, a.burst,
              "2 MiB hugepages" if a.huge else "no hugepages (--no-huge)", a.seconds,
              a.warmup),
             "", "| scenario | status | Mpps/worker | cycles/pkt | vs macswap | drops | peak RSS |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = r["mpps"] / ref if ref and r["mpps"] else None
        drops = ", ".join("%s=%d" % kv for kv in sorted(r["drops"].items())) or "0"
        rss = "%d MB" % r["rss_mb"] if r.get("rss_mb") else "-"
        # dhcp is served by the control thread: its rate is transactions, not packets.
        rate = "%.0f txn/s (control thread)" % r["tps"] if r.get("tps") is not None else \
            fmt(r["mpps"])
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            r["scenario"], r["status"], rate, fmt(r["cpp"], "%.1f"),
            fmt(ratio), drops, rss))
    for r in rows:
        nc = r.get("new_conns")
        if nc and r["mpps"]:
            what = nc.get("what", "connections")
            lines += ["", "%s: %.2f M new %s/s per worker, %.0f cycles each (medians "
                      "of %d back-to-back stats samples inside the capture's first pass, "
                      "where every packet opened %s; over the whole window: %d "
                      "%s in %.3f s, %.2f M/s, %.0f cycles each; samples ranged "
                      "%.2f-%.2f M/s)" % (
                          r["scenario"], r["mpps"], what, r["cpp"], nc["samples"],
                          "a session" if what == "sessions" else "a connection",
                          nc["conns"], what, nc["secs"], nc["agg"] / 1e6, nc["agg_cpc"],
                          min(nc["rates"]) / 1e6, max(nc["rates"]) / 1e6)]
        dh = r.get("dhcp")
        if dh:
            lines += ["", "dhcp: %.0f transactions/s on the control thread (a transaction: a "
                      "REQUEST answered by an ACK, each after its DISCOVER's OFFER; %.0f OFFERs/s "
                      "alongside; `show dhcp stats` over the %.1f s window, one-second samples "
                      "%s ACKs/s); %d clients renewing their own address in a pool of %d (%d "
                      "bound), dataplane.dhcp_rate %s, dhcp_client_rate %s; lease file saved %d times; refused by the "
                      "server: %s; punted frames the control thread could not take (punt_full): "
                      "%.2f M/s" % (
                          r["tps"], dh["offers"], dh["secs"],
                          "-".join("%.0f" % x for x in (min(dh["rates"]), max(dh["rates"]))),
                          a.dhcp_clients, dh["pool"], dh["bound"], a.dhcp_rate or "0 (no cap)",
                          a.dhcp_client_rate or "0 (no limit)",
                          dh["saves"], ", ".join("%s=%d" % kv for kv in sorted(
                              dh["drops"].items())) or "none", dh["punt_full"] / 1e6)]
        ct = r.get("ct")
        if ct:
            lines += ["", "%s: %d rules in %d groups (vm1 in all of them; %d more ports on web, "
                      "each in %d), %d connections tracked (limits.conntrack %d) by the "
                      "capture's first pass (done %.1f s after vxgate answered), each "
                      "classified against them; the window replays the passes after it: every "
                      "packet a tracked connection, spread over the whole table%s" % (
                          r["scenario"], ct["rules"], SCALE_SG_GROUPS, SCALE_SG_PORTS,
                          SCALE_SG_PORT_GROUPS, ct["count"], ct["limit"], ct["fill_s"],
                          "; peak RSS %d MB" % r["rss_mb"] if r.get("rss_mb") else "")]
        if r["scenario"] == "scale-routes-10k":
            lines += ["", "scale-routes-10k: routed's traffic to %d destinations, each in one "
                      "of the VPC's %d /24 routes (100.64.0.0/24 on, all by vm1) besides its "
                      "connected networks" % (SCALE_ROUTES, SCALE_ROUTES)]
        fdb = r.get("fdb")
        if fdb:
            lines += ["", "%s: %d FDB entries, %d of them learned by the capture's first pass "
                      "(done %.1f s after vxgate answered; limits.fdb %d, the table %.1f MB in "
                      "`show memory`); the window replays the passes after it: every frame's "
                      "source a refresh of one of them, spread over the whole table%s" % (
                          r["scenario"], fdb["entries"], fdb["learned"], fdb["fill_s"],
                          fdb["limit"], fdb["bytes"] / 1e6,
                          "; peak RSS %d MB" % r["rss_mb"] if r.get("rss_mb") else "")]
        nat = r.get("nat")
        if nat:
            lines += ["", "%s: %d NAT sessions at the end (limits.sessions %d); the session "
                      "table takes %.1f MB (`show memory`, nat sessions: %.0f bytes a slot)%s" % (
                          r["scenario"], nat["sessions"], nat["limit"], nat["bytes"] / 1e6,
                          nat["bytes"] / nat["limit"] if nat["limit"] else 0,
                          "; peak RSS %d MB" % r["rss_mb"] if r.get("rss_mb") else "")]
        ab = r.get("ab")
        if ab:
            lines += ["", "%s in one process, the feature off then on, %d rounds of %d s "
                      "windows, a reload between (off: %s): cycles a packet %s; "
                      "on - off: %s, median %+.1f" % (
                          r["scenario"], len(ab["rounds"]), a.ab_seconds,
                          AB_TWIN[r["scenario"]],
                          ", ".join("%.1f/%.1f" % tuple(x) for x in ab["rounds"]),
                          ", ".join("%+.1f" % (y - x) for x, y in ab["rounds"]), ab["diff"])]
        rl = r.get("reload")
        if rl:
            lines += ["", "sg compile: %d rules, reload %.0f ms (median of %d `vxgate-ctl "
                      "reload` timed from outside, under %s traffic: %s ms; Mpps across "
                      "each reload %s vs %s the second before; drops %d)" % (
                          rl["rules"], rl["ms"], len(rl["runs"]), r["scenario"],
                          ", ".join("%.0f" % (x["secs"] * 1e3) for x in rl["runs"]),
                          ", ".join("%.2f" % x["during_mpps"] for x in rl["runs"]),
                          ", ".join("%.2f" % x["before_mpps"] for x in rl["runs"]),
                          rl["drops"])]
    caps = [r for r in rows if r.get("capture")]
    if caps:
        lines += ["", "Capture on the input interface (rx) with filter `%s` in every vxgate "
                      "run: frames %s." % (a.capture, "; ".join(
                          "%s: %d filtered out, %d captured, %d lost" % (
                              r["scenario"], r["capture"]["filtered"],
                              r["capture"]["captured"], r["capture"]["lost"])
                          for r in caps))]
    mem = next((r["memory"] for r in rows if r.get("memory")), None)
    if mem:
        lines += ["", "Memory (from `show memory`):", ""]
        lines += ["- %s: %.1f MB" % (t["name"], t["bytes"] / 1e6) for t in mem["tables"]]
    text = "\n".join(lines) + "\n"
    print(text)
    if not a.out:
        return
    os.makedirs(a.out, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    if a.capture is not None:
        stamp += "-capture"  # not a baseline: latest*.md stay as they are
    with open(os.path.join(a.out, stamp + ".md"), "w") as f:
        f.write(text)
    if a.capture is None:
        with open(os.path.join(a.out, "latest-huge.md" if a.huge else "latest.md"), "w") as f:
            f.write(text)
    with open(os.path.join(a.out, stamp + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "cpu", "dpdk", "commit", "workers", "scenario", "status",
                    "mpps_per_worker", "cycles_per_packet", "ratio_macswap", "drops",
                    "transactions_per_s"])
        for r in rows:
            ratio = r["mpps"] / ref if ref and r["mpps"] else ""
            w.writerow([env["date"], env["cpu"], env["dpdk"], env["commit"], a.workers,
                        r["scenario"], r["status"], r["mpps"] or "", r["cpp"] or "", ratio,
                        ";".join("%s=%d" % kv for kv in sorted(r["drops"].items())),
                        r.get("tps", "")])
    log("results written to %s/%s.{md,csv}" % (a.out, stamp))
