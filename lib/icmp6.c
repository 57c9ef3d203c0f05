/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMPv6 (vxg_icmp6.h): the router's errors built in place on the workers, echo replies
 * and Neighbour Discovery messages for the control thread.
 */
#include <errno.h>
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "vxg_icmp6.h"

#define ICMP6_HDR 8
#define ICMP6_QUOTE_MAX (VXG_IPV6_MIN_MTU - sizeof(struct rte_ipv6_hdr) - ICMP6_HDR)
#define ND_NS_LEN 24 /* type, code, checksum, reserved or flags, target */
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define ND_HOP_LIMIT 255

static const uint8_t ip6_zero[16];
static const uint8_t ip6_all_nodes[16] = {0xff, 0x02, [15] = 1};

static inline bool
ip6_multicast(const uint8_t *a)
{
	return a[0] == 0xff;
}

/* RFC 4443 2.4 (e): the packets no ICMPv6 error may be about. */
static bool
icmp6_error_allowed(const struct rte_ipv6_hdr *ip, uint16_t avail)
{
	if (ip6_multicast(ip->dst_addr) || ip6_multicast(ip->src_addr) ||
		memcmp(ip->src_addr, ip6_zero, 16) == 0)
		return false;
	if (ip->proto == VXG_IPPROTO_ICMPV6) {
		const uint8_t *t = (const uint8_t *)(ip + 1);

		/* errors (types below 128) and redirects are never answered with one */
		return avail > sizeof(*ip) && t[0] >= 128 && t[0] != 137;
	}
	return true;
}

static void
ip6_hdr_fill(struct rte_ipv6_hdr *ip, uint16_t payload, uint8_t hops, const uint8_t *src,
	const uint8_t *dst)
{
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16(payload);
	ip->proto = VXG_IPPROTO_ICMPV6;
	ip->hop_limits = hops;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
}

static void
icmp6_cksum(struct rte_ipv6_hdr *ip)
{
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);

	ic->icmp_cksum = 0;
	ic->icmp_cksum = rte_ipv6_udptcp_cksum(ip, ic);
}

bool
vxg_icmp6_error(struct rte_mbuf *m, uint8_t type, uint8_t code, uint32_t info, const uint8_t *src)
{
	const uint16_t l2 = m->l2_len, add = sizeof(struct rte_ipv6_hdr) + ICMP6_HDR;
	struct rte_ipv6_hdr *ip, *orig;
	uint8_t dst[16], *ic;
	uint16_t quote;

	if (m->nb_segs != 1 || m->data_len < l2 + sizeof(*orig))
		return false;
	orig = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, l2);
	quote = (uint16_t)RTE_MIN((uint32_t)sizeof(*orig) + rte_be_to_cpu_16(orig->payload_len),
		(uint32_t)(m->data_len - l2));
	if (!icmp6_error_allowed(orig, quote) || rte_pktmbuf_headroom(m) < add)
		return false;
	quote = RTE_MIN(quote, (uint16_t)ICMP6_QUOTE_MAX);
	memcpy(dst, orig->src_addr, 16);
	/* Open a gap of `add` bytes between the L2 room and the original header. */
	m->data_off -= add;
	m->data_len += add;
	m->pkt_len += add;
	memmove(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_mtod_offset(m, uint8_t *, add), l2);
	rte_pktmbuf_trim(m, m->data_len - (l2 + add + quote));

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, l2);
	ip6_hdr_fill(ip, ICMP6_HDR + quote, 64, src, dst);
	ic = (uint8_t *)(ip + 1);
	ic[0] = type;
	ic[1] = code;
	info = rte_cpu_to_be_32(info);
	memcpy(ic + 4, &info, 4);
	icmp6_cksum(ip);
	m->l3_len = sizeof(*ip);
	return true;
}

