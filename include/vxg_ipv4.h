/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv4 on the hot path: header validation, the flow of a packet, the TTL and incremental
 * checksum updates (RFC 1071, 1624), without a division or a loop in the common case.
 * Mostly the workers', which validate and rewrite what they forward; control patches
 * checksums of the replies it builds with the same updates.
 *
 * Thread-safety: each touches only the packet or values it is given.
 */
#ifndef VXG_IPV4_H
#define VXG_IPV4_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

/* The fragment field's bits that make a packet a fragment: more fragments, or an offset. */
#define VXG_IPV4_FRAG_MASK RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)

enum vxg_ipv4_verdict {
	VXG_IPV4_OK,
	VXG_IPV4_BAD_HEADER, /* version, IHL or total length */
	VXG_IPV4_BAD_CHECKSUM, /* header checksum */
};

/*
 * Whether a plain sum of a header's 16-bit (or 32-bit) words is a nonzero multiple of
 * 0xffff, i.e. whether its one's complement sum (RFC 1071) folds to 0xffff: folding keeps
 * a value modulo 0xffff, and 2^16 = 1 modulo 0xffff. Multiplying by the inverse of 0xffff
 * modulo 2^64 takes the multiples of 0xffff, and only them, to at most (2^64 - 1) / 0xffff:
 * a test without a division (a compiler may emit one for the % of a large function).
 */
static inline bool
vxg_cksum_sum_ok(uint64_t sum)
{
	return sum != 0 && sum * 0xfffefffefffeffffull <= UINT64_MAX / 0xffff;
}

/* The plain sum of a 20-byte IPv4 header's five 32-bit words, given as its bytes 0-7 (a),
 * 8-15 (b) and 16-19 (c) read as words: vxg_cksum_sum_ok says whether its checksum holds. */
static inline uint64_t
vxg_ipv4_sum20(uint64_t a, uint64_t b, uint32_t c)
{
	return (a & 0xffffffff) + (a >> 32) + (b & 0xffffffff) + (b >> 32) + c;
}

/* Validate the IPv4 header at offset l3 of m (RFC 1812 5.2.2). */
static inline enum vxg_ipv4_verdict
vxg_ipv4_check(const struct rte_mbuf *m, uint16_t l3)
{
	const struct rte_ipv4_hdr *ip;
	uint16_t hl, tl;

	if (unlikely(m->data_len < l3 + sizeof(*ip)))
		return VXG_IPV4_BAD_HEADER;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3);
	hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	tl = rte_be_to_cpu_16(ip->total_length);
	if (unlikely((ip->version_ihl >> 4) != 4 || hl < sizeof(*ip) || tl < hl ||
		     l3 + hl > m->data_len || l3 + tl > m->pkt_len))
		return VXG_IPV4_BAD_HEADER;
	if (likely(hl == sizeof(*ip))) {
		/* The common header: the sum of its five 32-bit words, unfolded. */
		const uint8_t *p = (const uint8_t *)ip;
		uint64_t a, b;
		uint32_t c;

		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		memcpy(&c, p + 16, 4);
		return vxg_cksum_sum_ok(vxg_ipv4_sum20(a, b, c)) ? VXG_IPV4_OK
								 : VXG_IPV4_BAD_CHECKSUM;
	}
	if (unlikely(rte_raw_cksum(ip, hl) != 0xffff))
		return VXG_IPV4_BAD_CHECKSUM;
	return VXG_IPV4_OK;
}

/* The flow of an IPv4 packet, for the exact-match caches of established flows. */
struct vxg_flow5 {
	rte_be32_t src, dst;
	rte_be16_t sport, dport; /* ICMP echo: the identifier in both */
	uint8_t proto;
	uint8_t tcp_flags; /* TCP only, else 0 */
	uint8_t icmp_type; /* ICMP only (0 is an echo reply): look at proto first */
};

/*
 * The flow of the IPv4 packet at offset l3 of m, its header validated (vxg_ipv4_check):
 * TCP, UDP, or an ICMP echo request or reply. False for anything else (a later fragment,
 * another protocol or ICMP type, a truncated header), which the batched paths take.
 */
