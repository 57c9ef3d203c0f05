/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Port security for IPv6, as sg.c's for IPv4 (vxg_psec_check calls it for an IPv6 frame
 * from a secured port, so IPv4 frames never come here):
 *
 * - the source is one of the port's IPv6 prefixes with the MAC it goes with (its fixed
 *   addresses, the link-local fe80::EUI-64 of its MACs, its IPv6 address pairs: the
 *   generation's vxg_gen_lport.addrs6), or anything for a port whose address comes from a
 *   server (VXG_LP_IP6_ANY); or :: for Duplicate Address Detection: from ::, only a
 *   Neighbour Solicitation or an MLD report (RFC 3590) to a link-scope multicast group;
 * - a Neighbour Advertisement's target is one of the port's addresses, advertised with the
 *   MAC it goes with (the target link-layer option, else the frame's source MAC), and a
 *   Neighbour Solicitation's source link-layer option is the frame's source MAC;
 * - Router Advertisements and Redirects (RA guard, RFC 6105) and DHCPv6 server messages
 *   (from port 547, to port 546, or an Advertise, Reply, Reconfigure or Relay-reply to
 *   547) are not a port's to send.
 *
 * The header chain is read as far as it is bounded: the fixed header, a Hop-by-Hop
 * options header (MLD carries one) and a Fragment header (a non-first fragment carries no
 * upper-layer header to check; ND must not be fragmented, RFC 6980). Any other extension
 * header, or headers that do not fit in the first segment, are dropped: an RA behind a
 * Destination Options header would otherwise pass (RFC 7113).
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "pipeline.h"
#include "vxg_sg.h"

#define ICMP6_MLD_REPORT 131
#define ICMP6_RA 134
#define ICMP6_NS 135
#define ICMP6_NA 136
#define ICMP6_REDIRECT 137
#define ICMP6_MLD2_REPORT 143
#define ND_OPT_SLLA 1
#define ND_OPT_TLLA 2
#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
#define IP6_NH_HOP 0
#define IP6_NH_FRAG 44
#define IP6_NH_NONE 59 /* also: a non-first fragment, nothing to read */

/* The upper layer of an IPv6 packet, once found. */
struct psec6_pkt {
	const struct rte_ether_hdr *eth;
	const struct rte_ipv6_hdr *ip;
	const uint8_t *l4; /* at proto's header */
	uint32_t l4_len; /* bytes of it in the first segment and in the payload */
	uint8_t proto;
};

/* The fixed header, then Hop-by-Hop and Fragment: false if that chain cannot be read. */
static bool
psec6_parse(struct psec6_pkt *p, const struct rte_mbuf *m)
{
	uint32_t off = m->l2_len + sizeof(struct rte_ipv6_hdr), end;
	const uint8_t *h;

	if (m->data_len < off)
		return false;
	p->eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	p->ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, m->l2_len);
	if ((p->ip->vtc_flow & RTE_BE32(0xf0000000)) != RTE_BE32(0x60000000))
		return false;
	end = RTE_MIN((uint32_t)m->data_len, off + rte_be_to_cpu_16(p->ip->payload_len));
	p->proto = p->ip->proto;
	if (p->proto == IP6_NH_HOP) {
		if (end < off + 8)
			return false;
		h = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
		p->proto = h[0];
		off += 8 * (h[1] + 1u);
	}
	if (p->proto == IP6_NH_FRAG) {
		if (end < off + 8)
			return false;
		h = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
		p->proto = (h[2] << 8 | h[3]) & 0xfff8 ? IP6_NH_NONE : h[0];
		off += 8;
	}
	if (off > end)
		return false;
	p->l4 = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
	p->l4_len = end - off;
	return true;
}

/* An extension header this file does not read past (RFC 7045's list, less those above). */
static inline bool
psec6_ext(uint8_t nh)
{
	return nh == IP6_NH_HOP || nh == 43 /* routing */ || nh == IP6_NH_FRAG ||
	       nh == 60 /* destination options */ || nh == 51 /* AH */ ||
	       nh == 135 /* mobility */ || nh == 139 /* HIP */ || nh == 140 /* shim6 */ ||
	       nh == 253 || nh == 254;
}

