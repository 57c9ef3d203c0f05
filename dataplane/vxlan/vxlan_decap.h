/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN decapsulation of one frame, inline so that Ethernet input (core/eth.c)
 * decapsulates and switches each underlay frame in the pass that classified it.
 *
 * Decap checks what Linux and OVS check, each failure under its own drop reason: a sane
 * outer IPv4 header and checksum, no fragment (VTEPs must not fragment), a UDP datagram
 * long enough for VXLAN and an inner Ethernet header, the I flag alone, a known VNI.
 */
#ifndef VXG_VXLAN_DECAP_H
#define VXG_VXLAN_DECAP_H

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "pipeline.h"
#include "vxg_ipv4.h"
#include "vxg_vxlan.h"

/* Not a drop: IPv4 to us that is not VXLAN (ARP/ICMP for the gateway land later). */
#define VXG_DECAP_NOT_VXLAN VXG_DROP_no_stage
#define VXG_DECAP_OK VXG_DROP_MAX

static inline enum vxg_drop_reason
vxg_decap_ip(const struct rte_mbuf *m, const struct rte_ipv4_hdr **ipp, uint16_t *hlp)
{
	const struct rte_ipv4_hdr *ip;
	uint16_t l2 = m->l2_len;

	switch (vxg_ipv4_check(m, l2)) {
	case VXG_IPV4_OK:
		break;
	case VXG_IPV4_BAD_CHECKSUM:
		return VXG_DROP_ip_bad_checksum;
	default:
		return VXG_DROP_ip_bad_header;
	}
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2);
	if (unlikely(ip->fragment_offset & VXG_IPV4_FRAG_MASK))
		return VXG_DROP_ip_fragment;
	*ipp = ip;
	*hlp = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	return VXG_DECAP_OK;
}

/* Check one frame; on success, leave its inner frame in m and say whose it is. */
static __rte_noinline enum vxg_drop_reason
vxg_decap_frame(const struct vxg_gen_vxlan *vx, struct rte_mbuf *m, const struct vxg_gen_net **memo,
	rte_be32_t *src)
{
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	const struct rte_vxlan_hdr *vxh;
	enum vxg_drop_reason r;
	uint16_t hl, ulen, off;
	uint32_t vni;

	if ((r = vxg_decap_ip(m, &ip, &hl)) != VXG_DECAP_OK)
		return r;
	if (ip->dst_addr != vx->addr || ip->next_proto_id != IPPROTO_UDP)
		return VXG_DECAP_NOT_VXLAN;
	off = RTE_ETHER_HDR_LEN + hl;
	if (unlikely(m->data_len < off + sizeof(*udp)))
		return VXG_DROP_vxlan_truncated;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + hl);
	if (udp->dst_port != vx->udp_port)
		return VXG_DECAP_NOT_VXLAN;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(ulen < VXG_VXLAN_HDRS_LEN + RTE_ETHER_HDR_LEN ||
		     ulen > rte_be_to_cpu_16(ip->total_length) - hl ||
		     m->data_len < off + VXG_VXLAN_HDRS_LEN + RTE_ETHER_HDR_LEN))
		return VXG_DROP_vxlan_truncated;
	vxh = (const struct rte_vxlan_hdr *)(udp + 1);
	if (unlikely(vxh->vx_flags != VXG_VXLAN_I_FLAG || (vxh->vx_vni & RTE_BE32(0xff))))
		return VXG_DROP_vxlan_bad_flags;
	vni = rte_be_to_cpu_32(vxh->vx_vni) >> 8;
	/* Traffic comes in runs per tunnel: remember the last network (VPP does so). */
	if (*memo == NULL || (*memo)->vni != vni) {
		*memo = vxg_net_by_vni(vx, vni);
		if (unlikely(*memo == NULL))
			return VXG_DROP_vxlan_unknown_vni;
	}
	*src = ip->src_addr;
	rte_pktmbuf_adj(m, off + VXG_VXLAN_HDRS_LEN);
	if (unlikely(m->pkt_len != ulen - VXG_VXLAN_HDRS_LEN)) /* Ethernet padding, IPv4 tail */
		rte_pktmbuf_trim(m, m->pkt_len - (ulen - VXG_VXLAN_HDRS_LEN));
	m->l2_len = RTE_ETHER_HDR_LEN; /* a tag inside is the tenant's: carried as is */
	return VXG_DECAP_OK;
}

/*
 * The common case of Ethernet input and vxg_decap_frame together, on whole words: a frame
 * to the underlay's own MAC (mac: its six bytes in a word) from a unicast source, untagged
 * IPv4 with a plain header (no options, no fragment, a right checksum), VXLAN to our
 * address and port, the I flag alone, a network's VNI, no padding after the datagram. True
 * when m now holds its inner frame; false leaves m untouched for the full checks (Ethernet
 * input, then vxg_decap_frame), which say what is wrong, or that nothing is.
 */
