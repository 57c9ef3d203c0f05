/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT's packet rewriting (nat_rewrite.h): addresses and ports, and ICMP errors, the
 * quoted packet included, each checksum updated incrementally (RFC 1624) rather than
 * recomputed.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "nat/nat_rewrite.h"
#include "vxg_ipv4.h"

/* Where an L4 header keeps its checksum (0: none we update) and whether the checksum
 * covers the addresses (pseudo-header). */
struct l4_ck {
	uint16_t off;
	bool pseudo, udp;
};

static inline struct l4_ck
l4_cksum_of(uint8_t proto, uint8_t icmp_type, uint32_t avail)
{
	struct l4_ck c = {0, false, false};

	if (proto == IPPROTO_TCP && avail >= TCP_CKSUM + 2)
		c = (struct l4_ck){TCP_CKSUM, true, false};
	else if (proto == IPPROTO_UDP && avail >= UDP_CKSUM + 2)
		c = (struct l4_ck){UDP_CKSUM, true, true};
	else if (proto == IPPROTO_ICMP && avail >= ICMP_ID + 2 && icmp_is_echo(icmp_type))
		c = (struct l4_ck){ICMP_CKSUM, false, false};
	return c;
}

/* Checksum at p (if any) after a 32- or 16-bit field changed. */
static inline void
ck_update32(uint8_t *p, bool udp, rte_be32_t old, rte_be32_t new)
{
	if (p != NULL)
		st16(p, udp ? vxg_udp_cksum_update32(ld16(p), old, new)
			    : vxg_cksum_update32(ld16(p), old, new));
}

static inline void
ck_update16(uint8_t *p, bool udp, rte_be16_t old, rte_be16_t new)
{
	if (p != NULL)
		st16(p, udp ? vxg_udp_cksum_update16(ld16(p), old, new)
			    : vxg_cksum_update16(ld16(p), old, new));
}

void
vxg_nat_rewrite(struct rte_mbuf *m, uint16_t l3, rte_be32_t src, rte_be16_t sport, rte_be32_t dst,
	rte_be16_t dport)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, l3);
	uint16_t hl = ip_hl(ip);
	uint8_t proto = ip[9];
	bool first = (ld16(ip + 6) & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) == 0;
	uint32_t avail = first && m->data_len > l3 + hl ? m->data_len - l3 - hl : 0;
	uint8_t *l4 = ip + hl;
	struct l4_ck c = l4_cksum_of(proto, avail > 0 ? l4[0] : 0, avail);
	uint8_t *ck = c.off != 0 ? l4 + c.off : NULL;
	uint8_t *pck = c.pseudo ? ck : NULL;
	/* ICMP echo: the identifier is both the "source" and the "destination" port */
	uint16_t so = proto == IPPROTO_ICMP ? ICMP_ID : L4_SPORT;
	uint16_t dof = proto == IPPROTO_ICMP ? ICMP_ID : L4_DPORT;

	if (src != 0 && src != ld32(ip + IP_SRC)) {
		ck_update32(pck, c.udp, ld32(ip + IP_SRC), src);
		st16(ip + IP_CKSUM,
			vxg_cksum_update32(ld16(ip + IP_CKSUM), ld32(ip + IP_SRC), src));
		st32(ip + IP_SRC, src);
	}
	if (dst != 0 && dst != ld32(ip + IP_DST)) {
		ck_update32(pck, c.udp, ld32(ip + IP_DST), dst);
		st16(ip + IP_CKSUM,
			vxg_cksum_update32(ld16(ip + IP_CKSUM), ld32(ip + IP_DST), dst));
		st32(ip + IP_DST, dst);
	}
	if (ck == NULL)
		return; /* no ports: a later fragment, or a protocol without any */
	if (sport != 0 && sport != ld16(l4 + so)) {
		ck_update16(ck, c.udp, ld16(l4 + so), sport);
		st16(l4 + so, sport);
	}
	if (dport != 0 && dport != ld16(l4 + dof)) {
		ck_update16(ck, c.udp, ld16(l4 + dof), dport);
		st16(l4 + dof, dport);
	}
}

