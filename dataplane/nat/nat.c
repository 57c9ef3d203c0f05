/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Floating IPs and router SNAT (vxg_nat.h). Outbound, the router hands over what a VPC
 * with a nat section routes out of its NAT interface: the source becomes the port's
 * floating IP, or the SNAT address and a port of the VPC's session. Inbound, what the
 * external interface receives for one of those addresses is translated back and routed
 * into the VPC. A translated packet to one of vxgate's own NAT addresses (a VM reaching
 * another's floating IP) loops back into the inbound path (hairpin); a ping of an SNAT
 * address from inside goes to control untranslated, as a ping of a gateway does. ICMP
 * errors about a translated flow are translated too, the quoted packet included, and so
 * is the quote of an error the router sends back out about an inbound packet.
 *
 * Packet fields are read and written with memcpy: headers sit at any 2-byte offset.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "vxg_ct.h"
#include "vxg_ipv4.h"
#include "vxg_nat.h"
#include "pipeline.h"

#define NAT_CHUNK RTE_HASH_LOOKUP_BULK_MAX /* the router's chunk: one bulk lookup */
#define NAT_PORT_TRIES 64 /* candidate ports a new session tries */

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

/* ---- Sessions --------------------------------------------------------------------------- */

/*
 * Give up entry s, claimed for key k, whose in key found no room: delete the out key, so
 * that the flow's next packet misses and starts afresh instead of finding a session no
 * reply can reach, and mark the entry dead. Control's ager releases the position later
 * (vxg_nat.h): with RW_CONCURRENCY_LF the hash keeps it allocated until then, so no other
 * session can be written into the entry while a reader may still look at it. ext_port
 * stays set: a packet that got this position from its add a moment ago loses the claim.
 * The delete takes the hash's writer lock, as every add by a worker already does
 * (MULTI_WRITER_ADD), and only on this path of a full table: no allocation, no I/O.
 */
static void
nat_sess_abort(struct vxg_nat_table *t, const struct vxg_nat_key *k, struct vxg_nat_sess *s)
{
	rte_hash_del_key(t->out_h, k);
	__atomic_store_n(&s->flags, VXG_NAT_F_DEAD, __ATOMIC_RELEASE);
}