static __rte_always_inline bool
vxg_decap_fast(const struct vxg_gen_vxlan *vx, uint64_t mac, struct rte_mbuf *m,
	const struct vxg_gen_net **memo, rte_be32_t *src)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *), *ip = p + RTE_ETHER_HDR_LEN;
	const uint16_t hdrs = RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + VXG_VXLAN_HDRS_LEN;
	uint64_t e, a, b, u, x;
	uint32_t c, vni;
	uint16_t tl, ulen, type;

	if (m->data_len < hdrs + RTE_ETHER_HDR_LEN)
		return false;
	/* Little endian: byte k of a word is bits 8k..8k+7. */
	memcpy(&e, p, 8); /* destination MAC, the source's first two bytes */
	memcpy(&type, p + 12, 2);
	memcpy(&a, ip, 8); /* version/IHL, TOS, total length, id, fragment */
	memcpy(&b, ip + 8, 8); /* TTL, protocol, checksum, source */
	memcpy(&c, ip + 16, 4); /* destination */
	memcpy(&u, ip + 20, 8); /* UDP ports, length, checksum */
	memcpy(&x, ip + 28, 8); /* VXLAN flags, VNI and reserved byte */
	if ((e & 0xffffffffffffull) != mac ||
		(e & (1ull << 48)) != 0 || /* the source's group bit */
		type != RTE_BE16(RTE_ETHER_TYPE_IPV4) || (uint8_t)a != 0x45 ||
		((a >> 48) & VXG_IPV4_FRAG_MASK) != 0 || (uint8_t)(b >> 8) != IPPROTO_UDP ||
		c != vx->addr || (rte_be16_t)(u >> 16) != vx->udp_port ||
		(uint32_t)x != VXG_VXLAN_I_FLAG || (x >> 56) != 0)
		return false;
	tl = rte_be_to_cpu_16((rte_be16_t)(a >> 16));
	ulen = rte_be_to_cpu_16((rte_be16_t)(u >> 32));
	/* The datagram fills the packet, which fills the frame: no padding to trim. */
	if (ulen < VXG_VXLAN_HDRS_LEN + RTE_ETHER_HDR_LEN ||
		tl != ulen + sizeof(struct rte_ipv4_hdr) ||
		m->pkt_len != (uint32_t)RTE_ETHER_HDR_LEN + tl)
		return false;
	if (!vxg_cksum_sum_ok(vxg_ipv4_sum20(a, b, c))) /* as vxg_ipv4_check */
		return false;
	vni = rte_be_to_cpu_32((uint32_t)(x >> 32)) >> 8;
	if (*memo == NULL || (*memo)->vni != vni) {
		const struct vxg_gen_net *net = vxg_net_by_vni(vx, vni);

		if (unlikely(net == NULL))
			return false;
		*memo = net;
	}
	*src = (rte_be32_t)(b >> 32);
	m->data_off += hdrs;
	m->data_len -= hdrs;
	m->pkt_len -= hdrs;
	m->l2_len = RTE_ETHER_HDR_LEN; /* a tag inside is the tenant's: carried as is */
	return true;
}

/* The six bytes of a MAC in the low bits of a word, as vxg_decap_fast reads them. */
static inline uint64_t
vxg_mac_word(const struct rte_ether_addr *mac)
{
	uint64_t w = 0;

	memcpy(&w, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return w;
}

/* What decap remembers between the frames of a burst: traffic comes in runs per tunnel. */
struct vxg_decap {
	const struct vxg_gen_vxlan *vx;
	uint64_t mac; /* the underlay's MAC (vxg_mac_word) */
	const struct vxg_gen_net *net; /* the last frame's network */
	const struct vxg_gen_vtep *vtep; /* the last sender's entry (NULL: not configured) */
	rte_be32_t vtep_ip; /* the last sender */
	uint32_t n_rx; /* its frames not yet counted in vx->ctr */
};

static inline void
vxg_decap_init(struct vxg_decap *d, const struct vxg_worker *w, const struct vxg_gen_if *in)
{
	d->vx = &w->gen->vx;
	d->mac = vxg_mac_word(&in->mac);
	d->net = NULL;
	d->vtep = NULL;
	d->vtep_ip = 0;
	d->n_rx = 0;
}

/* Add the frames of the last sender to its counter: when the sender changes, and at the
 * end of a burst. */
static inline void
vxg_decap_count(struct vxg_worker *w, struct vxg_decap *d)
{
	const struct vxg_gen_vxlan *vx = d->vx;

	if (d->vtep != NULL && d->n_rx > 0)
		vx->ctr[w->id * vx->n_vteps + (d->vtep - vx->vteps)].rx += d->n_rx;
	d->n_rx = 0;
}

/* Frame m decapsulated from src: into slot b->n of b (not counted in b->n). */
static __rte_always_inline void
decap_done(struct vxg_worker *w, struct vxg_decap *d, struct rte_mbuf *m, struct vxg_l2_burst *b,
	rte_be32_t src)
{
	if (src != d->vtep_ip) {
		vxg_decap_count(w, d);
		d->vtep_ip = src;
		d->vtep = vxg_vtep_by_ip(d->vx, src);
	}
	d->n_rx++;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_DECAP, 0, 0, d->net->vni, src, 0, 0);
	b->pkts[b->n] = m;
	b->net[b->n] = d->net;
	b->src[b->n] = src;
}

/* Ethernet input's first try on an underlay frame (vxg_decap_fast): true when m is
 * decapsulated into slot b->n of b (not counted in b->n); false leaves m untouched. */
static __rte_always_inline bool
vxg_decap_try(struct vxg_worker *w, struct vxg_decap *d, struct rte_mbuf *m, struct vxg_l2_burst *b)
{
	rte_be32_t src;

	if (!vxg_decap_fast(d->vx, d->mac, m, &d->net, &src))
		return false;
	decap_done(w, d, m, b, src);
	return true;
}

/* A frame Ethernet input found to be IPv4 to us on the underlay, the whole way
 * (vxg_decap_frame): into slot b->n of b (not counted in b->n); VXG_DECAP_OK, or why not. */
static inline enum vxg_drop_reason
vxg_decap_one(struct vxg_worker *w, struct vxg_decap *d, struct rte_mbuf *m, struct vxg_l2_burst *b)
{
	enum vxg_drop_reason r;
	rte_be32_t src;

	r = vxg_decap_frame(d->vx, m, &d->net, &src);
	if (unlikely(r != VXG_DECAP_OK))
		return r;
	decap_done(w, d, m, b, src);
	return VXG_DECAP_OK;
}

#endif
