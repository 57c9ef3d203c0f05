/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN (RFC 7348) over IPv4: encapsulation from the per-VTEP header templates control
 * precomputes. Decapsulation is inline (vxlan_decap.h): Ethernet input decapsulates and
 * switches each underlay frame in the pass that classified it.
 */
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "vxlan_decap.h"
#include "vxg_l3.h"
#include "vxg_worker.h"

/* Outer UDP source port: a hash of the inner flow, scaled into src_ports as Linux does, so
 * a flow keeps its port. As Linux's flow hash: an IPv4 packet's addresses, protocol and
 * (unfragmented TCP, UDP) ports; the Ethernet header of anything else. */
static inline uint16_t
encap_src_port(const struct vxg_gen_vxlan *vx, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint64_t w8;
	uint32_t w4, h;

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
		m->data_len >= RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
		uint16_t hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;

		/* Only 2-byte aligned: copy (a plain load on x86) before hashing. */
		memcpy(&w8, &ip->src_addr, sizeof(w8)); /* source and destination */
		w4 = ip->next_proto_id;
		if ((ip->next_proto_id == IPPROTO_UDP || ip->next_proto_id == IPPROTO_TCP) &&
			!(ip->fragment_offset & IP_FRAG_MASK) &&
			m->data_len >= RTE_ETHER_HDR_LEN + hl + 4) {
			memcpy(&w4, (const uint8_t *)ip + hl, sizeof(w4));
			w4 ^= ip->next_proto_id;
		}
	} else {
		memcpy(&w8, eth, sizeof(w8));
		memcpy(&w4, (const uint8_t *)eth + sizeof(w8), sizeof(w4));
	}
	h = rte_hash_crc_4byte(w4, rte_hash_crc_8byte(w8, 0));
	return vx->src_port_min + (uint16_t)(((uint64_t)h * vx->src_port_range) >> 32);
}

/* The template's partial checksum plus the total length and destination (RFC 1624). */
static inline rte_be16_t
encap_ip_cksum(rte_be16_t partial, rte_be16_t len, rte_be32_t dst)
{
	uint32_t sum = (uint16_t)~partial + (uint32_t)len + (dst >> 16) + (dst & 0xffff);

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (rte_be16_t)~sum;
}

/* The template for ip: the VTEP's own, or the gateway's for a VTEP only learned. */
static inline const struct vxg_vxlan_tmpl *
encap_tmpl(const struct vxg_gen_vxlan *vx, const struct vxg_gen_vtep *vtep, rte_be32_t ip)
{
	uint32_t a = rte_be_to_cpu_32(ip), ours = rte_be_to_cpu_32(vx->addr);

	if (vtep != NULL)
		return vtep->resolved ? &vtep->tmpl : NULL;
	if ((a & vx->mask) == (ours & vx->mask) || !vx->gw_resolved)
		return NULL; /* on-link, needs its own neighbour entry (dynamic ARP: later) */
	return &vx->gw_tmpl;
}

void
vxg_vxlan_encap(struct vxg_worker *w, const struct vxg_gen_vtep *vtep, rte_be32_t ip,
	const struct vxg_gen_net *net, struct rte_mbuf *m)
{
	const struct vxg_gen_vxlan *vx = &w->gen->vx;
	const struct vxg_vxlan_tmpl *t = encap_tmpl(vx, vtep, ip);
	struct vxg_vxlan_tmpl *h;
	uint32_t inner;
	uint16_t sport;

	if (unlikely(t == NULL)) {
		vxg_drop(w, m, VXG_DROP_vtep_unresolved);
		return;
	}
	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m); /* the access VLAN does not cross the overlay */
	inner = m->pkt_len;
	/* The outer IPv4 packet (inner frame + 36 bytes) must fit the underlay MTU. */
	if (unlikely(inner + VXG_VXLAN_OVERHEAD - RTE_ETHER_HDR_LEN > vx->mtu)) {
		vxg_drop(w, m, VXG_DROP_mtu_exceeded);
		return;
	}
	sport = encap_src_port(vx, m);
	h = (struct vxg_vxlan_tmpl *)rte_pktmbuf_prepend(m, sizeof(*h));
	if (unlikely(h == NULL)) {
		vxg_drop(w, m, VXG_DROP_mbuf_exhausted);
		return;
	}
	rte_memcpy(h, t, sizeof(*h));
	h->ip.dst_addr = ip;
	h->ip.total_length = rte_cpu_to_be_16(inner + VXG_VXLAN_OVERHEAD - RTE_ETHER_HDR_LEN);
	h->ip.hdr_checksum = encap_ip_cksum(t->ip.hdr_checksum, h->ip.total_length, ip);
	h->udp.src_port = rte_cpu_to_be_16(sport);
	h->udp.dgram_len = rte_cpu_to_be_16(inner + VXLAN_HDRS_LEN);
	h->vx.vx_vni = net->vx_vni;
	if (vx->udp_csum)
		h->udp.dgram_cksum = rte_ipv4_udptcp_cksum(&h->ip, &h->udp);
	if (vtep != NULL)
		vx->ctr[w->id * vx->n_vteps + (vtep - vx->vteps)].tx++;
	vxg_tx_enqueue(w, vx->port_id, m);
}