/* vxg_nat_sess_create; *created: whether this call made it (not another packet). */
static int32_t
nat_sess_create(struct vxg_nat_table *t, const struct vxg_nat_key *k, unsigned worker,
	unsigned n_workers, uint8_t state, uint32_t now, bool *created)
{
	uint32_t nw = n_workers > 0 ? n_workers : 1;
	uint32_t range = (uint32_t)t->port_max - t->port_min + 1;
	uint32_t mine = range > worker ? (range - worker + nw - 1) / nw : 0;
	uint32_t own = rte_be_to_cpu_16(k->sport), start, tries, i, p = 0;
	struct vxg_nat_key ik;
	struct vxg_nat_sess *s;
	int32_t pos;

	/* No lookup of k first: the caller just missed it, and an entry another packet
	 * made meanwhile is found by the add below (its claim fails). */
	if (mine == 0)
		return -EADDRINUSE;
	/* Keep the flow's own port when it is ours to give, as Linux does; else start
	 * where the flow hashes, so flows spread over the stripe. */
	if (own >= t->port_min && own <= t->port_max && (own - t->port_min) % nw == worker)
		start = (own - t->port_min) / nw;
	else
		start = rte_hash_crc(k, sizeof(*k), 0) % mine;
	tries = RTE_MIN(mine, (uint32_t)NAT_PORT_TRIES);
	for (i = 0; i < tries; i++) {
		p = t->port_min + ((start + i) % mine) * nw + worker;
		vxg_nat_in_key(&ik, k, t->addr, rte_cpu_to_be_16((uint16_t)p));
		if (rte_hash_lookup(t->in_h, &ik) < 0)
			break;
	}
	if (i == tries)
		return -EADDRINUSE;
	pos = rte_hash_add_key(t->out_h, k);
	if (pos < 0)
		return pos;
	s = &t->sess[pos];
	/* Claim the entry: a port is never 0, and control zeroes entries it frees. Two
	 * workers that missed on the same new flow both get this position; the loser
	 * leaves the entry and its port to the winner and adds no in key. */
	if (!__atomic_compare_exchange_n(&s->ext_port, &(rte_be16_t){0},
		    rte_cpu_to_be_16((uint16_t)p), false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return pos;
	s->out = *k;
	s->seen = now;
	s->flags = 0;
	s->in_pos = rte_hash_add_key(t->in_h, &ik);
	if (s->in_pos < 0) {
		nat_sess_abort(t, k, s);
		return -ENOSPC;
	}
	t->in_out[s->in_pos] = pos;
	__atomic_store_n(&s->state, state, __ATOMIC_RELEASE);
	*created = true;
	return pos;
}

int32_t
vxg_nat_sess_create(struct vxg_nat_table *t, const struct vxg_nat_key *k, unsigned worker,
	unsigned n_workers, uint8_t state, uint32_t now)
{
	bool created = false;

	return nat_sess_create(t, k, worker, n_workers, state, now, &created);
}

/* A packet of s: the inside end is the originator. */
static inline void
nat_touch(struct vxg_nat_sess *s, bool from_inside, uint8_t tcp_flags, uint32_t now)
{
	vxg_ct_advance(&s->state, &s->flags, &s->seen, s->out.proto, from_inside, tcp_flags, now);
}

/* The first state of a session its first packet opens. */
static inline uint8_t
nat_first_state(uint8_t proto, uint8_t tcp_flags)
{
	if (proto == IPPROTO_TCP)
		return (tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG
			       ? VXG_CT_TCP_SYN_SENT
			       : VXG_CT_TCP_ESTABLISHED; /* picked up mid-stream */
	return proto == IPPROTO_UDP ? VXG_CT_UDP_NEW : VXG_CT_ICMP_NEW;
}

/* ---- Packet parsing --------------------------------------------------------------------- */

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

/* ---- Inbound ------------------------------------------------------------------------------ */

struct nat_in {
	uint16_t n;
	struct rte_mbuf *pkts[NAT_CHUNK];
	uint16_t vpc[NAT_CHUNK];
};

/* The session positions of n keys of t, outbound (out_h) or inbound (in_h, then
 * in_out); pos[i] < 0: none. */
static void
nat_sess_lookup(const struct vxg_nat_table *t, bool in, const struct vxg_nat_key *keys, uint16_t n,
	int32_t *pos)
{
	const void *kp[NAT_CHUNK];

	for (uint16_t i = 0; i < n; i++)
		kp[i] = &keys[i];
	rte_hash_lookup_bulk(in ? t->in_h : t->out_h, kp, n, pos);
	for (uint16_t i = 0; in && i < n; i++)
		if (pos[i] >= 0)
			pos[i] = t->in_out[pos[i]];
}

/* Translate inbound packet m to the inside of session s, or drop it. */
static inline bool
nat_in_sess(struct vxg_worker *w, struct rte_mbuf *m, const struct nat_pkt *p,
	const struct vxg_nat_key *ik, struct vxg_nat_sess *s, uint32_t now)
{
	/* the whole key, but the address (the caller's lookup was in this table's): an
	 * in_out entry may be stale */
	if (s == NULL || __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		s->ext_port != ik->dport || s->out.dst != ik->src || s->out.proto != ik->proto ||
		(ik->proto != IPPROTO_ICMP && s->out.dport != ik->sport)) {
		vxg_drop(w, m, VXG_DROP_nat_no_session);
		return false;
	}
	if (p->kind == L4_ERROR) {
		if (!vxg_nat_icmp_error(
			    m, m->l2_len, false, s->out.src, s->out.src, s->out.sport)) {
			vxg_drop(w, m, VXG_DROP_nat_truncated);
			return false;
		}
		w->stats.events[VXG_EV_nat_icmp_error]++;
	} else {
		vxg_nat_rewrite(m, m->l2_len, 0, 0, s->out.src, s->out.sport);
		nat_touch(s, false, p->tcp_flags, now);
	}
	w->stats.events[VXG_EV_nat_snat_in]++;
	return true;
}

static void
nat_in_chunk(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n,
	struct nat_in *o, struct rte_mbuf **punt, uint16_t *n_punt)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_gen_nat_map *map = &g->nat;
	const void *kp[NAT_CHUNK];
	void *dv[NAT_CHUNK];
	rte_be32_t dst[NAT_CHUNK];
	struct rte_mbuf *ok[NAT_CHUNK];
	uint64_t hits = 0;
	uint16_t k = 0, ns = 0;
	struct nat_pkt sp[NAT_CHUNK];
	struct vxg_nat_key sk[NAT_CHUNK];
	struct rte_mbuf *sm[NAT_CHUNK];
	const struct vxg_nat_addr *sa[NAT_CHUNK];
	int32_t spos[NAT_CHUNK];
	uint32_t now = vxg_worker_now(w);

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		switch (vxg_ipv4_check(m, m->l2_len)) {
		case VXG_IPV4_OK:
			break;
		case VXG_IPV4_BAD_CHECKSUM:
			vxg_drop(w, m, VXG_DROP_ip_bad_checksum);
			continue;
		default:
			vxg_drop(w, m, VXG_DROP_ip_bad_header);
			continue;
		}
		dst[k] = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len)->dst_addr;
		if (map->ext == NULL || !nat_is_ours(map, dst[k])) {
			vxg_drop(w, m, VXG_DROP_nat_no_mapping);
			continue;
		}
		kp[k] = &dst[k];
		ok[k++] = m;
	}
	if (k == 0)
		return;
	rte_hash_lookup_bulk_data(map->ext, kp, k, &hits, dv);
	for (uint16_t i = 0; i < k; i++) {
		struct rte_mbuf *m = ok[i];
		const struct vxg_nat_addr *a;
		struct nat_pkt p;

		if (!((hits >> i) & 1)) {
			vxg_drop(w, m, VXG_DROP_nat_no_mapping);
			continue;
		}
		a = &map->addrs[(uintptr_t)dv[i]];
		vxg_meta(m)->lport = 0; /* from outside: no port of ours sent it */
		nat_parse(m, m->l2_len, &p);
		if (a->kind == VXG_NAT_FIP) {
			if (p.kind == L4_ERROR) {
				if (!vxg_nat_icmp_error(
					    m, m->l2_len, false, a->fixed, a->fixed, 0)) {
					vxg_drop(w, m, VXG_DROP_nat_truncated);
					continue;
				}
				w->stats.events[VXG_EV_nat_icmp_error]++;
			} else {
				vxg_nat_rewrite(m, m->l2_len, 0, 0, a->fixed, 0);
			}
			w->stats.events[VXG_EV_nat_fip_in]++;
			o->pkts[o->n] = m;
			o->vpc[o->n++] = a->vpc;
			continue;
		}
		/* SNAT: the session of the reply, or of the packet an error quotes */
		switch (p.kind) {
		case L4_PORTS:
			nat_key(&sk[ns], p.proto,
				ld32(rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len + IP_SRC)),
				a->ext, p.sport, p.dport);
			break;
		case L4_ECHO:
			if (p.icmp_type == RTE_IP_ICMP_ECHO_REQUEST) {
				/* a ping of the SNAT address from outside: control answers
				 * it, from the NAT interface (from inside: nat_out_local) */
				m->port = in->port_id;
				vxg_meta(m)->why = VXG_PUNT_UNDERLAY;
				punt[(*n_punt)++] = m;
				continue;
			}
			nat_key(&sk[ns], p.proto,
				ld32(rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len + IP_SRC)),
				a->ext, p.sport, p.dport);
			break;
		case L4_ERROR:
			/* it quotes what we sent: (SNAT address, port) -> (remote, port) */
			nat_key(&sk[ns], p.qproto, p.qdst, p.qsrc, p.qdport, p.qsport);
			break;
		case L4_FRAG:
			vxg_drop(w, m, VXG_DROP_nat_fragment);
			continue;
		case L4_SHORT:
			vxg_drop(w, m, VXG_DROP_nat_truncated);
			continue;
		default:
			vxg_drop(w, m, VXG_DROP_nat_unsupported);
			continue;
		}
		if (g->vpcs[a->vpc].nat.sess == NULL) {
			vxg_drop(w, m, VXG_DROP_nat_no_session);
			continue;
		}
		sp[ns] = p;
		sm[ns] = m;
		sa[ns++] = a;
	}
	if (ns == 0)
		return;
	/* one bulk lookup per table; a burst is mostly one VPC's */
	for (uint16_t i = 0; i < ns;) {
		struct vxg_nat_table *t = g->vpcs[sa[i]->vpc].nat.sess;
		uint16_t j = i + 1;

		while (j < ns && g->vpcs[sa[j]->vpc].nat.sess == t)
			j++;
		nat_sess_lookup(t, true, &sk[i], j - i, &spos[i]);
		for (uint16_t x = i; x < j; x++) {
			struct vxg_nat_sess *s = spos[x] >= 0 ? &t->sess[spos[x]] : NULL;

			if (!nat_in_sess(w, sm[x], &sp[x], &sk[x], s, now))
				continue;
			o->pkts[o->n] = sm[x];
			o->vpc[o->n++] = sa[x]->vpc;
		}
		i = j;
	}
}

