#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""What systemd would receive from vxgate: binds a datagram socket at PATH (as
NOTIFY_SOCKET names it) and appends each message to OUT on one line, its fields joined
by '|'. Ends by itself after SECONDS, or once STOPPING=1 has come and the socket has been
quiet for a second.

Usage: core_service_notify.py PATH OUT SECONDS
"""
import os
import socket
import sys
import time

path, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
end = time.monotonic() + seconds
stopping = False
with open(out, "a") as f:
    f.write("LISTENING\n")
    f.flush()
    while time.monotonic() < end:
        s.settimeout(1.0 if stopping else max(0.01, end - time.monotonic()))
        try:
            msg = s.recv(4096).decode("utf-8", "replace")
        except socket.timeout:
            if stopping:
                break
            continue
        f.write(msg.strip("\n").replace("\n", "|") + "\n")
        f.flush()
        stopping = stopping or "STOPPING=1" in msg.split("\n")
