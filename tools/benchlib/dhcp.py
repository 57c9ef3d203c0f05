# SPDX-License-Identifier: BSD-3-Clause
"""The dhcp scenario's measure: DHCP transactions per second served by the control thread,
from `show dhcp stats` over the window (not Mpps)."""
import functools
import re
import subprocess
import time

from benchlib.util import log


class DhcpPass:
    """Mixed into Bench: uses its ctl_json, vxgate_wait and drops_by_reason."""

    def vxgate_dhcp(self, p, sock):
        """DHCP transactions per second on the control thread. The capture's clients each
        send a DISCOVER, then a REQUEST for the address they always ask for: the first
        pass binds every client's address, the passes after it renew it (OFFER, ACK
        again), so the pool neither fills nor changes: a steady state. The worker punts
        far more than the control thread can take (the rest: punt_full). A transaction
        is a REQUEST answered by an ACK (each after its DISCOVER's OFFER), counted by
        `show dhcp stats` over the window; Mpps and cycles do not apply."""
        tmo = 10
        try:
            self.vxgate_wait(p, sock)
            if not self.a.dhcp_rate:  # under a cap, binding all could take minutes
                self.dhcp_bind(sock, tmo)
            time.sleep(self.a.warmup)
            w0 = self.ctl_json(sock, "show", "stats", timeout=tmo)
            samples = [self.dhcp_sample(sock, tmo)]
            for _ in range(self.a.seconds):
                time.sleep(1)
                samples.append(self.dhcp_sample(sock, tmo))
            w1 = self.ctl_json(sock, "show", "stats", timeout=tmo)
        except (subprocess.TimeoutExpired, RuntimeError) as e:
            # The control thread drains the punt ring until it is empty before it looks
            # at its socket again; a worker that refills it faster keeps it there.
            log("  dhcp: %s: the control thread never got back to its socket (it drains "
                "the punt ring to empty first, and the worker refills it); --dhcp-rate N "
                "caps what it serves" % e)
            return {"mpps": None, "cpp": None, "drops": {}, "status":
                    "FAIL: no answer on the control socket in %d s (punt ring never drained)"
                    % tmo}
        return self.dhcp_summary(p, samples, w0, w1)

    def dhcp_bind(self, sock, tmo):
        """Wait (60 s at most) until every client of the capture holds its address."""
        t0 = time.monotonic()
        while time.monotonic() < t0 + 60:
            bound = self.dhcp_sample(sock, tmo)[1]["networks"][0]["bound"]
            if bound >= self.a.dhcp_clients:
                break
            time.sleep(0.2)
        log("  dhcp: %d clients bound %.1f s after start" % (bound, time.monotonic() - t0))

    def dhcp_sample(self, sock, tmo):
        """`show dhcp stats`, stamped with the middle of the call: a busy control thread
        may take a while to answer."""
        t = time.monotonic()
        st = self.ctl_json(sock, "show", "dhcp", "stats", timeout=tmo)
        return ((t + time.monotonic()) / 2, st)

    def dhcp_summary(self, p, samples, w0, w1):
        val = lambda smp, *path: functools.reduce(lambda d, k: d[k], path, smp[1]["total"])
        diff = lambda a, b, *path: val(b, *path) - val(a, *path)
        first, last = samples[0], samples[-1]
        secs = last[0] - first[0]
        rates = [diff(a, b, "sent", "ack") / (b[0] - a[0]) for a, b in zip(samples, samples[1:])]
        dhcp_drops = {k: diff(first, last, "drops", k) for k in val(last, "drops")
                      if diff(first, last, "drops", k)}
        naks = diff(first, last, "sent", "nak")
        drops = self.drops_by_reason(w1, w0)
        net = last[1]["networks"][0]
        # With a cap (--dhcp-rate, --dhcp-client-rate) the limiters answer by design.
        limits = tuple(k for k, on in (("global_limited", self.a.dhcp_rate),
                                       ("rate_limited", self.a.dhcp_client_rate)) if on)
        bad = {k: v for k, v in dhcp_drops.items() if k not in limits}
        status = "ok"
        if not diff(first, last, "sent", "ack"):
            status = "FAIL: no ACK in the window"
        elif not self.a.dhcp_rate and net["bound"] < self.a.dhcp_clients:
            status = "FAIL: %d of %d clients bound" % (net["bound"], self.a.dhcp_clients)
        elif naks or bad:
            status = "FAIL: %s" % ", ".join(
                "%s=%d" % kv for kv in sorted(list(bad.items()) + [("nak", naks)]) if kv[1])
        status_txt = open("/proc/%d/status" % p.pid).read()
        hwm = int(re.search(r"VmHWM:\s+(\d+)", status_txt).group(1)) // 1024
        return {"mpps": None, "cpp": None, "tps": diff(first, last, "sent", "ack") / secs,
                "status": status, "drops": drops, "rss_mb": hwm, "dhcp": {
                    "rates": rates, "offers": diff(first, last, "sent", "offer") / secs,
                    "drops": dhcp_drops, "secs": secs, "bound": net["bound"],
                    "pool": net["pool"], "punt_full": drops.get("punt_full", 0) / secs,
                    "saves": last[1]["lease_saves"] - first[1]["lease_saves"]}}
