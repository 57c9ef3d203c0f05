/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors built in place (vxg_icmp.h): the router's, on the workers, and the port
 * unreachable control sends for what reaches the router itself.
 */
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "vxg_icmp.h"

#define ICMP_QUOTE_MAX (576 - sizeof(struct rte_ipv4_hdr) - sizeof(struct rte_icmp_hdr))
#define IP_FRAG_OFFSET RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)

static bool
addr_unicast(uint32_t a)
{
	return a != 0 && a != UINT32_MAX && (a >> 28) != 0xe;
}

/* RFC 1812 4.3.2.7: the packets no ICMP error may be about. */
static bool
icmp_error_allowed(const struct rte_ipv4_hdr *ip, uint16_t hl, uint16_t avail)
{
	if (!addr_unicast(rte_be_to_cpu_32(ip->src_addr)) ||
		!addr_unicast(rte_be_to_cpu_32(ip->dst_addr)))
		return false;
	if (ip->fragment_offset & IP_FRAG_OFFSET)
		return false;
	if (ip->next_proto_id == IPPROTO_ICMP) {
		const struct rte_icmp_hdr *ic;

		if (avail < hl + 1)
			return false;
		ic = (const struct rte_icmp_hdr *)((const uint8_t *)ip + hl);
		/* Errors are about queries only: echo, timestamp, info, address mask. */
		return ic->icmp_type == RTE_IP_ICMP_ECHO_REQUEST ||
		       ic->icmp_type == RTE_IP_ICMP_ECHO_REPLY || ic->icmp_type == 13 ||
		       ic->icmp_type == 14 || ic->icmp_type == 15 || ic->icmp_type == 16 ||
		       ic->icmp_type == 17 || ic->icmp_type == 18;
	}
	return true;
}

bool
vxg_icmp_error(struct rte_mbuf *m, uint8_t type, uint8_t code, uint32_t info, uint32_t src)
{
	const uint16_t l2 = m->l2_len,
		       add = sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_icmp_hdr);
	struct rte_ipv4_hdr *ip, *orig;
	struct rte_icmp_hdr *ic;
	uint16_t hl, quote;
	rte_be32_t dst;

	if (m->nb_segs != 1 || m->data_len < l2 + sizeof(*orig))
		return false;
	orig = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
	hl = (orig->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	quote = RTE_MIN(rte_be_to_cpu_16(orig->total_length), (uint16_t)(m->data_len - l2));
	if (!icmp_error_allowed(orig, hl, quote) || rte_pktmbuf_headroom(m) < add)
		return false;
	quote = RTE_MIN(quote, (uint16_t)ICMP_QUOTE_MAX);
	dst = orig->src_addr;
	/* Open a gap of `add` bytes between the L2 room and the original header. */
	m->data_off -= add;
	m->data_len += add;
	m->pkt_len += add;
	memmove(rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_mtod_offset(m, uint8_t *, add), l2);
	rte_pktmbuf_trim(m, m->data_len - (l2 + add + quote));

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0xc0; /* internetwork control, as routers send errors */
	ip->total_length = rte_cpu_to_be_16(add + quote);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = rte_cpu_to_be_32(src);
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);

	ic = (struct rte_icmp_hdr *)(ip + 1);
	ic->icmp_type = type;
	ic->icmp_code = code;
	ic->icmp_cksum = 0;
	ic->icmp_ident = rte_cpu_to_be_16(info >> 16);
	ic->icmp_seq_nb = rte_cpu_to_be_16(info & 0xffff);
	ic->icmp_cksum = ~rte_raw_cksum(ic, sizeof(*ic) + quote);
	m->l3_len = sizeof(*ip);
	return true;
}
