/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rewriting IPv4 packets in place for NAT: addresses and ports with their checksums
 * updated incrementally, and ICMP errors with the packet they quote. Both directions use
 * it (nat_in.c, nat_out.c), and so does the router's fast path, through nat_out.h.
 *
 * Packet fields are read and written with memcpy: headers sit at any 2-byte offset.
 */
#ifndef VXG_NAT_REWRITE_H
#define VXG_NAT_REWRITE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_mbuf.h>

/* IPv4 header offsets */
#define IP_CKSUM 10
#define IP_SRC 12
#define IP_DST 16
/* L4 offsets: TCP/UDP ports, TCP and UDP checksums; ICMP checksum and echo identifier */
#define L4_SPORT 0
#define L4_DPORT 2
#define TCP_CKSUM 16
#define UDP_CKSUM 6
#define ICMP_CKSUM 2
#define ICMP_ID 4

static inline rte_be16_t
ld16(const uint8_t *p)
{
	rte_be16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline rte_be32_t
ld32(const uint8_t *p)
{
	rte_be32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
st16(uint8_t *p, rte_be16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
st32(uint8_t *p, rte_be32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline uint16_t
ip_hl(const uint8_t *ip)
{
	return (uint16_t)((ip[0] & 0xf) * 4);
}

static inline bool
icmp_is_echo(uint8_t type)
{
	return type == RTE_IP_ICMP_ECHO_REQUEST || type == RTE_IP_ICMP_ECHO_REPLY;
}

/*
 * Translate the IPv4 packet at offset l3 of m: source (src != 0) to src and, with a
 * port (sport != 0 and a TCP/UDP packet or an ICMP echo), its source port or echo
 * identifier to sport; the same for the destination with dst/dport. Checksums are
 * updated incrementally. ICMP errors are not handled here (vxg_nat_icmp_error).
 * The header must have been validated and the L4 header present (first fragment).
 */
void vxg_nat_rewrite(struct rte_mbuf *m, uint16_t l3, rte_be32_t src, rte_be16_t sport,
	rte_be32_t dst, rte_be16_t dport);

/*
 * Translate the ICMP error at offset l3 of m, whose quote (the packet it is about) must
 * hold the quoted IPv4 header and at least 8 bytes of its L4 header. Inbound (out false):
 * the outer destination becomes `outer`, the quote's source `inner` and, when iport is
 * not 0, its source port (echo identifier) iport. Outbound (out true): the outer source
 * and the quote's destination (port) instead. The outer and quoted IPv4 checksums and a
 * quoted TCP/UDP checksum are updated; the ICMP checksum is recomputed. False (m
 * unchanged) if the quote is too short.
 */
bool vxg_nat_icmp_error(struct rte_mbuf *m, uint16_t l3, bool out, rte_be32_t outer,
	rte_be32_t inner, rte_be16_t iport);

#endif
