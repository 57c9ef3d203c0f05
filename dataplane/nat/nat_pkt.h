/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What NAT reads of a packet (its L4 kind, ports, the packet an ICMP error quotes), and
 * the session keys and lookups both directions share (nat_in.c, nat_out.c).
 */
#ifndef VXG_NAT_PKT_H
#define VXG_NAT_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "nat/nat_rewrite.h"
#include "pipeline.h"
#include "vxg_ct.h"
#include "vxg_nat.h"

/* Is ICMP type t an error that quotes a packet (unreachable, time exceeded, parameter
 * problem, source quench, redirect)? */
static inline bool
vxg_icmp_is_error(uint8_t t)
{
	return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
}

/* A packet of s: the inside end is the originator. */
static inline void
nat_touch(struct vxg_nat_sess *s, bool from_inside, uint8_t tcp_flags, uint32_t now)
{
	vxg_ct_advance(&s->state, &s->flags, &s->seen, s->out.proto, from_inside, tcp_flags, now);
}

enum nat_l4_kind {
	L4_PORTS, /* TCP or UDP with its ports */
	L4_ECHO, /* ICMP echo request or reply */
	L4_ERROR, /* ICMP error quoting a TCP/UDP packet or an echo */
	L4_ECHO_OTHER, /* ICMP of another type */
	L4_FRAG, /* a later fragment */
	L4_OTHER, /* another protocol */
	L4_SHORT, /* truncated */
};

struct nat_pkt {
	uint8_t kind;
	uint8_t proto;
	uint8_t tcp_flags;
	uint8_t icmp_type;
	rte_be16_t sport, dport; /* echo: the identifier in both */
	/* L4_ERROR: the quoted packet */
	uint8_t qproto;
	rte_be32_t qsrc, qdst;
	rte_be16_t qsport, qdport;
};

static inline void
nat_parse(const struct rte_mbuf *m, uint16_t l3, struct nat_pkt *p)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, l3), *l4, *q;
	uint16_t hl = ip_hl(ip), tot = rte_be_to_cpu_16(ld16(ip + 2));
	uint32_t avail = RTE_MIN((uint32_t)tot, (uint32_t)m->data_len - l3);

	p->proto = ip[9];
	p->tcp_flags = 0;
	p->icmp_type = 0;
	if (ld16(ip + 6) & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) {
		p->kind = L4_FRAG;
		return;
	}
	if (p->proto != IPPROTO_TCP && p->proto != IPPROTO_UDP && p->proto != IPPROTO_ICMP) {
		p->kind = L4_OTHER;
		return;
	}
	if (avail < (uint32_t)hl + 8) {
		p->kind = L4_SHORT;
		return;
	}
	l4 = ip + hl;
	if (p->proto != IPPROTO_ICMP) {
		p->kind = L4_PORTS;
		p->sport = ld16(l4 + L4_SPORT);
		p->dport = ld16(l4 + L4_DPORT);
		if (p->proto == IPPROTO_TCP && avail >= (uint32_t)hl + 14)
			p->tcp_flags = l4[13];
		return;
	}
	p->icmp_type = l4[0];
	if (icmp_is_echo(p->icmp_type)) {
		p->kind = L4_ECHO;
		p->sport = p->dport = ld16(l4 + ICMP_ID);
		return;
	}
	if (!vxg_icmp_is_error(p->icmp_type)) {
		p->kind = L4_ECHO_OTHER;
		return;
	}
	q = l4 + 8;
	if (avail < (uint32_t)hl + 8 + sizeof(struct rte_ipv4_hdr) ||
		ip_hl(q) < sizeof(struct rte_ipv4_hdr) || avail < (uint32_t)hl + 8 + ip_hl(q) + 8) {
		p->kind = L4_SHORT;
		return;
	}
	p->qproto = q[9];
	p->qsrc = ld32(q + IP_SRC);
	p->qdst = ld32(q + IP_DST);
	l4 = q + ip_hl(q);
	if (p->qproto == IPPROTO_ICMP && icmp_is_echo(l4[0])) {
		p->qsport = p->qdport = ld16(l4 + ICMP_ID);
	} else if (p->qproto == IPPROTO_TCP || p->qproto == IPPROTO_UDP) {
		p->qsport = ld16(l4 + L4_SPORT);
		p->qdport = ld16(l4 + L4_DPORT);
	} else {
		p->kind = L4_OTHER;
		return;
	}
	p->kind = L4_ERROR;
}

static inline void
nat_key(struct vxg_nat_key *k, uint8_t proto, rte_be32_t src, rte_be32_t dst, rte_be16_t sport,
	rte_be16_t dport)
{
	k->src = src;
	k->dst = dst;
	k->sport = sport;
	k->dport = dport;
	k->proto = proto;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
}

/* Is a one of the generation's external NAT addresses? The bitmap answers most "no"s. */
static inline bool
nat_is_ours(const struct vxg_gen_nat_map *map, rte_be32_t a)
{
	uint32_t b = vxg_nat_bit(a);

	return (map->ext_bits[b >> 6] >> (b & 63)) & 1;
}

/* The session positions of n keys of t, outbound (out_h) or inbound (in_h, then
 * in_out); pos[i] < 0: none. */
static inline void
nat_sess_lookup(const struct vxg_nat_table *t, bool in, const struct vxg_nat_key *keys, uint16_t n,
	int32_t *pos)
{
	const void *kp[VXG_NAT_CHUNK];

	for (uint16_t i = 0; i < n; i++)
		kp[i] = &keys[i];
	rte_hash_lookup_bulk(in ? t->in_h : t->out_h, kp, n, pos);
	for (uint16_t i = 0; in && i < n; i++)
		if (pos[i] >= 0)
			pos[i] = t->in_out[pos[i]];
}

#endif
