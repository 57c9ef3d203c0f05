/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC routers' feature on the control thread: the router neighbour table (static
 * entries for declared ports, entries learned from ARP and DHCP, resolution of next hops
 * while their packets wait), the frames workers punt to a gateway (ARP, ping, UDP to
 * the gateway, neighbour misses), and the routers' control counters.
 *
 * Thread-safety: control thread only (workers read the neighbour table under the
 * contract in vxg_l3.h).
 */
#ifndef VXG_L3_FEATURE_H
#define VXG_L3_FEATURE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "l3/router_neigh.h"

struct vxg_daemon;

/* The routers' control counters (every VPC), for `show router`. */
struct vxg_router_stats {
	uint64_t arp_requests_rx, arp_replies_tx, arp_replies_rx; /* for gateways */
	uint64_t arp_requests_tx; /* from gateways, for next hops */
	uint64_t icmp_echo_rx, icmp_echo_replies_tx, icmp_port_unreach_tx;
	uint64_t neigh_miss_rx, held_tx; /* packets waiting for a next hop, sent */
	/* DHCP for the gateways' networks: counted by the DHCP feature, which answers
	 * there on the router's behalf. */
	uint64_t dhcp_rx, dhcp_tx;
	uint64_t unknown_network; /* punted from a network a reload took away */
};

/* The router neighbour table (survives reloads); NULL before the daemon starts. */
const struct vxg_l3_neigh_table *vxg_router_neigh(void);
struct vxg_router_stats *vxg_router_stats(void);

/* The network (with a gateway) of a frame punted to a VPC router, or NULL when a reload
 * took it away or the frame is too short: then m is freed and counted. */
const struct vxg_gen_net *vxg_router_punt_net(struct vxg_daemon *d, struct rte_mbuf *m);

/* ip is at mac in network vni (an ARP from it, a DHCP binding): learn it (a new entry
 * only if `create`), and send what waited for it. */
void vxg_router_learn(struct vxg_daemon *d, uint32_t vni, rte_be32_t ip,
	const struct rte_ether_addr *mac, bool create);

#endif