/* Does a (16 bytes, network order) fall in one of lp's prefixes that goes with mac? Any
 * MAC when mac is NULL. */
static inline bool
psec6_match(const struct vxg_gen_lport *lp, const void *a, const struct rte_ether_addr *mac)
{
	uint64_t w[2];

	memcpy(w, a, sizeof(w));
	for (uint16_t i = 0; i < lp->n_addrs6; i++) {
		const struct vxg_lport_addr6 *e = &lp->addrs6[i];

		if ((w[0] & e->mask[0]) == e->addr[0] && (w[1] & e->mask[1]) == e->addr[1] &&
			(mac == NULL || rte_is_same_ether_addr(mac, &e->mac)))
			return true;
	}
	return false;
}

/* The link-layer address option of `type` in ND options o[0..len-1], NULL if none; *bad
 * when the options are malformed (a zero length, or one running past the end). */
static const struct rte_ether_addr *
psec6_nd_opt(const uint8_t *o, uint32_t len, uint8_t type, bool *bad)
{
	const struct rte_ether_addr *found = NULL;

	while (len >= 2) {
		uint32_t l = 8u * o[1];

		if (l == 0 || l > len) {
			*bad = true;
			return NULL;
		}
		if (o[0] == type && l == 8 && found == NULL)
			found = (const struct rte_ether_addr *)(o + 2);
		o += l;
		len -= l;
	}
	return found;
}

/* ND from the port: NS's source link-layer option, NA's target and its MAC. */
static unsigned
psec6_nd(const struct vxg_gen_lport *lp, const struct psec6_pkt *p)
{
	const struct rte_ether_addr *ll, *src = &p->eth->src_addr;
	bool bad = false;

	if (p->l4_len < 24) /* type, code, checksum, flags, target */
		return VXG_DROP_psec_ip6_header;
	ll = psec6_nd_opt(
		p->l4 + 24, p->l4_len - 24, p->l4[0] == ICMP6_NS ? ND_OPT_SLLA : ND_OPT_TLLA, &bad);
	if (bad)
		return VXG_DROP_psec_ip6_header;
	if (p->l4[0] == ICMP6_NS)
		return ll == NULL || rte_is_same_ether_addr(ll, src) ? VXG_DROP_MAX
								     : VXG_DROP_psec_nd_lladdr;
	if (lp->flags & VXG_LP_IP6_ANY)
		return ll == NULL || rte_is_same_ether_addr(ll, src) ? VXG_DROP_MAX
								     : VXG_DROP_psec_nd_lladdr;
	if (psec6_match(lp, p->l4 + 8, ll != NULL ? ll : src))
		return VXG_DROP_MAX;
	return psec6_match(lp, p->l4 + 8, NULL) ? VXG_DROP_psec_nd_lladdr : VXG_DROP_psec_nd_target;
}

/* What the upper layer may not be: RA guard, ND, DHCPv6 servers. */
static unsigned
psec6_content(const struct vxg_gen_lport *lp, const struct psec6_pkt *p)
{
	if (p->proto == IPPROTO_ICMPV6) {
		if (p->l4_len < 4)
			return VXG_DROP_psec_ip6_header;
		if (p->l4[0] == ICMP6_RA || p->l4[0] == ICMP6_REDIRECT)
			return VXG_DROP_psec_ra_guard;
		if (p->l4[0] == ICMP6_NS || p->l4[0] == ICMP6_NA)
			return psec6_nd(lp, p);
		return VXG_DROP_MAX;
	}
	if (p->proto == IPPROTO_UDP) {
		uint16_t sport, dport;

		if (p->l4_len < 8)
			return VXG_DROP_psec_ip6_header;
		sport = (uint16_t)(p->l4[0] << 8 | p->l4[1]);
		dport = (uint16_t)(p->l4[2] << 8 | p->l4[3]);
		if (sport == DHCP6_SERVER_PORT || dport == DHCP6_CLIENT_PORT)
			return VXG_DROP_psec_dhcp6_server;
		/* Advertise, Reply, Reconfigure, Relay-reply: a server's, whatever its port */
		if (dport == DHCP6_SERVER_PORT && p->l4_len > 8 &&
			(p->l4[8] == 2 || p->l4[8] == 7 || p->l4[8] == 10 || p->l4[8] == 13))
			return VXG_DROP_psec_dhcp6_server;
		return VXG_DROP_MAX;
	}
	return psec6_ext(p->proto) ? VXG_DROP_psec_ip6_header : VXG_DROP_MAX;
}