const struct rte_icmp_hdr *
vxg_icmp6_of(const struct rte_mbuf *m, uint16_t l3)
{
	const struct rte_ipv6_hdr *ip;
	uint16_t plen;

	if (m->nb_segs != 1 || m->data_len < l3 + sizeof(*ip) + ICMP6_HDR)
		return NULL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, l3);
	plen = rte_be_to_cpu_16(ip->payload_len);
	if (ip->proto != VXG_IPPROTO_ICMPV6 || plen < ICMP6_HDR ||
		m->data_len < l3 + sizeof(*ip) + plen ||
		rte_ipv6_udptcp_cksum_verify(ip, ip + 1) != 0)
		return NULL;
	return (const struct rte_icmp_hdr *)(ip + 1);
}

bool
vxg_icmp6_echo_reply(struct rte_mbuf *m, uint16_t l3, const uint8_t *src)
{
	const struct rte_icmp_hdr *req = vxg_icmp6_of(m, l3);
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip;
	struct rte_ether_addr mac;

	if (req == NULL || req->icmp_type != VXG_ICMP6_ECHO_REQUEST || req->icmp_code != 0)
		return false;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, l3);
	if (ip6_multicast(ip->src_addr) || memcmp(ip->src_addr, ip6_zero, 16) == 0)
		return false;
	/* Ethernet padding goes: the checksum covers payload_len bytes only. */
	rte_pktmbuf_trim(m, m->data_len - (l3 + sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len)));
	memcpy(ip->dst_addr, ip->src_addr, 16);
	memcpy(ip->src_addr, src, 16);
	ip->hop_limits = 64;
	((struct rte_icmp_hdr *)(ip + 1))->icmp_type = VXG_ICMP6_ECHO_REPLY;
	icmp6_cksum(ip);
	mac = eth->src_addr;
	eth->src_addr = eth->dst_addr;
	eth->dst_addr = mac;
	return true;
}

void
vxg_ip6_solicited_node(uint8_t *out, const uint8_t *ip)
{
	static const uint8_t pfx[13] = {0xff, 0x02, [11] = 0x01, [12] = 0xff};

	memcpy(out, pfx, 13);
	memcpy(out + 13, ip + 13, 3);
}

void
vxg_ip6_mcast_mac(struct rte_ether_addr *mac, const uint8_t *ip)
{
	mac->addr_bytes[0] = 0x33;
	mac->addr_bytes[1] = 0x33;
	memcpy(&mac->addr_bytes[2], ip + 12, 4);
}

/* The link-layer address option of an NS (source) or NA (target); what else is there,
 * checked: every option has a non-zero length and fits. */
static int
nd_options(const uint8_t *p, uint16_t len, struct vxg_nd *nd)
{
	uint8_t want = nd->type == VXG_ICMP6_NS ? ND_OPT_SLLA : ND_OPT_TLLA;

	while (len >= 2) {
		uint16_t olen = p[1] * 8u;

		if (olen == 0 || olen > len)
			return -EINVAL;
		if (p[0] == want && olen >= 8) {
			nd->has_lla = true;
			memcpy(&nd->lla, p + 2, RTE_ETHER_ADDR_LEN);
		}
		p += olen;
		len -= olen;
	}
	return len == 0 ? 0 : -EINVAL;
}

int
vxg_nd_parse(const struct rte_mbuf *m, uint16_t l3, struct vxg_nd *nd)
{
	const struct rte_icmp_hdr *ic = vxg_icmp6_of(m, l3);
	const struct rte_ipv6_hdr *ip;
	const uint8_t *p = (const uint8_t *)ic;
	uint16_t plen;
	uint32_t w;

	if (ic == NULL || (ic->icmp_type != VXG_ICMP6_NS && ic->icmp_type != VXG_ICMP6_NA) ||
		ic->icmp_code != 0)
		return -EINVAL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, l3);
	plen = rte_be_to_cpu_16(ip->payload_len);
	if (ip->hop_limits != ND_HOP_LIMIT || plen < ND_NS_LEN)
		return -EINVAL;
	memset(nd, 0, sizeof(*nd));
	nd->type = ic->icmp_type;
	memcpy(&w, p + 4, 4);
	nd->flags = rte_be_to_cpu_32(w);
	memcpy(nd->src, ip->src_addr, 16);
	memcpy(nd->dst, ip->dst_addr, 16);
	memcpy(nd->target, p + 8, 16);
	if (ip6_multicast(nd->target) || nd_options(p + ND_NS_LEN, plen - ND_NS_LEN, nd) < 0)
		return -EINVAL;
	if (nd->type == VXG_ICMP6_NS && nd->has_lla && memcmp(nd->src, ip6_zero, 16) == 0)
		return -EINVAL;
	if (nd->type == VXG_ICMP6_NA && (nd->flags & VXG_ND_NA_SOLICITED) && ip6_multicast(nd->dst))
		return -EINVAL;
	return 0;
}