void
vxg_nat_in(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *punt[NAT_CHUNK];

	for (uint16_t first = 0; first < n; first += NAT_CHUNK) {
		struct nat_in o = {.n = 0};
		uint16_t n_punt = 0;

		nat_in_chunk(w, in, &pkts[first], RTE_MIN(NAT_CHUNK, n - first), &o, punt, &n_punt);
		if (n_punt > 0)
			vxg_punt_burst(w, punt, n_punt);
		if (o.n > 0)
			vxg_l3_from_outside(w, o.pkts, o.vpc, o.n);
	}
}

/* ---- Errors about inbound packets ------------------------------------------------------ */

/* The session of the inbound packet (remote -> inside, translated) that q quotes, its
 * L4 header at ql4: the reverse of its out key. NULL: none live. */
static const struct vxg_nat_sess *
nat_unquote_sess(const struct vxg_nat_table *t, const uint8_t *q, const uint8_t *ql4)
{
	const struct vxg_nat_sess *s;
	struct vxg_nat_key k;
	uint16_t so = L4_SPORT, dof = L4_DPORT;
	int32_t pos;

	if (q[9] == IPPROTO_ICMP) {
		if (!icmp_is_echo(ql4[0]))
			return NULL;
		so = dof = ICMP_ID;
	} else if (q[9] != IPPROTO_TCP && q[9] != IPPROTO_UDP) {
		return NULL;
	}
	nat_key(&k, q[9], ld32(q + IP_DST), ld32(q + IP_SRC), ld16(ql4 + dof), ld16(ql4 + so));
	pos = rte_hash_lookup(t->out_h, &k);
	if (pos < 0)
		return NULL;
	s = &t->sess[pos];
	/* acquire: the entry was written before its state; a reused one has another key */
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		memcmp(&s->out, &k, sizeof(k)) != 0)
		return NULL;
	return s;
}

