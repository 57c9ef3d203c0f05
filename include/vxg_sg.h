/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security groups compiled to rte_acl: one context per VPC and direction.
 *
 * The classifier answers "does a rule of this port's groups allow this packet?" for new
 * connections and stateless groups; established connections take the conntrack path and
 * skip it. Ports without groups are not filtered and are never classified. A port whose
 * groups list no egress rule gets an allow-all egress rule, as in Neutron.
 *
 * Thread-safety: compiled by the control thread into a new generation; immutable after;
 * workers classify concurrently (rte_acl_classify only reads); freed with the generation.
 */
#ifndef VXG_SG_H
#define VXG_SG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_acl.h>
#include <rte_byteorder.h>

#include "vxg_defs.h"
#include "vxg_l2.h"

/*
 * What rte_acl reads, in network byte order. Built by the worker from the packet:
 * ingress: port = the destination port's index in its VPC, remote = source IP;
 * egress: port = the source port's index, remote = destination IP.
 * l4 = destination port for TCP/UDP/SCTP; type << 8 | code for ICMP; 0 otherwise.
 */
struct vxg_sg_key {
	uint8_t proto;
	uint8_t pad[3];
	rte_be32_t port;
	rte_be32_t remote;
	rte_be16_t unused;
	rte_be16_t l4;
};

/*
 * The same for IPv6 rules: the remote address as four 32-bit words (rte_acl's fields are
 * at most 4 bytes wide), network byte order.
 */
struct vxg_sg6_key {
	uint8_t proto;
	uint8_t pad[3];
	rte_be32_t port;
	rte_be32_t remote[4];
	rte_be16_t unused;
	rte_be16_t l4; /* ICMPv6: type << 8 | code */
};

/* What a match points at: the config rule, for hit counters and `show security-groups`. */
struct vxg_sg_rule_ref {
	uint16_t sg; /* index in vpc->sgs, or UINT16_MAX for the implicit egress allow */
	uint16_t rule; /* index in sg->rules */
	uint32_t port; /* the port the compiled rule belongs to */
	bool stateful;
};

struct vxg_sg_vpc {
	struct rte_acl_ctx *acl[2]; /* [VXG_DIR_INGRESS], [VXG_DIR_EGRESS]; NULL: no rule */
	uint32_t n_acl_rules[2];
	struct rte_acl_ctx *acl6[2]; /* the IPv6 rules, the same way; NULL: none */
	uint32_t n_acl6_rules[2];
	struct vxg_sg_rule_ref *refs; /* userdata - 1 indexes this, in both families */
	uint32_t n_refs;
	bool *filtered; /* per port of the VPC: has security groups and port security */
	uint32_t n_ports;
	/* Control only: these tables belong to another generation (a rebuild of the same
	 * config took them over, vxg_sg_build); freeing this one leaves them. */
	bool lent;
};

/* ---- Declared ports as the workers see them ------------------------------------------ */

#define VXG_LP_SECURITY 0x01 /* port security: its own MAC and addresses only */
#define VXG_LP_FILTERED 0x02 /* security groups: classified and tracked */
#define VXG_LP_IP6_ANY 0x04 /* port security: any IPv6 source (its address comes from a server) */
#define VXG_LP_DECLARED 0x80 /* a port of this generation (the slot is in use) */

/* An address a port may send from, with the MAC it must use. */
struct vxg_lport_addr {
	rte_be32_t addr; /* host bits zero */
	rte_be32_t mask;
	struct rte_ether_addr mac;
};

/* An IPv6 prefix a port may send from, with the MAC it must use: the 16 bytes in network
 * order as two words, compared under mask (a /128 is all ones). */
struct vxg_lport_addr6 {
	uint64_t addr[2]; /* host bits zero */
	uint64_t mask[2];
	struct rte_ether_addr mac;
};

/* g->lports[slot]: indexed by an FDB entry's `lport` - 1. */
/* 48 bytes without holes: the fields port security reads come first. */
struct vxg_gen_lport {
	uint8_t flags; /* VXG_LP_*; 0: not a port in this generation */
	uint16_t vpc_idx;
	uint32_t vpc_port; /* index in its VPC's ports: the rule key's `port` */
	/* where it lives, as its static FDB entry says; PENDING: EVPN places it, the entry
	 * of (its network's VNI, mac) says where */
	union vxg_fdb_loc loc;
	uint16_t n_addrs; /* 0 with port security: any source address (no fixed IP) */
	struct rte_ether_addr mac; /* its own */
	const struct vxg_lport_addr *addrs; /* fixed IPs (/32, own MAC), then address pairs */
	uint16_t qos[2]; /* [enum vxg_dir]: its QoS meter (vxg_qos.h), 0 none */
	/* IPv6, with port security: fixed IPv6 addresses (/128, own MAC), the link-local
	 * fe80::EUI-64 of its MAC and of each pair's own MAC, then IPv6 address pairs */
	uint16_t n_addrs6;
	const struct vxg_lport_addr6 *addrs6;
};

