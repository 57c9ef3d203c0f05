# SPDX-License-Identifier: BSD-3-Clause
"""encap-evpn and decap-evpn: encap's and decap's traffic to and from MACs that BGP EVPN
put in the FDB rather than declared ports. vxgate runs with an evpn section (frr:
external, out of band: no FRR is needed to measure the dataplane) in a namespace of the
run's own; the MACs are written into its shadow VXLAN device as FRR's zebra writes remote
routes (`bridge fdb ... extern_learn`), and the window starts once vxgate holds them all.
Needs root (a network namespace); without it the scenarios say so."""
import os
import subprocess
import time

from benchlib.util import log, run

# Scenario -> the one it mirrors, the VNI, the MACs (pcapgen's) EVPN gives and whether
# sticky. encap-evpn: db2 (encap's destination) behind 172.16.0.2, sticky as a gateway's
# MAC is, since the capture's source MACs (vm2's + 0..--macs) include db2's and learning
# from an access interface moves a non-sticky EVPN MAC (it moved here). decap-evpn: every
# inner source MAC (vm1's + 0..--macs) behind 172.16.0.2, which decap has as vm1 declared
# and the rest learned.
EVPN = {"encap-evpn": ("encap", 200, "db2", True), "decap-evpn": ("decap", 100, "vm1", False)}
EVPN_VTEP = "172.16.0.2"
MACS = {"db2": 0x02000A02000D, "vm1": 0x02000A01000B}


def mac_str(v):
    return ":".join("%02x" % (v >> s & 255) for s in range(40, -8, -8))


class EvpnPass:
    """Mixed into Bench: uses ctl_json and self.a."""

    def evpn_ns(self):
        return "vxgb%d" % os.getpid()

    def evpn_section(self):
        return ("  evpn: {asn: 65000, peers: [%s], namespace: %s, frr: external, "
                "inband: false}\n" % (EVPN_VTEP, self.evpn_ns()))

    def evpn_macs(self, scenario):
        _, _, who, _ = EVPN[scenario]
        n = 1 if who == "db2" else self.a.macs
        return [mac_str(MACS[who] + k) for k in range(n)]

    def evpn_fill(self, sock, scenario):
        """Writes the scenario's MACs as zebra would and waits until vxgate has them."""
        _, vni, _, sticky = EVPN[scenario]
        ns, dev = self.evpn_ns(), "vxv%d" % vni
        deadline = time.monotonic() + 30
        while subprocess.run(["ip", "-n", ns, "link", "show", dev], capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("%s: no %s in namespace %s" % (scenario, dev, ns))
            time.sleep(0.1)
        macs = self.evpn_macs(scenario)
        batch = os.path.join(self.tmp, scenario + ".fdb")
        with open(batch, "w") as f:
            # The VTEP's type-3 route first, as a hypervisor sends with its MACs: vxgate
            # resolves (ARP) the VTEPs of its flood sets.
            f.write("fdb append 00:00:00:00:00:00 dev %s dst %s self\n" % (dev, EVPN_VTEP))
            for m in macs:
                f.write("fdb add %s dev %s dst %s self extern_learn%s\n" %
                        (m, dev, EVPN_VTEP, " sticky" if sticky else ""))
        t0 = time.monotonic()
        run(["bridge", "-n", ns, "-batch", batch])
        while True:
            vnis = self.ctl_json(sock, "show", "evpn", "vnis")["vnis"]
            have = sum(v["evpn_macs"] for v in vnis if v["vni"] == vni)
            vteps = sum(len(v["remote_vteps"]) for v in vnis if v["vni"] == vni)
            if have >= len(macs) and vteps:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("%s: vxgate has %d of %d EVPN MACs" % (scenario, have, len(macs)))
            time.sleep(0.05)
        log("  %s: %d MACs from EVPN (%s) in %.0f ms" % (
            scenario, len(macs), "sticky" if sticky else "extern_learn",
            (time.monotonic() - t0) * 1e3))
        return {"evpn_macs": len(macs)}