bool
vxg_nat_in_unquote(const struct vxg_gen *g, uint16_t vpc, struct rte_mbuf *m, uint16_t l3)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, l3), *q, *ql4;
	const struct vxg_nat_table *t = g->vpcs[vpc].nat.sess;
	uint32_t avail = m->data_len > l3 ? m->data_len - l3 : 0;
	uint16_t hl = ip_hl(ip);
	struct vxg_nat_fkey fk;
	void *data;

	avail = RTE_MIN(avail, (uint32_t)rte_be_to_cpu_16(ld16(ip + 2)));
	q = ip + hl + 8;
	if (avail < (uint32_t)hl + 8 + sizeof(struct rte_ipv4_hdr) ||
		avail < (uint32_t)hl + 8 + ip_hl(q) + 8)
		return false;
	ql4 = q + ip_hl(q);
	/* SNAT first: a session is a whole 5-tuple, and an inside host's sessions outlive a
	 * floating IP it gets later (their replies still come to the SNAT address) */
	if (t != NULL && !(ld16(q + 6) & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK))) {
		const struct vxg_nat_sess *s = nat_unquote_sess(t, q, ql4);

		if (s != NULL)
			return vxg_nat_icmp_error(
				m, l3, true, ld32(ip + IP_SRC), t->addr, s->ext_port);
	}
	fk.vpc = vpc;
	fk.ip = ld32(q + IP_DST);
	if (g->nat.fixed == NULL || rte_hash_lookup_data(g->nat.fixed, &fk, &data) < 0)
		return false;
	return vxg_nat_icmp_error(
		m, l3, true, ld32(ip + IP_SRC), g->nat.addrs[(uintptr_t)data].ext, 0);
}

