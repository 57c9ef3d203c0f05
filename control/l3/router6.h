/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router's control side (router6.c): Neighbour Discovery for the gateways'
 * addresses (global and link-local) and the external interfaces' address6, neighbours
 * learned from NS and NA, next hops resolved by NS while their packets wait, their
 * probes and ageing, and echo replies for those addresses. The l3 feature hands it what
 * workers punt with the IPv6 ethertype.
 *
 * Thread-safety: control thread only (workers read the neighbour table under the
 * contract in vxg_l3.h).
 */
#ifndef VXG_ROUTER6_H
#define VXG_ROUTER6_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "config/model.h"
#include "vxg_gen.h"

struct vxg_daemon;

/* The IPv6 routers' control counters (every VPC and external interface). */
struct vxg_router6_stats {
	uint64_t ns_rx, na_tx; /* solicitations for our addresses, and our answers */
	uint64_t na_rx, ns_tx; /* advertisements received; our solicitations (next hops) */
	uint64_t nd_other; /* valid ND not for us, nor teaching us anything */
	uint64_t nd_bad; /* malformed ND (RFC 4861 7.1): dropped */
	uint64_t echo_rx, echo_tx; /* ICMPv6 echo to our addresses, and replies */
	uint64_t port_unreach_tx; /* UDP to a gateway address: port unreachable */
	uint64_t miss_rx, held_tx; /* packets waiting for a next hop, sent */
	uint64_t unknown; /* punted for a network or interface a reload took away */
};

int vxg_router6_init(struct vxg_daemon *d, char *err, size_t errlen);
void vxg_router6_fini(void);
/* Static entries for the ports' fixed ip6s of cfg, tagged gen. 0 or -ENOSPC. */
int vxg_router6_sync(const struct vxg_config *cfg, uint32_t gen);

struct vxg_l3_neigh6_table *vxg_router_neigh6(void);
const struct vxg_router6_stats *vxg_router6_stats(void);

/* An IPv6 frame a worker punted from a network's router (VXG_PUNT_ROUTER or a
 * VXG_PUNT_NEIGH_MISS; untagged, Ethernet first), or from an external interface
 * (VXG_PUNT_EXT6). Takes m. */
void vxg_router6_punt(struct vxg_daemon *d, struct rte_mbuf *m);

/* Probes and ageing, every few hundred milliseconds. */
void vxg_router6_timers(struct vxg_daemon *d, uint64_t now_ms);

#endif