static inline bool
vxg_flow5_parse(const struct rte_mbuf *m, uint16_t l3, struct vxg_flow5 *f)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3);
	uint16_t off = l3 + (uint16_t)((ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4);
	const uint8_t *l4 = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
	rte_be16_t w[2];

	if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))
		return false;
	f->proto = ip->next_proto_id;
	f->src = ip->src_addr;
	f->dst = ip->dst_addr;
	f->tcp_flags = 0;
	f->icmp_type = 0;
	switch (f->proto) {
	case IPPROTO_TCP:
		if (m->data_len < off + 14)
			return false;
		f->tcp_flags = l4[13];
		break;
	case IPPROTO_UDP:
		if (m->data_len < off + 8)
			return false;
		break;
	case IPPROTO_ICMP:
		if (m->data_len < off + 8 ||
			(l4[0] != RTE_IP_ICMP_ECHO_REQUEST && l4[0] != RTE_IP_ICMP_ECHO_REPLY))
			return false;
		f->icmp_type = l4[0];
		memcpy(w, l4 + 4, 2);
		f->sport = f->dport = w[0];
		return true;
	default:
		return false;
	}
	memcpy(w, l4, sizeof(w));
	f->sport = w[0];
	f->dport = w[1];
	return true;
}

/* The UDP destination port of the IPv4 packet at offset l3 of m (header validated or
 * not), or 0 when it is not UDP or the frame is too short to say. */
static inline rte_be16_t
vxg_ipv4_udp_dport(const struct rte_mbuf *m, uint16_t l3)
{
	const struct rte_ipv4_hdr *ip;
	uint16_t hl;

	if (m->data_len < l3 + sizeof(*ip))
		return 0;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3);
	hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (ip->next_proto_id != IPPROTO_UDP || m->data_len < l3 + hl + 4)
		return 0;
	/* The destination port is the UDP header's second 16-bit word. */
	return *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, l3 + hl + 2);
}

/* Decrement the TTL and patch the checksum incrementally (RFC 1624): the TTL is the high
 * byte of its 16-bit word, so the sum gains 0x0100, with the end-around carry. */
static inline void
vxg_ipv4_ttl_dec(struct rte_ipv4_hdr *ip)
{
	uint32_t sum = (uint32_t)ip->hdr_checksum + RTE_BE16(0x0100);

	ip->hdr_checksum = (uint16_t)(sum + (sum >> 16));
	ip->time_to_live--;
}

/* Incremental checksum updates (RFC 1624 eqn. 3), on 16-bit sums in network order. */
static inline uint16_t
vxg_cksum_fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The checksum c (as stored) after a 32-bit field changed from old to new. */
static inline rte_be16_t
vxg_cksum_update32(rte_be16_t c, rte_be32_t old, rte_be32_t new)
{
	uint32_t s = (uint16_t)~c;

	s += (uint16_t) ~(old & 0xffff) + (uint16_t) ~(old >> 16);
	s += (new & 0xffff) + (new >> 16);
	return (rte_be16_t)~vxg_cksum_fold(s);
}

/* The same for a 16-bit field. */
static inline rte_be16_t
vxg_cksum_update16(rte_be16_t c, rte_be16_t old, rte_be16_t new)
{
	uint32_t s = (uint16_t)~c;

	s += (uint16_t)~old + new;
	return (rte_be16_t)~vxg_cksum_fold(s);
}

/* A UDP checksum after the same change: 0 (none) stays 0, and a result of 0 is sent
 * as 0xffff (RFC 768). */
static inline rte_be16_t
vxg_udp_cksum_update32(rte_be16_t c, rte_be32_t old, rte_be32_t new)
{
	if (c == 0)
		return 0;
	c = vxg_cksum_update32(c, old, new);
	return c == 0 ? 0xffff : c;
}

static inline rte_be16_t
vxg_udp_cksum_update16(rte_be16_t c, rte_be16_t old, rte_be16_t new)
{
	if (c == 0)
		return 0;
	c = vxg_cksum_update16(c, old, new);
	return c == 0 ? 0xffff : c;
}

#endif