/* A MAC of allowed_address_pairs: frames from it are its port's. */
struct vxg_lport_mac {
	struct rte_ether_addr mac;
	uint16_t lport; /* slot + 1 */
};

/* Per worker, per slot: what the port's security groups let through and stopped. */
struct vxg_lport_ctr {
	uint64_t allowed, denied;
};

/* ---- Floods ---------------------------------------------------------------------------- */

/*
 * The receivers' ingress rules on flooded frames (broadcast, multicast, unknown unicast),
 * as OVN applies its to-lport ACLs per output port. A network's flood targets are its
 * access interfaces and VLANs (vxg_gen_net.access, targets 0..n_access-1), then its flood
 * list of VTEPs (n_access + k for flood[k]). A target where only ports with security
 * groups live (port security keeps other MACs from sending there) gets a copy only if one
 * of them takes it: a broadcast is for every port of the segment, so it goes if any can
 * take it. A target where a port without groups lives, or no declared port, takes every
 * copy. Flooded frames are judged without conntrack entries of their own: a receiver
 * takes a copy if its ingress rules allow it, or if it answers (or is an ICMP error
 * about) a tracked connection that receiver opened (a reply to an address pair's MAC the
 * FDB has forgotten). Frames of vxgate itself (VXG_LPORT_SELF) and ARP always pass.
 *
 * Thread-safety: built by control with the generation (vxg_sg_build), immutable after,
 * freed with it.
 */
struct vxg_sg_flood {
	uint32_t *first; /* n_access + n_flood + 1: target t's ports are lports[first[t]..] */
	uint16_t *lports; /* slots + 1, all with VXG_LP_FILTERED */
};

/* What one flooded frame is, for every target's ports (vxg_sg_flood_parse). */
struct vxg_sg_flood_pkt {
	unsigned drop; /* VXG_DROP_MAX: classify; else what a filtered target drops it as */
	bool pass; /* every target takes it: ARP, a non-first fragment */
	uint8_t proto;
	uint16_t l4; /* as vxg_sg_key */
	uint32_t src; /* host order */
	bool v6; /* IPv6: the source is src6 */
	uint8_t src6[16];
	uint16_t reply_to[2]; /* ports (slot + 1) whose tracked connection it answers; 0 none */
};

/* Fill a key for a packet; host-order inputs. */
static inline void
vxg_sg_key_set(struct vxg_sg_key *k, uint8_t proto, uint32_t port, uint32_t remote, uint16_t l4)
{
	k->proto = proto;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
	k->port = rte_cpu_to_be_32(port);
	k->remote = rte_cpu_to_be_32(remote);
	k->unused = 0;
	k->l4 = rte_cpu_to_be_16(l4);
}

/* Fill an IPv6 key; remote is 16 bytes, network order. */
static inline void
vxg_sg6_key_set(
	struct vxg_sg6_key *k, uint8_t proto, uint32_t port, const uint8_t *remote, uint16_t l4)
{
	k->proto = proto;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
	k->port = rte_cpu_to_be_32(port);
	memcpy(k->remote, remote, 16);
	k->unused = 0;
	k->l4 = rte_cpu_to_be_16(l4);
}

/* vxg_sg_classify for IPv6 keys. */
static inline void
vxg_sg6_classify(const struct vxg_sg_vpc *s, enum vxg_dir dir, const uint8_t **keys, uint32_t *res,
	uint32_t n)
{
	if (s->acl6[dir] == NULL) {
		for (uint32_t i = 0; i < n; i++)
			res[i] = 0;
		return;
	}
	rte_acl_classify(s->acl6[dir], keys, res, n, 1);
}

/*
 * Classify a burst of keys in one direction: res[i] is 0 when nothing allows key i, else
 * 1 + the index into refs of the rule that does. Unfiltered ports must not be passed.
 */
static inline void
vxg_sg_classify(const struct vxg_sg_vpc *s, enum vxg_dir dir, const uint8_t **keys, uint32_t *res,
	uint32_t n)
{
	if (s->acl[dir] == NULL) {
		for (uint32_t i = 0; i < n; i++)
			res[i] = 0;
		return;
	}
	rte_acl_classify(s->acl[dir], keys, res, n, 1);
}

#endif
