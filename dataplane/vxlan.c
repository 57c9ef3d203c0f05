/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN (RFC 7348) over IPv4: decapsulation of what the underlay brings to our VTEP, and
 * encapsulation from the per-VTEP header templates control precomputes.
 *
 * Decap checks what Linux and OVS check, each failure under its own drop reason: a sane
 * outer IPv4 header and checksum, no fragment (VTEPs must not fragment), a UDP datagram
 * long enough for VXLAN and an inner Ethernet header, the I flag alone, a known VNI.
 */
#include <rte_hash_crc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_udp.h>

#include "l2_fast.h"
#include "vxg_l3.h"
#include "vxg_worker.h"

/* Not a drop: IPv4 to us that is not VXLAN (ARP/ICMP for the gateway land later). */
#define DECAP_NOT_VXLAN VXG_DROP_no_stage
#define DECAP_OK VXG_DROP_MAX

#define VXLAN_HDRS_LEN (sizeof(struct rte_udp_hdr) + sizeof(struct rte_vxlan_hdr))
#define IP_FRAG_MASK RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)

static inline enum vxg_drop_reason
decap_ip(const struct rte_mbuf *m, const struct rte_ipv4_hdr **ipp, uint16_t *hlp)
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
	if (unlikely(ip->fragment_offset & IP_FRAG_MASK))
		return VXG_DROP_ip_fragment;
	*ipp = ip;
	*hlp = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	return DECAP_OK;
}

/* Check one frame; on success, leave its inner frame in m and say whose it is. */
static inline enum vxg_drop_reason
decap_one(const struct vxg_gen_vxlan *vx, struct rte_mbuf *m, const struct vxg_gen_net **memo,
	rte_be32_t *src)
{
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	const struct rte_vxlan_hdr *vxh;
	enum vxg_drop_reason r;
	uint16_t hl, ulen, off;
	uint32_t vni;

	if ((r = decap_ip(m, &ip, &hl)) != DECAP_OK)
		return r;
	if (ip->dst_addr != vx->addr || ip->next_proto_id != IPPROTO_UDP)
		return DECAP_NOT_VXLAN;
	off = RTE_ETHER_HDR_LEN + hl;
	if (unlikely(m->data_len < off + sizeof(*udp)))
		return VXG_DROP_vxlan_truncated;
	udp = (const struct rte_udp_hdr *)((const uint8_t *)ip + hl);
	if (udp->dst_port != vx->udp_port)
		return DECAP_NOT_VXLAN;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	if (unlikely(ulen < VXLAN_HDRS_LEN + RTE_ETHER_HDR_LEN ||
		     ulen > rte_be_to_cpu_16(ip->total_length) - hl ||
		     m->data_len < off + VXLAN_HDRS_LEN + RTE_ETHER_HDR_LEN))
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
	rte_pktmbuf_adj(m, off + VXLAN_HDRS_LEN);
	rte_pktmbuf_trim(m, m->pkt_len - (ulen - VXLAN_HDRS_LEN));
	m->l2_len = RTE_ETHER_HDR_LEN; /* a tag inside is the tenant's: carried as is */
	return DECAP_OK;
}

void
vxg_vxlan_decap(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n, struct vxg_l2_burst *b)
{
	const struct vxg_gen_vxlan *vx = &w->gen->vx;
	const struct vxg_gen_net *memo = NULL;
	const struct vxg_gen_vtep *vmemo = NULL;
	rte_be32_t vmemo_ip = 0;
	struct vxg_l2_fast f;

	b->n = 0;
	b->from_overlay = true;
	vxg_l2_fast_init(&f, w, true);
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum vxg_drop_reason r;
		rte_be32_t src;

		if (i + 4 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));
		r = decap_one(vx, m, &memo, &src);
		if (unlikely(r != DECAP_OK)) {
			vxg_drop(w, m, r);
			continue;
		}
		if (src != vmemo_ip) {
			vmemo_ip = src;
			vmemo = vxg_vtep_by_ip(vx, src);
		}
		if (vmemo != NULL)
			vx->ctr[w->id * vx->n_vteps + (vmemo - vx->vteps)].rx++;
		b->pkts[b->n] = m;
		b->net[b->n] = memo;
		b->src[b->n] = src;
		if (!vxg_l2_fast_one(w, &f, b, b->n))
			b->n++;
	}
}

/* Outer UDP source port: a hash of the inner flow (MACs, IPv4 addresses and protocol,
 * L4 ports), scaled into src_ports as Linux does, so a flow keeps its port. */
static inline uint16_t
encap_src_port(const struct vxg_gen_vxlan *vx, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint64_t macs8;
	uint32_t macs4, ports, h;

	/* Packet data is only 2-byte aligned: copy (a plain load on x86) before hashing. */
	memcpy(&macs8, eth, sizeof(macs8));
	memcpy(&macs4, (const uint8_t *)eth + sizeof(macs8), sizeof(macs4));
	h = rte_hash_crc_4byte(macs4, rte_hash_crc_8byte(macs8, 0));

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
		m->data_len >= RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
		uint16_t hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;

		h = rte_hash_crc_4byte(ip->src_addr, h);
		h = rte_hash_crc_4byte(ip->dst_addr ^ ip->next_proto_id, h);
		if ((ip->next_proto_id == IPPROTO_UDP || ip->next_proto_id == IPPROTO_TCP) &&
			!(ip->fragment_offset & IP_FRAG_MASK) &&
			m->data_len >= RTE_ETHER_HDR_LEN + hl + 4) {
			memcpy(&ports, (const uint8_t *)ip + hl, sizeof(ports));
			h = rte_hash_crc_4byte(ports, h);
		}
	}
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
