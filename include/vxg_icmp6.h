/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMPv6 as the IPv6 router speaks it (RFC 4443, 4861): errors built in place in the
 * packet they are about (the workers': hop limit, no route, packet too big), echo
 * replies, and Neighbour Discovery messages built and parsed (the control thread's).
 * Checksums are rte_ipv6_udptcp_cksum's.
 *
 * Thread-safety: touches only the packet it is given. Defined in lib/icmp6.c.
 */
#ifndef VXG_ICMP6_H
#define VXG_ICMP6_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#define VXG_IPPROTO_ICMPV6 58

/* Types (RFC 4443, 4861) and the codes the router sends. */
#define VXG_ICMP6_DST_UNREACH 1
#define VXG_ICMP6_NO_ROUTE 0 /* code: no route to destination */
#define VXG_ICMP6_ADDR_UNREACH 3 /* code: no Neighbour Advertisement */
#define VXG_ICMP6_PORT_UNREACH 4 /* code */
#define VXG_ICMP6_PKT_TOO_BIG 2 /* info: the next-hop MTU */
#define VXG_ICMP6_TIME_EXCEEDED 3 /* code 0: hop limit */
#define VXG_ICMP6_ECHO_REQUEST 128
#define VXG_ICMP6_ECHO_REPLY 129
#define VXG_ICMP6_RS 133
#define VXG_ICMP6_RA 134
#define VXG_ICMP6_NS 135
#define VXG_ICMP6_NA 136

/* Neighbour Advertisement flags (the first word, host order). */
#define VXG_ND_NA_ROUTER 0x80000000u
#define VXG_ND_NA_SOLICITED 0x40000000u
#define VXG_ND_NA_OVERRIDE 0x20000000u

#define VXG_IPV6_MIN_MTU 1280

/*
 * Turn m, whose IPv6 header is at m->l2_len, into an ICMPv6 error about it from `src` to
 * its source, in place: the quote is as much of it as fits in 1280 bytes (RFC 4443 2.4 c),
 * `info` the second word (the MTU of packet too big). The L2 room is kept in front for
 * the caller. False, m unchanged, when no error may be about it (RFC 4443 2.4 e): an
 * ICMPv6 error or a redirect itself, to a multicast address, from the unspecified or a
 * multicast address; or when m is not one segment or has no headroom.
 */
bool vxg_icmp6_error(
	struct rte_mbuf *m, uint8_t type, uint8_t code, uint32_t info, const uint8_t *src);

/* The ICMPv6 message at l3 of m (IPv6 header there, next header ICMPv6, the whole
 * message in the first segment, checksum right), or NULL. */
const struct rte_icmp_hdr *vxg_icmp6_of(const struct rte_mbuf *m, uint16_t l3);

/* The echo request at l3 of m (vxg_icmp6_of) becomes its reply from `src`, in place, with
 * MACs swapped: true; false when it is no valid echo request. */
bool vxg_icmp6_echo_reply(struct rte_mbuf *m, uint16_t l3, const uint8_t *src);

/* ff02::1:ffXX:XXXX for ip, and the 33:33:XX:XX:XX:XX MAC of a multicast address. */
void vxg_ip6_solicited_node(uint8_t *out, const uint8_t *ip);
void vxg_ip6_mcast_mac(struct rte_ether_addr *mac, const uint8_t *ip);

/* A Neighbour Solicitation or Advertisement, parsed. */
struct vxg_nd {
	uint8_t type; /* VXG_ICMP6_NS or VXG_ICMP6_NA */
	uint32_t flags; /* NA: VXG_ND_NA_* */
	uint8_t src[16], dst[16], target[16];
	bool has_lla; /* NS: source, NA: target link-layer address option */
	struct rte_ether_addr lla;
};

/*
 * Parse the NS or NA at l3 of m as RFC 4861 7.1.1 and 7.1.2 validate them: hop limit
 * 255, code 0, checksum, length, a unicast target, options of non-zero length, no source
 * link-layer option from the unspecified address, a solicited NA not to a multicast
 * address. 0, or -EINVAL.
 */
int vxg_nd_parse(const struct rte_mbuf *m, uint16_t l3, struct vxg_nd *nd);

/* Write into empty m an NS for target from (smac, src): to its solicited-node address,
 * or to dmac and target itself when dmac is given (a unicast probe). 0 or -ENOSPC. */
int vxg_nd_build_ns(struct rte_mbuf *m, const struct rte_ether_addr *smac, const uint8_t *src,
	const uint8_t *target, const struct rte_ether_addr *dmac);

/* Write into empty m an NA for target at tmac, from src (smac) to (dmac, dst; dst :: sends
 * it to all nodes, ff02::1), with flags and a target link-layer option. 0 or -ENOSPC. */
int vxg_nd_build_na(struct rte_mbuf *m, const struct rte_ether_addr *smac, const uint8_t *src,
	const struct rte_ether_addr *dmac, const uint8_t *dst, const uint8_t *target,
	uint32_t flags);

#endif
