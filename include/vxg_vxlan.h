/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VXLAN tunnel endpoint and the logical switches, as a generation holds them:
 * networks sorted by VNI, remote VTEPs sorted by address each with its outer header
 * template, and per access interface a VLAN -> network map.
 *
 * Thread-safety: compiled by control (vxg_vxlan_build) into a new generation, immutable
 * once published, freed with the generation after RCU quiescence (see vxg_gen.h). Workers
 * only read. The FDB it points at is not part of the generation (vxg_l2.h).
 */
#ifndef VXG_VXLAN_H
#define VXG_VXLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "vxg_defs.h"
#include "vxg_l2.h"

struct vxg_lport_mac; /* vxg_sg.h */
struct vxg_sg_flood;

/* Outer Ethernet + IPv4 + UDP + VXLAN, what encapsulation adds to the inner frame. */
#define VXG_VXLAN_OVERHEAD 50
/* UDP + VXLAN: the datagram's length less the inner frame's. */
#define VXG_VXLAN_HDRS_LEN (sizeof(struct rte_udp_hdr) + sizeof(struct rte_vxlan_hdr))
#define VXG_VXLAN_I_FLAG RTE_BE32(0x08000000)
#define VXG_VLAN_NONE 0xffff /* vlan_net: no network on this VLAN */

struct vxg_vxlan_tmpl {
	struct rte_ether_hdr eth;
	struct rte_ipv4_hdr ip;
	struct rte_udp_hdr udp;
	struct rte_vxlan_hdr vx;
} __rte_packed __rte_aligned(2);

/* A remote VTEP: every one the config names (flood lists, port locations). */
struct vxg_gen_vtep {
	rte_be32_t ip;
	rte_be32_t nexthop; /* ip itself when on-link, else the underlay gateway */
	bool resolved; /* a static or learned neighbour gives nexthop's MAC */
	/* Outer headers with the VNI, lengths and source port left to the worker; the IPv4
	 * checksum covers all but the total length. */
	struct vxg_vxlan_tmpl tmpl;
};

/* Packets to and from one remote VTEP, one row per worker (each writes its own row). */
struct vxg_vtep_ctr {
	uint64_t tx; /* encapsulated to it */
	uint64_t rx; /* decapsulated from it */
};

/* Where a network meets an access interface. */
struct vxg_gen_access {
	uint16_t port_id;
	uint16_t vlan; /* 0 untagged */
};

struct vxg_gen_net {
	uint32_t vni;
	rte_be32_t vx_vni; /* as the VXLAN header carries it: VNI << 8, network order */
	uint16_t index; /* in vxg_gen_vxlan.nets */
	uint16_t mtu;
	uint16_t vpc_idx; /* index in vxg_gen.vpcs */
	bool dhcp; /* a DHCP server: client broadcasts go to control */
	bool ip6_svc; /* dual-stack: Router Solicitations and DHCPv6 go to control */
	bool has_gw;
	struct rte_ether_addr gw_mac; /* the router's MAC: frames to it are for L3 */
	/* (vni, gw_mac) as an FDB key, which the fast path compares with a frame's destination
	 * key; without a router its padding is not zero, so that no frame's key matches. */
	struct vxg_fdb_key gw_key;
	rte_be32_t gw_ip; /* the router's address: ARP for it is for L3 too */
	/* Dual-stack: the router's IPv6 address and its link-local fe80::EUI-64(gw_mac);
	 * Neighbour Solicitations for either are for L3. has_gw6 false: IPv4 only. */
	bool has_gw6;
	uint8_t gw6[16], gw6_ll[16];
	char name[VXG_NAME_MAX];
	char vpc[VXG_NAME_MAX];
	uint16_t n_access;
	struct vxg_gen_access *access; /* local flood targets */
	uint16_t n_flood;
	uint16_t *flood; /* indices into vxg_gen_vxlan.vteps: head-end replication */
	/* Port security (vxg_sg.h): remote VTEPs that hold a port of this network with port
	 * security, sorted (a frame from them whose MAC is no port's is a spoof), and the
	 * MACs of allowed address pairs, sorted. */
	uint16_t n_sec_vteps, n_pair_macs;
	rte_be32_t *sec_vteps;
	struct vxg_lport_mac *pair_macs;
	/* Flood targets where only ports with security groups live (vxg_sg.h); NULL when
	 * there is none: every target takes every flood. */
	const struct vxg_sg_flood *sg_flood;
};

struct vxg_gen_vxlan {
	bool enabled; /* a vtep: section */
	bool learning;
	uint32_t ageing;
	rte_be32_t addr; /* our VTEP address */
	rte_be16_t udp_port;
	uint16_t src_port_min, src_port_range;
	bool udp_csum;
	uint16_t port_id; /* the underlay interface */
	uint16_t mtu; /* its MTU: the outer IPv4 packet must fit */
	uint32_t mask; /* its subnet mask, host order */
	bool gw_resolved; /* template for VTEPs learned but not configured (via the gateway) */
	struct vxg_vxlan_tmpl gw_tmpl;

	uint16_t n_nets;
	struct vxg_gen_net *nets; /* sorted by VNI */
	uint16_t n_vteps;
	struct vxg_gen_vtep *vteps; /* sorted by address (host order) */
	/* [worker id * n_vteps + vtep index]: counters since this generation was built. */
	struct vxg_vtep_ctr *ctr;
	struct vxg_fdb *fdb; /* the daemon's; outlives every generation */
};

static inline const struct vxg_gen_net *
vxg_net_by_vni(const struct vxg_gen_vxlan *vx, uint32_t vni)
{
	uint32_t lo = 0, hi = vx->n_nets;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (vx->nets[mid].vni == vni)
			return &vx->nets[mid];
		if (vx->nets[mid].vni < vni)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static inline const struct vxg_gen_vtep *
vxg_vtep_by_ip(const struct vxg_gen_vxlan *vx, rte_be32_t ip)
{
	uint32_t lo = 0, hi = vx->n_vteps, key = rte_be_to_cpu_32(ip);

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2, v = rte_be_to_cpu_32(vx->vteps[mid].ip);

		if (v == key)
			return &vx->vteps[mid];
		if (v < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#endif