/* Set the 32-bit field at p to v, updating the checksums at c1 and c2 (NULL: none) and
 * the ICMP message's checksum at ick (the field lies inside the message). */
static inline void
icmp_set32(uint8_t *p, rte_be32_t v, uint8_t *c1, bool c1_udp, uint8_t *c2, uint8_t *ick)
{
	rte_be32_t old = ld32(p);

	if (old == v)
		return;
	/* the checksums first: each one's change also changes the message's sum */
	if (c1 != NULL) {
		rte_be16_t o1 = ld16(c1);

		ck_update32(c1, c1_udp, old, v);
		st16(ick, vxg_cksum_update16(ld16(ick), o1, ld16(c1)));
	}
	if (c2 != NULL) {
		rte_be16_t o2 = ld16(c2);

		ck_update32(c2, false, old, v);
		st16(ick, vxg_cksum_update16(ld16(ick), o2, ld16(c2)));
	}
	st16(ick, vxg_cksum_update32(ld16(ick), old, v));
	st32(p, v);
}

static inline void
icmp_set16(uint8_t *p, rte_be16_t v, uint8_t *c1, bool c1_udp, uint8_t *ick)
{
	rte_be16_t old = ld16(p);

	if (old == v)
		return;
	if (c1 != NULL) {
		rte_be16_t o1 = ld16(c1);

		ck_update16(c1, c1_udp, old, v);
		st16(ick, vxg_cksum_update16(ld16(ick), o1, ld16(c1)));
	}
	st16(ick, vxg_cksum_update16(ld16(ick), old, v));
	st16(p, v);
}

bool
vxg_nat_icmp_error(struct rte_mbuf *m, uint16_t l3, bool out, rte_be32_t outer, rte_be32_t inner,
	rte_be16_t iport)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, l3);
	uint16_t hl = ip_hl(ip), qhl;
	uint32_t avail = m->data_len > l3 ? m->data_len - l3 : 0, qavail;
	uint8_t *ic, *q, *ql4, *ick, *qck;
	struct l4_ck c;
	uint16_t po;

	avail = RTE_MIN(avail, (uint32_t)rte_be_to_cpu_16(ld16(ip + 2)));
	if (avail < (uint32_t)hl + 8 + sizeof(struct rte_ipv4_hdr))
		return false;
	ic = ip + hl;
	q = ic + 8;
	qhl = ip_hl(q);
	if (qhl < sizeof(struct rte_ipv4_hdr) || avail < (uint32_t)hl + 8 + qhl + 8)
		return false;
	ick = ic + ICMP_CKSUM;
	ql4 = q + qhl;
	qavail = avail - hl - 8 - qhl;
	if (ld16(q + 6) & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))
		qavail = 0; /* a later fragment quoted: no ports */
	c = l4_cksum_of(q[9], qavail > 0 ? ql4[0] : 0, qavail);
	qck = c.off != 0 ? ql4 + c.off : NULL;
	/* the quoted address: the source of a packet we sent out, the destination of one
	 * that came in */
	icmp_set32(q + (out ? IP_DST : IP_SRC), inner, c.pseudo ? qck : NULL, c.udp, q + IP_CKSUM,
		ick);
	/* the port: RFC 792 quotes 8 bytes of L4, enough for it even where the TCP
	 * checksum is not quoted (then only the ICMP checksum follows) */
	if (iport != 0 && qavail >= 8 &&
		(q[9] == IPPROTO_TCP || q[9] == IPPROTO_UDP ||
			(q[9] == IPPROTO_ICMP && icmp_is_echo(ql4[0])))) {
		po = q[9] == IPPROTO_ICMP ? ICMP_ID : out ? L4_DPORT : L4_SPORT;
		icmp_set16(ql4 + po, iport, qck, c.udp, ick);
	}
	/* the outer header: not inside the ICMP message */
	po = out ? IP_SRC : IP_DST;
	st16(ip + IP_CKSUM, vxg_cksum_update32(ld16(ip + IP_CKSUM), ld32(ip + po), outer));
	st32(ip + po, outer);
	return true;
}