/* ---- Outbound ----------------------------------------------------------------------------- */

/*
 * Is m an echo request to one of the generation's SNAT addresses? The router owns those:
 * it answers, untranslated, as it answers a ping of a gateway (l3_local), the reply going
 * back into the network the sender's address routes to, whose VNI goes to *vni. What a
 * VM expects of a Linux router; translated and looped back in, the request would reach
 * the SNAT address from the SNAT address. A floating IP is another VM's: hairpin.
 */
static inline bool
nat_out_local(const struct vxg_gen *g, struct rte_mbuf *m, uint16_t vpc, uint32_t *vni)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);
	const struct vxg_l3_vpc *l3 = &g->vpcs[vpc].l3;
	rte_be32_t dst = ld32(ip + IP_DST);
	uint16_t hl = ip_hl(ip);
	uint32_t src, nhi;
	void *data;

	if (likely(ip[9] != IPPROTO_ICMP) || !nat_is_ours(&g->nat, dst) ||
		(ld16(ip + 6) & RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) ||
		m->data_len < m->l2_len + hl + 8 || ip[hl] != RTE_IP_ICMP_ECHO_REQUEST ||
		rte_hash_lookup_data(g->nat.ext, &dst, &data) < 0 ||
		g->nat.addrs[(uintptr_t)data].kind != VXG_NAT_SNAT)
		return false;
	src = rte_be_to_cpu_32(ld32(ip + IP_SRC));
	vxg_l3_lookup_bulk(l3, &src, &nhi, 1);
	if (nhi == VXG_L3_NO_ROUTE || l3->nhs[nhi].kind == VXG_NH_INTERFACE ||
		l3->nhs[nhi].gnet == UINT16_MAX)
		return false; /* not from inside: leave it to the hairpin */
	*vni = g->vx.nets[l3->nhs[nhi].gnet].vni;
	return true;
}

/* Hand m to control as the router's own (l3_punt): untagged, with its network's VNI. */
static inline void
nat_out_punt(struct rte_mbuf *m, uint32_t vni, struct rte_mbuf **punt, uint16_t *n_punt)
{
	struct vxg_meta *meta = vxg_meta(m);

	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m);
	meta->why = VXG_PUNT_ROUTER;
	meta->vni = vni;
	meta->nexthop = 0;
	punt[(*n_punt)++] = m;
}

/* The floating IP of each packet's source, if it has one (addr[i] NULL: none). */
static inline void
nat_fip_lookup(const struct vxg_gen *g, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n,
	const struct vxg_nat_addr **addr)
{
	struct vxg_nat_fkey keys[NAT_CHUNK];
	const void *kp[NAT_CHUNK];
	void *dv[NAT_CHUNK];
	uint64_t hits = 0;

	if (g->nat.fixed == NULL) {
		memset(addr, 0, sizeof(addr[0]) * n);
		return;
	}
	for (uint16_t i = 0; i < n; i++) {
		keys[i].vpc = vpc[i];
		keys[i].ip =
			ld32(rte_pktmbuf_mtod_offset(pkts[i], uint8_t *, pkts[i]->l2_len + IP_SRC));
		kp[i] = &keys[i];
	}
	rte_hash_lookup_bulk_data(g->nat.fixed, kp, n, &hits, dv);
	for (uint16_t i = 0; i < n; i++)
		addr[i] = (hits >> i) & 1 ? &g->nat.addrs[(uintptr_t)dv[i]] : NULL;
}

/* From a port with floating IP a. */
static inline bool
nat_out_fip(struct vxg_worker *w, struct rte_mbuf *m, const struct vxg_nat_addr *a)
{
	struct nat_pkt p;

	nat_parse(m, m->l2_len, &p);
	if (p.kind == L4_ERROR) {
		/* about a packet that came in to the floating IP */
		if (!vxg_nat_icmp_error(m, m->l2_len, true, a->ext, a->ext, 0)) {
			vxg_drop(w, m, VXG_DROP_nat_truncated);
			return false;
		}
		w->stats.events[VXG_EV_nat_icmp_error]++;
	} else {
		vxg_nat_rewrite(m, m->l2_len, a->ext, 0, 0, 0);
	}
	w->stats.events[VXG_EV_nat_fip_out]++;
	return true;
}

