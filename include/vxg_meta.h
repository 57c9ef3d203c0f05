/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What travels with an mbuf between a worker and the control thread, in a dynamic mbuf
 * field: why a frame was punted, and for frames control hands back, where they go; and
 * on a worker, the trace record of a packet it follows (vxg_trace.h).
 *
 * Thread-safety: the field belongs to whoever holds the mbuf. A worker writes it before
 * the punt ring, control reads it after; control writes it before the inject ring, the
 * worker reads it after. Registered once by control before the workers start.
 */
#ifndef VXG_META_H
#define VXG_META_H

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

enum vxg_punt_why {
	VXG_PUNT_UNDERLAY, /* ARP or ICMP for an interface or VTEP address (untagged) */
	VXG_PUNT_ROUTER, /* ARP or ICMP for a network's gateway, Ethernet first, untagged */
	VXG_PUNT_DHCP, /* UDP to VXG_DHCP_SERVER_PORT in a network with a DHCP server */
	VXG_PUNT_NEIGH_MISS, /* routed, no neighbour yet: Ethernet source set, TTL spent */
	VXG_PUNT_EXT6, /* IPv6 ND or ICMPv6 for an external interface's IPv6 address */
	VXG_PUNT_RS, /* an IPv6 Router Solicitation in a dual-stack network, Ethernet first */
	VXG_PUNT_DHCP6, /* UDP to VXG_DHCP6_SERVER_PORT in a dual-stack network, Ethernet first */
	/* With a host tap (vxg_host.h), from the underlay: IPv4 to the VTEP address or the
	 * underlay's MAC that is neither VXLAN nor a ping vxgate answers; and ARP, which
	 * control copies to the tap before answering it as VXG_PUNT_UNDERLAY */
	VXG_PUNT_HOST,
};

#define VXG_NH6_DST UINT32_MAX

/* DHCP's UDP ports (RFC 2131): workers punt what goes to the server's, and port security
 * stops server replies (to the client's) that a VM sends. */
#define VXG_DHCP_SERVER_PORT 67
#define VXG_DHCP_CLIENT_PORT 68
/* DHCPv6's (RFC 8415 7.2). */
#define VXG_DHCP6_SERVER_PORT 547
#define VXG_DHCP6_CLIENT_PORT 546

/* m->port of a frame on a worker's inject ring that is not for a port, but for the L2
 * switch of network meta->vni, as if the router sent it (known unicast or flood). */
#define VXG_INJECT_NET UINT16_MAX

struct vxg_meta {
	uint32_t vni; /* the network the frame came from or goes to */
	/* VXG_PUNT_NEIGH_MISS: the address to resolve; for IPv6 (vni: a network, or
	 * VXG_L3N6_IF | interface) VXG_NH6_DST for the packet's destination, else
	 * VPC << 16 | index of the route's next hop in its IPv6 table */
	rte_be32_t nexthop;
	uint8_t why; /* enum vxg_punt_why */
	uint16_t lport; /* frames to the router: the sender's port slot + 1, 0 none */
	uint16_t trace; /* with vxg_trace_mask in ol_flags: the index of its trace record */
	/* on a worker, what NAT translated: the QoS meter of its floating IP or SNAT in the
	 * packet's direction (vxg_qos.h), 0 none; the router meters it */
	uint16_t qos;
};

extern int vxg_meta_offset;

static inline struct vxg_meta *
vxg_meta(struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, vxg_meta_offset, struct vxg_meta *);
}

/* Register the field and the trace flag (vxg_trace_mask) (idempotent). 0 or -rte_errno. */
int vxg_meta_register(void);

#endif
