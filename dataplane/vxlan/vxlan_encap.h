/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN encapsulation, the per-frame pieces, inline: the outer UDP source port, the outer
 * IPv4 checksum, and the L2 fast path's encapsulation to a configured VTEP
 * (vxg_encap_fast). vxlan/vxlan_encap.c has the general case (vxg_vxlan_encap).
 */
#ifndef VXG_VXLAN_ENCAP_H
#define VXG_VXLAN_ENCAP_H

#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "pipeline.h"
#include "vxg_ipv4.h"
#include "vxg_vxlan.h"

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
			!(ip->fragment_offset & VXG_IPV4_FRAG_MASK) &&
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

/* The template's checksum with the total length (and, for the gateway's template, the
 * destination) added in (RFC 1624). */
static inline rte_be16_t
encap_ip_cksum(rte_be16_t partial, rte_be16_t len, rte_be32_t dst)
{
	uint32_t sum = (uint16_t)~partial + (uint32_t)len + (dst >> 16) + (dst & 0xffff);

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (rte_be16_t)~sum;
}

/*
 * The outer headers of an inner frame of `inner` bytes, from template t, in front of it at
 * h. dst: 0 for a VTEP's own template, which has its address (checksum included); the
 * destination for the gateway's, shared by the VTEPs only learned, which has 0 there.
 */
static __rte_always_inline void
encap_fill(struct vxg_vxlan_tmpl *h, const struct vxg_vxlan_tmpl *t, uint32_t inner, uint16_t sport,
	rte_be32_t vni, rte_be32_t dst)
{
	rte_be16_t len = rte_cpu_to_be_16(inner + VXG_VXLAN_OVERHEAD - RTE_ETHER_HDR_LEN);

	rte_memcpy(h, t, sizeof(*h));
	if (dst != 0)
		h->ip.dst_addr = dst;
	h->ip.total_length = len;
	h->ip.hdr_checksum = encap_ip_cksum(t->ip.hdr_checksum, len, dst);
	h->udp.src_port = rte_cpu_to_be_16(sport);
	h->udp.dgram_len = rte_cpu_to_be_16(inner + VXG_VXLAN_HDRS_LEN);
	h->vx.vx_vni = vni;
}

/* The last remote VTEP a burst's fast path encapsulated to: traffic comes in runs per
 * tunnel. */
struct vxg_encap_memo {
	rte_be32_t ip; /* 0: none yet */
	bool fast; /* a configured VTEP, resolved, and no UDP checksum to compute */
	const struct vxg_gen_vtep *vtep; /* NULL: not a configured VTEP */
	struct vxg_vtep_ctr *ctr; /* its counters in this worker's row */
	struct vxg_tx_buf *tx; /* the underlay's tx buffer */
};

static inline void
vxg_encap_memo_init(struct vxg_encap_memo *c)
{
	c->ip = 0;
	c->fast = false;
	c->vtep = NULL;
	c->ctr = NULL;
	c->tx = NULL;
}

/*
 * Encapsulate m (of network net) to the VTEP at ip and queue it on the underlay: the common
 * case inline (a configured, resolved VTEP; an untagged frame that fits), the rest by
 * vxg_vxlan_encap, which drops and counts what cannot go.
 */
static __rte_always_inline void
vxg_encap_fast(struct vxg_worker *w, struct vxg_encap_memo *c, rte_be32_t ip,
	const struct vxg_gen_net *net, struct rte_mbuf *m)
{
	const struct vxg_gen_vxlan *vx = &w->gen->vx;
	const struct vxg_gen_vtep *v;
	struct vxg_vxlan_tmpl *h;
	uint32_t inner = m->pkt_len;
	uint16_t sport;

	if (ip != c->ip) {
		c->ip = ip;
		c->vtep = vxg_vtep_by_ip(vx, ip);
		c->fast = c->vtep != NULL && c->vtep->resolved && !vx->udp_csum;
		c->ctr = c->vtep != NULL ? &vx->ctr[w->id * vx->n_vteps + (c->vtep - vx->vteps)]
					 : NULL;
		c->tx = &w->tx[vx->port_id];
	}
	v = c->vtep;
	if (unlikely(!c->fast || m->l2_len > RTE_ETHER_HDR_LEN ||
		     inner + VXG_VXLAN_OVERHEAD - RTE_ETHER_HDR_LEN > vx->mtu ||
		     rte_pktmbuf_headroom(m) < sizeof(*h) || c->tx->n == RTE_DIM(c->tx->pkts))) {
		vxg_vxlan_encap(w, v, ip, net, m);
		return;
	}
	sport = encap_src_port(vx, m);
	m->data_off -= sizeof(*h);
	m->data_len += sizeof(*h);
	m->pkt_len += sizeof(*h);
	h = rte_pktmbuf_mtod(m, struct vxg_vxlan_tmpl *);
	encap_fill(h, &v->tmpl, inner, sport, net->vx_vni, 0);
	c->ctr->tx++;
	if (vxg_traced(w, m)) {
		vxg_trace_ev(w, m, VXG_TR_ENCAP, 0, 0, ip, net->vni, 0, 0);
		vxg_trace_tx(w, m, vx->port_id);
	}
	c->tx->pkts[c->tx->n++] = m; /* room checked above */
}

#endif
