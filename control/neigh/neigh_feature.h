/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay neighbour feature: vxgate's own ARP table for the underlay and external
 * interfaces (the VTEPs' next hops, the external gateways), the answers to ARP and ping
 * for vxgate's addresses, the probes, and a new generation when a MAC the VTEP header
 * templates use changes. The router's neighbours inside VPCs are the l3 feature's.
 *
 * Thread-safety: control thread only; workers never read the table (generations copy
 * the MACs they need).
 */
#ifndef VXG_NEIGH_FEATURE_H
#define VXG_NEIGH_FEATURE_H

#include <stdint.h>

#include "neigh/underlay_neigh.h"

/* Control's underlay ARP and ICMP counters, for `show neighbours`. */
struct vxg_underlay_stats {
	uint64_t arp_requests_rx, arp_replies_rx, arp_replies_tx;
	uint64_t icmp_echo_rx, icmp_echo_replies_tx;
	uint64_t arp_requests_tx; /* probes for next hops */
	uint64_t neigh_full; /* neighbours not kept: dataplane.limits.neighbours */
	uint64_t regens, regen_failed; /* generations rebuilt for a neighbour change */
};

/* The table (survives reloads); NULL before the daemon starts. */
const struct vxg_neigh_table *vxg_underlay_neigh(void);
const struct vxg_underlay_stats *vxg_underlay_stats(void);

#endif