/* The outbound session key of SNAT packet m, or false (m dropped). */
static inline bool
nat_out_key(struct vxg_worker *w, struct rte_mbuf *m, struct nat_pkt *p, struct vxg_nat_key *k)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);

	nat_parse(m, m->l2_len, p);
	switch (p->kind) {
	case L4_PORTS:
		nat_key(k, p->proto, ld32(ip + IP_SRC), ld32(ip + IP_DST), p->sport, p->dport);
		return true;
	case L4_ECHO:
		if (p->icmp_type != RTE_IP_ICMP_ECHO_REQUEST)
			break; /* a reply: to whom? only floating IPs are reachable */
		nat_key(k, p->proto, ld32(ip + IP_SRC), ld32(ip + IP_DST), p->sport, p->dport);
		return true;
	case L4_ERROR:
		/* about a reply that came in: (remote) -> (inside); its session is the
		 * reverse */
		nat_key(k, p->qproto, p->qdst, p->qsrc, p->qdport, p->qsport);
		return true;
	case L4_FRAG:
		vxg_drop(w, m, VXG_DROP_nat_fragment);
		return false;
	case L4_SHORT:
		vxg_drop(w, m, VXG_DROP_nat_truncated);
		return false;
	default:
		break;
	}
	vxg_drop(w, m, VXG_DROP_nat_unsupported);
	return false;
}

/* SNAT the packets of one VPC; keep[i] false: dropped. */
static void
nat_out_snat(struct vxg_worker *w, const struct vxg_gen_nat *nat, struct rte_mbuf **pkts,
	uint16_t n, bool *keep)
{
	struct vxg_nat_table *t = nat->sess;
	struct vxg_nat_key keys[NAT_CHUNK];
	struct nat_pkt p[NAT_CHUNK];
	int32_t pos[NAT_CHUNK];
	uint16_t idx[NAT_CHUNK], k = 0;
	uint32_t now = vxg_worker_now(w);

	for (uint16_t i = 0; i < n; i++) {
		keep[i] = false;
		if (t == NULL) {
			keep[i] = true; /* floating IPs only: the rest leaves as it is */
			continue;
		}
		if (!nat_out_key(w, pkts[i], &p[k], &keys[k]))
			continue;
		idx[k++] = i;
	}
	if (k == 0)
		return;
	nat_sess_lookup(t, false, keys, k, pos);
	for (uint16_t j = 0; j < k; j++) {
		struct rte_mbuf *m = pkts[idx[j]];
		struct vxg_nat_sess *s = NULL;

		if (pos[j] >= 0 &&
			__atomic_load_n(&t->sess[pos[j]].state, __ATOMIC_ACQUIRE) != VXG_CT_NONE)
			s = &t->sess[pos[j]];
		if (p[j].kind == L4_ERROR) {
			if (s == NULL) {
				vxg_drop(w, m, VXG_DROP_nat_unsupported);
				continue;
			}
			if (!vxg_nat_icmp_error(
				    m, m->l2_len, true, t->addr, t->addr, s->ext_port)) {
				vxg_drop(w, m, VXG_DROP_nat_truncated);
				continue;
			}
			w->stats.events[VXG_EV_nat_icmp_error]++;
		} else {
			if (s == NULL) {
				bool created = false;
				int32_t r = nat_sess_create(t, &keys[j], w->id, w->n_workers,
					nat_first_state(p[j].proto, p[j].tcp_flags), now, &created);

				if (r < 0) {
					vxg_drop(w, m,
						r == -EADDRINUSE ? VXG_DROP_nat_ports_exhausted
								 : VXG_DROP_nat_table_full);
					continue;
				}
				s = &t->sess[r];
				if (created)
					w->stats.events[VXG_EV_nat_session_created]++;
				else /* an earlier packet of the chunk made it */
					nat_touch(s, true, p[j].tcp_flags, now);
			} else {
				nat_touch(s, true, p[j].tcp_flags, now);
			}
			vxg_nat_rewrite(m, m->l2_len, t->addr, s->ext_port, 0, 0);
			vxg_pcache_set(
				&w->nat_pc, vxg_pcache_sig(&keys[j]), (int32_t)(s - t->sess));
		}
		w->stats.events[VXG_EV_nat_snat_out]++;
		keep[idx[j]] = true;
	}
}