/* An ND message of ND_NS_LEN bytes plus a link-layer option in empty m; its body. */
static uint8_t *
nd_frame(struct rte_mbuf *m, const struct rte_ether_addr *smac, const struct rte_ether_addr *dmac,
	const uint8_t *src, const uint8_t *dst)
{
	const uint16_t len = ND_NS_LEN + 8;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)rte_pktmbuf_append(
		m, sizeof(*eth) + sizeof(struct rte_ipv6_hdr) + len);
	uint8_t *p;

	if (eth == NULL)
		return NULL;
	eth->src_addr = *smac;
	eth->dst_addr = *dmac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	ip6_hdr_fill((struct rte_ipv6_hdr *)(eth + 1), len, ND_HOP_LIMIT, src, dst);
	p = (uint8_t *)(eth + 1) + sizeof(struct rte_ipv6_hdr);
	memset(p, 0, len);
	m->l2_len = sizeof(*eth);
	return p;
}

int
vxg_nd_build_ns(struct rte_mbuf *m, const struct rte_ether_addr *smac, const uint8_t *src,
	const uint8_t *target, const struct rte_ether_addr *dmac)
{
	struct rte_ether_addr mmac;
	uint8_t dst[16], *p;

	if (dmac == NULL) {
		vxg_ip6_solicited_node(dst, target);
		vxg_ip6_mcast_mac(&mmac, dst);
		dmac = &mmac;
	} else {
		memcpy(dst, target, 16);
	}
	if ((p = nd_frame(m, smac, dmac, src, dst)) == NULL)
		return -ENOSPC;
	p[0] = VXG_ICMP6_NS;
	memcpy(p + 8, target, 16);
	p[ND_NS_LEN] = ND_OPT_SLLA;
	p[ND_NS_LEN + 1] = 1;
	memcpy(p + ND_NS_LEN + 2, smac, RTE_ETHER_ADDR_LEN);
	icmp6_cksum(rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len));
	return 0;
}

int
vxg_nd_build_na(struct rte_mbuf *m, const struct rte_ether_addr *smac, const uint8_t *src,
	const struct rte_ether_addr *dmac, const uint8_t *dst, const uint8_t *target,
	uint32_t flags)
{
	struct rte_ether_addr mmac;
	uint8_t *p;

	if (memcmp(dst, ip6_zero, 16) == 0) {
		dst = ip6_all_nodes;
		vxg_ip6_mcast_mac(&mmac, dst);
		dmac = &mmac;
		flags &= ~VXG_ND_NA_SOLICITED;
	}
	if ((p = nd_frame(m, smac, dmac, src, dst)) == NULL)
		return -ENOSPC;
	p[0] = VXG_ICMP6_NA;
	flags = rte_cpu_to_be_32(flags);
	memcpy(p + 4, &flags, 4);
	memcpy(p + 8, target, 16);
	p[ND_NS_LEN] = ND_OPT_TLLA;
	p[ND_NS_LEN + 1] = 1;
	memcpy(p + ND_NS_LEN + 2, smac, RTE_ETHER_ADDR_LEN);
	icmp6_cksum(rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len));
	return 0;
}
