#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Control socket clients for tests/netns/core_ctl_test.sh: hostile ones that try to stall
vxgate's control thread, and real ones (vxgate-ctl), timed while the hostile ones run.

  ctl_clients.py hostile SOCKET SECONDS [--idle N] [--drip N] [--garbage N]
                 [--telemetry TELEMETRY_SOCKET]
      By default 100 idle connections, 20 that drip a byte a second and one that sends
      a megabyte of garbage; each comes back 0.5 s after vxgate cuts it. With
      --telemetry, DPDK telemetry clients too: 7 idle, one asking /vxgate/stats in a
      loop. Prints what happened as JSON at the end, with how long vxgate let the
      dripping clients drip (drip_held_min_s, drip_held_max_s).
  ctl_clients.py sample VXGATE_CTL SOCKET COUNT INTERVAL WANT
      `show version` COUNT times, INTERVAL seconds apart: one line per run, its wall
      time in ms. Exit 1 if an answer is not WANT.
  ctl_clients.py burst VXGATE_CTL SOCKET N WANT
      N `show version` at once. Exit 1 unless every one answers WANT.
"""
import argparse
import json
import socket
import subprocess
import sys
import threading
import time

GARBAGE_BYTES = 1 << 20
COMEBACK_S = 0.5  # a cut client reconnects after this
# Idle telemetry clients: DPDK 22.11 takes 10 at once; 7 and the busy one leave room for a
# connection the library has not yet counted as gone.
TEL_IDLE = 7


class Hostile:
    def __init__(self, path, seconds):
        self.path = path
        self.end = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.n = {}

    def count(self, what, k=1):
        with self.lock:
            self.n[what] = self.n.get(what, 0) + k

    def held(self, s):
        """A dripping client was held s seconds before being cut."""
        with self.lock:
            self.n["drip_held_min_s"] = round(min(self.n.get("drip_held_min_s", s), s), 3)
            self.n["drip_held_max_s"] = round(max(self.n.get("drip_held_max_s", s), s), 3)

    def running(self):
        return time.monotonic() < self.end

    def connect(self, kind=socket.SOCK_STREAM, path=None, blocking=False):
        s = socket.socket(socket.AF_UNIX, kind)
        s.settimeout(2)
        try:
            s.connect(path or self.path)
        except OSError:
            s.close()
            self.count("connect_failed")
            return None
        if not blocking:
            s.setblocking(False)
        return s

    @staticmethod
    def cut(s):
        """True once vxgate has closed s (what it said last is read and dropped)."""
        try:
            s.recv(4096, socket.MSG_DONTWAIT)
            return True
        except BlockingIOError:
            return False
        except OSError:
            return True

    def idle(self):
        while self.running():
            s = self.connect()
            if s is None:
                time.sleep(COMEBACK_S)
                continue
            self.count("idle_connections")
            while self.running() and not self.cut(s):
                time.sleep(0.1)
            s.close()
            time.sleep(COMEBACK_S)

    def drip(self):
        msg = b"T show version"  # never the newline
        while self.running():
            s = self.connect()
            if s is None:
                time.sleep(COMEBACK_S)
                continue
            self.count("drip_connections")
            t0, i = time.monotonic(), 0
            while self.running() and not self.cut(s):
                try:
                    s.send(msg[i % len(msg) : i % len(msg) + 1])
                    self.count("drip_bytes")
                except OSError:
                    break
                i += 1
                for _ in range(100):
                    if not self.running() or self.cut(s):
                        break
                    time.sleep(0.01)
            if self.running():
                self.held(time.monotonic() - t0)
            s.close()
            time.sleep(COMEBACK_S)

    def garbage(self):
        junk = bytes((b * 7 + 1) % 256 or 1 for b in range(GARBAGE_BYTES))
        junk = junk.replace(b"\n", b"\xff")
        while self.running():
            s = self.connect(blocking=True)
            if s is None:
                time.sleep(COMEBACK_S)
                continue
            self.count("garbage_connections")
            sent = 0
            try:
                while sent < len(junk) and self.running():
                    sent += s.send(junk[sent : sent + 65536])
            except OSError:
                pass
            self.count("garbage_bytes", sent)
            s.close()
            time.sleep(COMEBACK_S)

    def tel_idle(self, tpath):
        s = self.connect(socket.SOCK_SEQPACKET, tpath)
        if s is None:
            return
        self.count("telemetry_idle")
        while self.running():
            time.sleep(0.2)
        s.close()

    def tel_hammer(self, tpath):
        s = self.connect(socket.SOCK_SEQPACKET, tpath, blocking=True)
        if s is None:
            return
        try:
            s.recv(4096)
            while self.running():
                s.send(b"/vxgate/stats")
                json.loads(s.recv(65536))
                self.count("telemetry_queries")
        except (OSError, ValueError) as e:
            self.count(f"telemetry_error {e}")
        s.close()

    def run(self, idle, drip, garbage, tpath):
        jobs = [self.idle] * idle + [self.drip] * drip + [self.garbage] * garbage
        threads = [threading.Thread(target=j, daemon=True) for j in jobs]
        if tpath:
            threads.append(threading.Thread(target=self.tel_hammer, args=(tpath,)))
            threads += [threading.Thread(target=self.tel_idle, args=(tpath,)) for _ in range(TEL_IDLE)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(max(0, self.end - time.monotonic()) + 5)
        print(json.dumps(self.n, sort_keys=True))


def show_version(ctl, sock):
    try:
        return subprocess.run([ctl, "-s", sock, "show", "version"], capture_output=True,
            text=True, timeout=10)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess([], -1, "", "no answer within 10 s")


def sample(ctl, sock, count, interval, want):
    bad = 0
    for _ in range(int(count)):
        t = time.monotonic()
        r = show_version(ctl, sock)
        ms = (time.monotonic() - t) * 1000
        ok = r.returncode == 0 and r.stdout.strip() == want
        bad += not ok
        print(f"{ms:.1f}" if ok else f"{ms:.1f} wrong: rc {r.returncode} {r.stdout!r} {r.stderr!r}",
            flush=True)
        time.sleep(float(interval))
    return 1 if bad else 0


def burst(ctl, sock, n, want):
    t = time.monotonic()
    procs = [subprocess.Popen(["timeout", "20", ctl, "-s", sock, "show", "version"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(int(n))]
    res = [p.communicate() + (p.returncode,) for p in procs]
    ms = (time.monotonic() - t) * 1000
    wrong = [r for r in res if r[2] != 0 or r[0].strip() != want]
    print(f"{len(res) - len(wrong)} of {len(res)} answered right, all done in {ms:.0f} ms")
    for r in wrong[:5]:
        print(f"  wrong: rc {r[2]} {r[0]!r} {r[1]!r}")
    return 1 if wrong else 0


def hostile(argv):
    p = argparse.ArgumentParser(prog="ctl_clients.py hostile")
    p.add_argument("socket")
    p.add_argument("seconds", type=float)
    p.add_argument("--idle", type=int, default=100)
    p.add_argument("--drip", type=int, default=20)
    p.add_argument("--garbage", type=int, default=1)
    p.add_argument("--telemetry")
    a = p.parse_args(argv)
    Hostile(a.socket, a.seconds).run(a.idle, a.drip, a.garbage, a.telemetry)
    return 0


def main(argv):
    if argv[:1] == ["hostile"]:
        return hostile(argv[1:])
    if len(argv) == 6 and argv[0] == "sample":
        return sample(*argv[1:])
    if len(argv) == 5 and argv[0] == "burst":
        return burst(*argv[1:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
