/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router's tables: routes and next hops (in a generation), and the router
 * neighbours (kept across generations).
 *
 * Thread-safety: the route tables (per VPC a short list or an rte_lpm, and its next-hop
 * array) are compiled by the control thread into a generation and immutable after;
 * workers look up concurrently. The neighbour table's contract is with its struct below.
 */
#ifndef VXG_L3_H
#define VXG_L3_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_lpm.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "vxg_defs.h"
#include "vxg_l3v6.h"
#include "vxg_nat.h"
#include "vxg_sg.h"

struct vxg_ct;

enum vxg_nh_kind {
	VXG_NH_CONNECTED, /* the destination is on a network of the VPC: ARP for it */
	VXG_NH_GATEWAY, /* a router on a network of the VPC (route with `nexthop`) */
	VXG_NH_INTERFACE, /* out of an external (or underlay) interface, to its gateway */
};

struct vxg_nh {
	uint8_t kind; /* enum vxg_nh_kind */
	uint8_t iface; /* VXG_NH_INTERFACE: index into config->interfaces */
	uint16_t network; /* VXG_NH_CONNECTED, VXG_NH_GATEWAY: index into vpc->networks */
	uint32_t gateway; /* host order; 0 for VXG_NH_CONNECTED (the destination itself) */
	uint16_t mtu; /* of the egress network or interface */
	/* Filled in by the generation build, for the worker: */
	uint16_t gnet; /* CONNECTED, GATEWAY: the egress network's index in vx.nets */
	uint16_t port_id; /* INTERFACE: the DPDK port */
	bool resolved; /* INTERFACE: dst_mac is the gateway's */
	struct rte_ether_addr src_mac, dst_mac; /* INTERFACE */
};

/* A VPC's prefixes when they are few (VXG_L3_SMALL at most, the default route apart):
 * matched in order, longest first. */
struct vxg_l3_pfx {
	uint32_t net, mask; /* host order */
	uint32_t nh; /* index into nhs */
};

/* Up to this many prefixes a VPC's routes are a list in its own cache lines; more, an
 * rte_lpm. rte_lpm's tbl24 is 2^24 entries of 4 bytes: 64 MB per VPC whatever its size
 * (two during a reload or a rebuild), so a box of a hundred small VPCs would hold 6 to
 * 13 GB of hugepages for them; rte_fib's DUMMY (rte_rib) costs 55 to 65 cycles a lookup
 * here against rte_lpm's 3, DIR24_8 32 MB. A scan of 8 prefixes costs about what
 * rte_lpm does on a table in cache, and misses no cache on a box of many VPCs. */
#define VXG_L3_SMALL 8

struct vxg_l3_vpc {
	/* more than VXG_L3_SMALL prefixes: next hop = index into nhs (`show memory` counts
	 * its tbl24 and tbl8s); NULL: the short list */
	struct rte_lpm *lpm;
	struct vxg_nh *nhs;
	uint32_t default_nh; /* neither takes /0: the default route's nh, or UINT32_MAX */
	uint8_t n_small; /* lpm NULL: the prefixes in small[] */
	bool routed; /* a network with a gateway: the VPC has a router */
	bool lent; /* control: lpm belongs to a later generation (a rebuild took it over) */
	struct vxg_l3_pfx small[VXG_L3_SMALL];
	uint32_t n_nhs;
	uint32_t n_routes; /* prefixes, the default route included */
};

#define VXG_L3_NO_ROUTE UINT32_MAX

/* One VPC's router in a generation. */
struct vxg_gen_vpc {
	char name[VXG_NAME_MAX];
	struct vxg_l3_vpc l3;
	struct vxg_l3_vpc6 l3v6; /* fib NULL: no dual-stack network */
	struct vxg_sg_vpc sg; /* security groups; sg.filtered NULL: no port has any */
	struct vxg_ct *ct; /* the daemon's conntrack table of this VPC (NULL: none) */
	struct vxg_gen_nat nat; /* floating IPs and SNAT (nat.on false: no nat section) */
	uint64_t *sg_hits; /* [worker id * sg.n_refs + ref]: rule hits in this generation */
};

/*
 * Router neighbours: (network, IPv4) -> MAC, for the next hops inside a VPC's networks.
 * Static for the ports the config declares (and DHCP static hosts), learned from ARP
 * (the router asks from the gateway address when a routed packet finds no entry) and
 * from DHCP bindings. Keyed by VNI, not by generation index, so entries live across
 * reloads.
 *
 * Thread-safety: one lock-free rte_hash (RW_CONCURRENCY_LF) that only control writes;
 * workers look up in bulk and read an entry's MAC with one atomic 64-bit load. Control
 * deletes a key, waits for the workers' quiescence (rte_rcu_qsbr_synchronize), then frees
 * its position, as for the FDB. Everything else in an entry is control's.
 */