/* From :: (a host without an address yet): DAD's Neighbour Solicitation and MLD reports
 * to a link-scope group (ff02::/16), nothing else. */
static inline bool
psec6_unspec_ok(const struct psec6_pkt *p)
{
	uint8_t t;

	if (p->proto != IPPROTO_ICMPV6 || p->l4_len < 4 || p->ip->dst_addr[0] != 0xff ||
		p->ip->dst_addr[1] != 0x02)
		return false;
	t = p->l4[0];
	return t == ICMP6_NS || t == ICMP6_MLD_REPORT || t == ICMP6_MLD2_REPORT;
}

static inline bool
psec6_unspec(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, sizeof(zero)) == 0;
}

/* Everything but the common case: the header chain read as far as it goes. */
static __rte_noinline unsigned
psec6_check_full(const struct vxg_gen_lport *lp, const struct rte_mbuf *m)
{
	struct psec6_pkt p;

	if (unlikely(!psec6_parse(&p, m)))
		return VXG_DROP_psec_ip6_header;
	if (!(lp->flags & VXG_LP_IP6_ANY) && !psec6_match(lp, p.ip->src_addr, &p.eth->src_addr)) {
		if (!psec6_unspec(p.ip->src_addr) || !psec6_unspec_ok(&p))
			return VXG_DROP_psec_ip6_src;
	}
	return psec6_content(lp, &p);
}

/*
 * The common case, decided without walking the header chain: TCP or UDP right after the
 * fixed header (no DHCPv6 port), its first 8 bytes in the first segment, from one of the
 * port's addresses with its MAC. Anything else (ICMPv6, extension headers, DHCPv6, ::, a
 * source not the port's) takes the full check, which decides it as before.
 */
static __rte_always_inline bool
psec6_fast_ok(const struct vxg_gen_lport *lp, const struct rte_mbuf *m)
{
	uint32_t off = m->l2_len + sizeof(struct rte_ipv6_hdr);
	const struct rte_ipv6_hdr *ip;
	const rte_be16_t *ports;

	if (unlikely(m->data_len < off + 8))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, m->l2_len);
	if ((ip->vtc_flow & RTE_BE32(0xf0000000)) != RTE_BE32(0x60000000) ||
		rte_be_to_cpu_16(ip->payload_len) < 8)
		return false;
	if (ip->proto == IPPROTO_UDP) {
		ports = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, off);
		if (ports[0] == RTE_BE16(DHCP6_SERVER_PORT) ||
			ports[1] == RTE_BE16(DHCP6_CLIENT_PORT) ||
			ports[1] == RTE_BE16(DHCP6_SERVER_PORT))
			return false;
	} else if (ip->proto != IPPROTO_TCP) {
		return false;
	}
	return (lp->flags & VXG_LP_IP6_ANY) ||
	       psec6_match(lp, ip->src_addr,
		       &rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->src_addr);
}

unsigned
vxg_psec6_check(const struct vxg_gen_lport *lp, const struct rte_mbuf *m)
{
	if (likely(psec6_fast_ok(lp, m)))
		return VXG_DROP_MAX;
	return psec6_check_full(lp, m);
}
