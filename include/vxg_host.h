/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The host interface, as a generation holds it: whether control keeps a tap (vxg-ul) in
 * vxgate's network namespace that stands for the underlay interface, so that a BGP
 * speaker there (FRR, for EVPN) talks through the DPDK underlay port in-band, as
 * linux-cp's taps do for VPP and grout. With one, workers punt (VXG_PUNT_HOST) what
 * reaches the VTEP address or the underlay's MAC that vxgate does not handle itself
 * (anything but VXLAN to its port and the ARP and pings it answers) instead of dropping
 * it, and ARP on the underlay, which control answers and also copies to the tap.
 *
 * Thread-safety: compiled by control into a new generation, immutable once published
 * (vxg_gen.h). Workers only read it, and only where such frames were dropped before.
 */
#ifndef VXG_HOST_H
#define VXG_HOST_H

#include <stdbool.h>

/* Per worker, what may go to the tap: a token bucket of this many frames a second, and
 * bursts of this many (a BGP session's updates come in TCP windows). Past it, a frame is
 * dropped as host_ratelimit, so a flood to the VTEP address cannot fill the punt ring
 * that ARP and DHCP share. */
#define VXG_HOST_PUNT_RATE 20000
#define VXG_HOST_PUNT_BURST 512

struct vxg_gen_host {
	bool tap; /* the tap exists: punt frames for the host instead of dropping them */
};

#endif