struct vxg_l3_nkey {
	uint32_t vni;
	rte_be32_t ip;
	uint64_t pad; /* always 0: 16-byte keys compare with one SSE instruction */
};

union vxg_l3_nmac {
	uint64_t u64;
	struct {
		struct rte_ether_addr mac;
		uint8_t valid; /* the MAC is known: workers forward */
		uint8_t is_static;
	};
};

#define VXG_L3_NEIGH_QLEN 4 /* packets held per unresolved neighbour */

enum vxg_l3_nstate {
	VXG_L3N_INCOMPLETE, /* asked, no answer yet */
	VXG_L3N_REACHABLE,
	VXG_L3N_STALE, /* not heard of for a while: probed, still used */
	VXG_L3N_STATIC,
};

struct vxg_l3_neigh {
	struct vxg_l3_nkey key;
	union vxg_l3_nmac mac;
	/* Control only. */
	bool used;
	uint8_t state; /* enum vxg_l3_nstate */
	uint8_t probes;
	uint8_t nq;
	uint32_t static_gen;
	uint64_t updated_ms, next_probe_ms;
	struct rte_mbuf *q[VXG_L3_NEIGH_QLEN];
};

struct vxg_l3_neigh_table {
	struct rte_hash *h;
	struct vxg_l3_neigh *e; /* indexed by key position */
	uint32_t cap;
	struct rte_rcu_qsbr *qsbr;
	uint64_t full; /* entries not created: the table was full */
	uint64_t queue_drops; /* packets not held: the queue of their neighbour was full */
	uint64_t unresolved_drops; /* packets held for a neighbour that never answered */
};

/*
 * IPv6 router neighbours: (network or external interface, IPv6) -> MAC, learned from
 * Neighbour Solicitations and Advertisements, static for the ports' fixed ip6s, resolved
 * by Neighbour Solicitation from the gateway while packets wait. The same contract as
 * the IPv4 table's above, in a table of its own (keys of 24 bytes).
 */
struct vxg_l3_nkey6 {
	uint32_t vni; /* network, or VXG_L3N6_IF | interface index */
	uint32_t pad; /* always 0 */
	uint8_t ip[VXG_IP6_LEN];
};

struct vxg_l3_neigh6 {
	struct vxg_l3_nkey6 key;
	union vxg_l3_nmac mac;
	/* Control only, as struct vxg_l3_neigh's. */
	bool used;
	uint8_t state; /* enum vxg_l3_nstate */
	uint8_t probes;
	uint8_t nq;
	uint32_t static_gen;
	uint64_t updated_ms, next_probe_ms;
	struct rte_mbuf *q[VXG_L3_NEIGH_QLEN];
};

struct vxg_l3_neigh6_table {
	struct rte_hash *h;
	struct vxg_l3_neigh6 *e; /* indexed by key position */
	uint32_t cap;
	struct rte_rcu_qsbr *qsbr;
	uint64_t full, queue_drops, unresolved_drops; /* as vxg_l3_neigh_table's */
};

static inline void
vxg_l3n6_key(struct vxg_l3_nkey6 *k, uint32_t vni, const uint8_t *ip)
{
	k->vni = vni;
	k->pad = 0;
	memcpy(k->ip, ip, VXG_IP6_LEN);
}

/* The next hop of dst (host order) in a routed VPC: an index into nhs, or
 * VXG_L3_NO_ROUTE. */
static __rte_always_inline uint32_t
vxg_l3_lookup(const struct vxg_l3_vpc *l3, uint32_t dst)
{
	uint32_t nh;

	if (l3->lpm != NULL)
		return rte_lpm_lookup(l3->lpm, dst, &nh) == 0 ? nh : l3->default_nh;
	for (unsigned i = 0; i < l3->n_small; i++)
		if ((dst & l3->small[i].mask) == l3->small[i].net)
			return l3->small[i].nh;
	return l3->default_nh;
}

/* Look up n destinations (host order); nh[i] is an index into nhs or VXG_L3_NO_ROUTE. */
static inline void
vxg_l3_lookup_bulk(const struct vxg_l3_vpc *l3, const uint32_t *dst, uint32_t *nh, unsigned n)
{
	if (l3->lpm == NULL) {
		for (unsigned i = 0; i < n; i++)
			nh[i] = vxg_l3_lookup(l3, dst[i]);
		return;
	}
	rte_lpm_lookup_bulk(l3->lpm, dst, nh, n);
	for (unsigned i = 0; i < n; i++)
		nh[i] = (nh[i] & RTE_LPM_LOOKUP_SUCCESS) ? (nh[i] & 0x00ffffff) : l3->default_nh;
}

#endif
