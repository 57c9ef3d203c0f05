# SPDX-License-Identifier: BSD-3-Clause
"""Small helpers of tools/bench: the source tree, logging, running a command, and
hugepages for --huge."""
import atexit
import os
import subprocess
import sys

# The repository: tools/benchlib/ is two levels down.
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


HUGE_NR = "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"


def huge_reserve(mb):
    """Enough 2 MiB pages for an EAL -m of mb (one process runs at a time), hugetlbfs
    mounted. Pages reserved before stay; those added are given back at exit."""
    pages = mb // 2 + 64
    try:
        have = int(open(HUGE_NR).read())
        if have < pages:
            with open(HUGE_NR, "w") as f:
                f.write(str(pages))
            atexit.register(lambda: open(HUGE_NR, "w").write(str(have)))
        got = int(open(HUGE_NR).read())
        if not os.path.ismount("/dev/hugepages"):
            os.makedirs("/dev/hugepages", exist_ok=True)
            run(["mount", "-t", "hugetlbfs", "nodev", "/dev/hugepages"])
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("bench: --huge needs root to reserve 2 MiB pages and mount hugetlbfs: %s" % e)
    if got < pages:
        sys.exit("bench: --huge: %d of %d 2 MiB pages reserved (memory too fragmented?)" %
                 (got, pages))