bool
vxg_nat_fast_out(
	struct vxg_worker *w, struct rte_mbuf *m, uint16_t vpc, uint16_t lsrc, uint32_t now)
{
	const struct vxg_gen *g = w->gen;
	struct vxg_nat_table *t = g->vpcs[vpc].nat.sess;
	struct vxg_nat_sess *s;
	struct vxg_nat_key k;
	struct vxg_flow5 f;
	int32_t pos;

	if (t == NULL || !vxg_flow5_parse(m, m->l2_len, &f) ||
		(f.proto == IPPROTO_ICMP && f.icmp_type != RTE_IP_ICMP_ECHO_REQUEST) ||
		nat_is_ours(&g->nat, f.dst))
		return false;
	nat_key(&k, f.proto, f.src, f.dst, f.sport, f.dport);
	pos = vxg_pcache_get(&w->nat_pc, vxg_pcache_sig(&k));
	if (pos < 0 || (uint32_t)pos >= t->n_sess)
		return false;
	s = &t->sess[pos];
	/* acquire: the entry was written before its state; a reused one has another key */
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		!vxg_key16_eq(&s->out, &k))
		return false;
	if (lsrc != 0 && !vxg_sg_fast(w, m, lsrc, 0, now))
		return false;
	nat_touch(s, true, f.tcp_flags, now);
	vxg_nat_rewrite(m, m->l2_len, t->addr, s->ext_port, 0, 0);
	w->stats.events[VXG_EV_nat_snat_out]++;
	w->stats.events[VXG_EV_nat_cached]++;
	return true;
}

unsigned
vxg_nat_out(
	struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n, uint8_t *res)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_nat_addr *fip[NAT_CHUNK];
	struct rte_mbuf *sn[NAT_CHUNK], *punt[NAT_CHUNK];
	uint16_t sidx[NAT_CHUNK], k = 0, n_punt = 0;
	bool keep[NAT_CHUNK];
	unsigned loops = 0;
	uint32_t vni;

	RTE_ASSERT(n <= NAT_CHUNK);
	nat_fip_lookup(g, pkts, vpc, n, fip);
	for (uint16_t i = 0; i < n; i++) {
		res[i] = VXG_NAT_DROPPED;
		if (unlikely(nat_out_local(g, pkts[i], vpc[i], &vni))) {
			nat_out_punt(pkts[i], vni, punt, &n_punt);
			res[i] = VXG_NAT_LOCAL;
			continue;
		}
		if (fip[i] != NULL) {
			if (nat_out_fip(w, pkts[i], fip[i]))
				res[i] = VXG_NAT_TX;
			continue;
		}
		sn[k] = pkts[i];
		sidx[k++] = i;
	}
	/* SNAT, one VPC at a time (a chunk is mostly one VPC's) */
	for (uint16_t i = 0; i < k;) {
		uint16_t j = i + 1;

		while (j < k && vpc[sidx[j]] == vpc[sidx[i]])
			j++;
		nat_out_snat(w, &g->vpcs[vpc[sidx[i]]].nat, &sn[i], j - i, &keep[i]);
		for (uint16_t x = i; x < j; x++)
			if (keep[x])
				res[sidx[x]] = VXG_NAT_TX;
		i = j;
	}
	/* to one of our own NAT addresses: back in, as if it came from outside */
	for (uint16_t i = 0; i < n; i++) {
		if (res[i] != VXG_NAT_TX)
			continue;
		rte_be32_t dst =
			ld32(rte_pktmbuf_mtod_offset(pkts[i], uint8_t *, pkts[i]->l2_len + IP_DST));

		if (unlikely(nat_is_ours(&g->nat, dst)) && rte_hash_lookup(g->nat.ext, &dst) >= 0) {
			res[i] = VXG_NAT_LOOP;
			loops++;
		}
	}
	if (n_punt > 0)
		vxg_punt_burst(w, punt, n_punt);
	return loops;
}
