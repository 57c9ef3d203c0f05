/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security groups for IPv6 frames: sg.c hands them here where its IPv4 checks fail. The
 * same stage as IPv4's: a packet of a known connection passes on the conntrack hit path
 * (the VPC's IPv6 table, vxg_ct6.h), the others are classified by the IPv6 rules (rte_acl,
 * struct vxg_sg6_key: the sender's egress rules, the receiver's ingress rules) and a new
 * connection a stateful rule allowed is tracked. Extension headers are skipped; a later
 * fragment passes (its first fragment was checked). ICMPv6 errors (types 1-4) about a
 * tracked connection pass as related; Neighbour Discovery (133-137) and MLD (130-132,
 * 143) always pass, as Neutron lets them (port security is what holds a VM to its own
 * advertisements); echo requests open a connection that echo replies match by identifier.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "sg/sg_priv.h"
#include "vxg_ct6.h"

#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define EXT_MAX 8 /* extension headers followed before the transport header */

enum sg6_kind {
	SG6_PASS, /* ND, MLD, a later fragment */
	SG6_DROP, /* a truncated or bad header */
	SG6_TRACK,
};

struct sg6_pkt {
	struct vxg_ct6_key key;
	bool swapped;
	uint8_t kind;
	uint8_t proto;
	uint8_t tcp_flags;
	bool track; /* a connection to open if allowed */
	bool related; /* an ICMPv6 error: key is the connection it is about */
	uint16_t l4; /* rule key: destination port, or ICMPv6 type << 8 | code */
	uint16_t vpc;
	const uint8_t *src, *dst; /* in the packet */
	const struct vxg_gen_lport *ls, *ld;
	uint16_t lsrc, ldst;
	struct vxg_ct6 *ct;
};

static inline bool
sg6_is_ext(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_FRAGMENT ||
	       nh == IPPROTO_DSTOPTS || nh == IPPROTO_AH;
}

/*
 * Past the extension headers from *off (next header *nh): false if truncated; *later set
 * for a fragment that is not the first.
 */
static bool
sg6_skip_ext(const struct rte_mbuf *m, uint16_t *off, uint8_t *nh, bool *later)
{
	*later = false;
	for (unsigned k = 0; k < EXT_MAX && sg6_is_ext(*nh); k++) {
		const uint8_t *x;
		size_t len;
		int next;

		if (m->data_len < *off + 8u)
			return false;
		x = rte_pktmbuf_mtod_offset(m, const uint8_t *, *off);
		if (*nh == IPPROTO_FRAGMENT && ((x[2] << 8 | x[3]) & 0xfff8) != 0) {
			*later = true;
			return true;
		}
		next = rte_ipv6_get_next_ext(x, *nh, &len);
		if (next < 0)
			return false;
		*off = (uint16_t)(*off + len);
		*nh = (uint8_t)next;
	}
	return true;
}

/* The connection an ICMPv6 error is about: its quoted header, seen from the other side. */
static bool
sg6_parse_related(struct sg6_pkt *p, const struct rte_mbuf *m, uint16_t off)
{
	const struct rte_ipv6_hdr *in;
	const rte_be16_t *l4;
	uint8_t nh;

	if (m->data_len < off + sizeof(*in) + 8)
		return false;
	in = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, off);
	l4 = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, off + sizeof(*in));
	nh = in->proto;
	if (nh == IPPROTO_ICMPV6)
		p->swapped =
			vxg_ct6_key_make(&p->key, nh, in->src_addr, in->dst_addr, l4[2], l4[2]);
	else if (nh == IPPROTO_TCP || nh == IPPROTO_UDP || nh == IPPROTO_SCTP)
		p->swapped =
			vxg_ct6_key_make(&p->key, nh, in->src_addr, in->dst_addr, l4[0], l4[1]);
	else
		p->swapped = vxg_ct6_key_make(&p->key, nh, in->src_addr, in->dst_addr, 0, 0);
	return true;
}

/* ICMPv6: the key's identifier, or p->kind set (PASS, related TRACK). Returns the
 * identifier of an echo (0 otherwise). */
static rte_be16_t
sg6_parse_icmp(struct sg6_pkt *p, const struct rte_mbuf *m, uint16_t off)
{
	const uint8_t *ic = rte_pktmbuf_mtod_offset(m, const uint8_t *, off);
	uint8_t type = ic[0];

	p->l4 = (uint16_t)(type << 8 | ic[1]);
	if (type >= 1 && type <= 4 && sg6_parse_related(p, m, off + 8)) {
		p->related = true;
		p->kind = SG6_TRACK;
		return 0;
	}
	if ((type >= 130 && type <= 137) || type == 143) {
		p->kind = SG6_PASS; /* MLD, RS, RA, NS, NA, redirect */
		return 0;
	}
	p->track = type == ICMP6_ECHO_REQUEST;
	if (type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY)
		return *(const rte_be16_t *)(ic + 4);
	return 0;
}

/* Fill p from the frame: VXG_DROP_MAX, or why it is dropped (p->kind SG6_DROP). */
static unsigned
sg6_parse(struct sg6_pkt *p, const struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip;
	uint16_t off = (uint16_t)(m->l2_len + sizeof(*ip));
	rte_be16_t sport = 0, dport = 0;
	bool later;
	uint8_t nh;

	p->kind = SG6_DROP;
	p->track = p->related = false;
	p->tcp_flags = 0;
	p->l4 = 0;
	if (m->data_len < off)
		return VXG_DROP_ip_bad_header;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, m->l2_len);
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6)
		return VXG_DROP_ip_bad_header;
	p->src = ip->src_addr;
	p->dst = ip->dst_addr;
	nh = ip->proto;
	if (!sg6_skip_ext(m, &off, &nh, &later))
		return VXG_DROP_ip_bad_header;
	if (later) {
		p->kind = SG6_PASS;
		return VXG_DROP_MAX;
	}
	p->proto = nh;
	p->kind = SG6_TRACK;
	switch (nh) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP: {
		const rte_be16_t *ports;

		if (m->data_len < off + (nh == IPPROTO_TCP ? 14 : 4))
			goto bad;
		ports = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, off);
		sport = ports[0];
		dport = ports[1];
		p->l4 = rte_be_to_cpu_16(dport);
		if (nh == IPPROTO_TCP)
			p->tcp_flags = *rte_pktmbuf_mtod_offset(m, const uint8_t *, off + 13);
		p->track = !(p->tcp_flags & RTE_TCP_RST_FLAG);
		break;
	}
	case IPPROTO_ICMPV6:
		if (m->data_len < off + 8)
			goto bad;
		sport = dport = sg6_parse_icmp(p, m, off);
		if (p->related || p->kind == SG6_PASS)
			return VXG_DROP_MAX;
		break;
	default:
		p->track = !sg6_is_ext(nh);
		break;
	}
	p->swapped = vxg_ct6_key_make(&p->key, nh, p->src, p->dst, sport, dport);
	return VXG_DROP_MAX;
bad:
	p->kind = SG6_DROP;
	return VXG_DROP_ip_bad_header;
}

static inline uint8_t
sg6_ct_first(const struct sg6_pkt *p)
{
	switch (p->proto) {
	case IPPROTO_TCP:
		if ((p->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG)
			return VXG_CT_TCP_SYN_SENT;
		return VXG_CT_TCP_ESTABLISHED;
	case IPPROTO_UDP:
		return VXG_CT_UDP_NEW;
	case IPPROTO_ICMPV6:
		return VXG_CT_ICMP_NEW;
	default:
		return VXG_CT_OTHER_NEW;
	}
}

/* Do the current rules still allow the first packet of e (allowed under an older
 * generation)? */
static bool
sg6_revalidate(const struct vxg_gen *g, const struct vxg_ct6_entry *e)
{
	unsigned o = e->orig ? 1 : 0;
	const struct vxg_gen_lport *ls = sg_filtered(g, e->lport[0]),
				   *ld = sg_filtered(g, e->lport[1]);
	uint16_t l4 = rte_be_to_cpu_16(e->key.port[1 - o]);
	struct vxg_sg6_key k;
	const uint8_t *kp = (const uint8_t *)&k;
	uint32_t res;

	if (e->key.proto == IPPROTO_ICMPV6)
		l4 = ICMP6_ECHO_REQUEST << 8;
	else if (e->key.proto != IPPROTO_TCP && e->key.proto != IPPROTO_UDP &&
		 e->key.proto != IPPROTO_SCTP)
		l4 = 0;
	if (ls != NULL) {
		vxg_sg6_key_set(&k, e->key.proto, ls->vpc_port, e->key.addr[1 - o], l4);
		vxg_sg6_classify(&g->vpcs[ls->vpc_idx].sg, VXG_DIR_EGRESS, &kp, &res, 1);
		if (res == 0)
			return false;
	}
	if (ld != NULL) {
		vxg_sg6_key_set(&k, e->key.proto, ld->vpc_port, e->key.addr[o], l4);
		vxg_sg6_classify(&g->vpcs[ld->vpc_idx].sg, VXG_DIR_INGRESS, &kp, &res, 1);
		if (res == 0)
			return false;
	}
	return true;
}

/* A conntrack hit: pass (1), blocked (0), or not usable (-1). */
static int
sg6_ct_hit(struct vxg_worker *w, const struct vxg_gen *g, const struct sg6_pkt *p,
	struct vxg_ct6_entry *e, uint32_t now)
{
	uint8_t state = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);

	if (state == VXG_CT_NONE || vxg_ct6_expired(e, now))
		return -1;
	if (unlikely(e->gen != (uint32_t)g->id)) {
		if (sg6_revalidate(g, e))
			e->flags &= (uint8_t)~VXG_CT_F_BLOCKED;
		else
			e->flags |= VXG_CT_F_BLOCKED;
		e->gen = (uint32_t)g->id;
		w->stats.events[VXG_EV_ct_revalidated]++;
	}
	if (e->flags & VXG_CT_F_BLOCKED) {
		if (e->seen != now)
			e->seen = now;
		return 0;
	}
	if (!p->related)
		vxg_ct6_touch(e, vxg_ct6_from_orig(e, p->swapped), p->tcp_flags, now);
	return 1;
}

/* Packet trace, as sg.c's sg_trace. */
static __rte_noinline __rte_cold void
sg6_trace(struct vxg_worker *w, const struct rte_mbuf *m, const struct sg6_pkt *q, uint8_t code,
	uint32_t a, uint32_t b, const struct vxg_ct6_entry *e)
{
	if (e != NULL) {
		if (code == VXG_TR_SG_ESTABLISHED && !vxg_ct6_from_orig(e, q->swapped))
			code = VXG_TR_SG_REPLY;
		if (code == VXG_TR_SG_ESTABLISHED && q->related)
			code = VXG_TR_SG_RELATED;
		a = e->state;
		b = 0;
	} else {
		a = q->ls != NULL ? a : UINT32_MAX;
		b = q->ld != NULL ? b : UINT32_MAX;
	}
	vxg_trace_ev(w, m, VXG_TR_SG, code, q->vpc, a, b, q->lsrc, q->ldst);
}

/* Parse and look up one packet: its verdict, or true in *miss when the rules decide. */
static unsigned
sg6_first(struct vxg_worker *w, struct rte_mbuf *m, struct sg6_pkt *q, uint32_t now, bool *miss)
{
	const struct vxg_gen *g = w->gen;
	unsigned verdict = sg6_parse(q, m);
	const struct vxg_ct *ct;
	int32_t pos;
	int hit = -1;

	*miss = false;
	q->vpc = (q->ls != NULL ? q->ls : q->ld)->vpc_idx;
	if (q->kind != SG6_TRACK) {
		if (vxg_traced(w, m))
			sg6_trace(w, m, q, q->kind == SG6_PASS ? VXG_TR_SG_PASS : VXG_TR_SG_BAD, 0,
				0, NULL);
		sg_count_ports(w, q->ls, q->lsrc, q->ld, q->ldst, q->kind == SG6_PASS);
		return verdict;
	}
	ct = g->vpcs[q->vpc].ct;
	q->ct = ct != NULL ? vxg_ct6_of(ct) : NULL;
	if (q->ct != NULL && (pos = rte_hash_lookup(q->ct->h, &q->key)) >= 0) {
		hit = sg6_ct_hit(w, g, q, &q->ct->entries[pos], now);
		if (hit >= 0 && vxg_traced(w, m))
			sg6_trace(w, m, q, hit > 0 ? VXG_TR_SG_ESTABLISHED : VXG_TR_SG_BLOCKED, 0,
				0, &q->ct->entries[pos]);
	}
	if (hit > 0) {
		vxg_pcache_set(&w->ct_pc, vxg_ct6_sig(&q->key), pos);
		w->stats.events[VXG_EV_ct_hit]++;
	} else if (hit < 0) {
		*miss = true;
		return VXG_DROP_MAX;
	}
	sg_count_ports(w, q->ls, q->lsrc, q->ld, q->ldst, hit > 0);
	return hit > 0 ? VXG_DROP_MAX : VXG_DROP_sg_blocked;
}

/* Classify n keys of one direction; runs of one VPC share a classify call. */
static void
sg6_classify_dir(const struct vxg_gen *g, enum vxg_dir dir, const struct vxg_sg6_key *keys,
	const uint16_t *vpc, uint32_t *res, uint16_t n)
{
	const uint8_t *kp[SG_CHUNK];
	uint16_t start = 0;

	for (uint16_t j = 0; j < n; j++)
		kp[j] = (const uint8_t *)&keys[j];
	for (uint16_t j = 1; j <= n; j++) {
		if (j < n && vpc[j] == vpc[start])
			continue;
		vxg_sg6_classify(&g->vpcs[vpc[start]].sg, dir, &kp[start], &res[start], j - start);
		start = j;
	}
}

static inline uint8_t
sg6_trace_code(unsigned verdict, bool created)
{
	if (verdict == VXG_DROP_conntrack_full)
		return VXG_TR_SG_FULL;
	if (verdict != VXG_DROP_MAX)
		return VXG_TR_SG_DENY;
	return created ? VXG_TR_SG_NEW : VXG_TR_SG_ALLOW;
}

/* The rules' verdict on a missed packet q (er, ir: its egress and ingress results). */
static unsigned
sg6_decide(struct vxg_worker *w, struct rte_mbuf *m, struct sg6_pkt *q, uint32_t er, uint32_t ir,
	uint32_t now)
{
	const struct vxg_gen *g = w->gen;
	bool stateful = false, created = false;
	unsigned verdict = VXG_DROP_MAX;
	int32_t cpos;

	if (q->ls != NULL) {
		sg_hit(w, g, q->ls->vpc_idx, er);
		stateful |= sg_ref_stateful(g, q->ls->vpc_idx, er);
	}
	if (q->ld != NULL) {
		sg_hit(w, g, q->ld->vpc_idx, ir);
		stateful |= sg_ref_stateful(g, q->ld->vpc_idx, ir);
	}
	if (er == 0 || ir == 0) {
		verdict = er == 0 ? VXG_DROP_sg_egress_deny : VXG_DROP_sg_ingress_deny;
	} else if (stateful && q->track && q->ct != NULL) {
		cpos = vxg_ct6_create(q->ct, &q->key, q->swapped, sg6_ct_first(q), (uint32_t)g->id,
			q->lsrc, q->ldst, now);
		if (likely(cpos >= 0)) {
			vxg_pcache_set(&w->ct_pc, vxg_ct6_sig(&q->key), cpos);
			w->stats.events[VXG_EV_ct_created]++;
			created = true;
		} else {
			verdict = VXG_DROP_conntrack_full;
		}
	}
	if (vxg_traced(w, m))
		sg6_trace(w, m, q, sg6_trace_code(verdict, created), er, ir, NULL);
	sg_count_ports(w, q->ls, q->lsrc, q->ld, q->ldst, verdict == VXG_DROP_MAX);
	return verdict;
}

void
vxg_sg6_chunk(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *lsrc,
	const uint16_t *ldst, const uint16_t *idx, uint16_t n, unsigned *verdict)
{
	const struct vxg_gen *g = w->gen;
	struct sg6_pkt p[SG_CHUNK];
	struct vxg_sg6_key ek[SG_CHUNK], ik[SG_CHUNK];
	uint16_t ev[SG_CHUNK], iv[SG_CHUNK], miss[SG_CHUNK], ne = 0, ni = 0, nm = 0;
	uint32_t eres[SG_CHUNK], ires[SG_CHUNK];
	uint32_t now = vxg_worker_now(w);

	for (uint16_t j = 0; j < n; j++) {
		uint16_t i = idx[j];
		struct sg6_pkt *q = &p[j];
		bool missed;

		q->ls = sg_filtered(g, lsrc[i]);
		q->ld = sg_filtered(g, ldst[i]);
		q->lsrc = lsrc[i];
		q->ldst = ldst[i];
		verdict[i] = sg6_first(w, pkts[i], q, now, &missed);
		if (!missed)
			continue;
		miss[nm++] = j;
		if (q->ls != NULL) {
			vxg_sg6_key_set(&ek[ne], q->proto, q->ls->vpc_port, q->dst, q->l4);
			ev[ne++] = q->ls->vpc_idx;
		}
		if (q->ld != NULL) {
			vxg_sg6_key_set(&ik[ni], q->proto, q->ld->vpc_port, q->src, q->l4);
			iv[ni++] = q->ld->vpc_idx;
		}
	}
	if (ne > 0)
		sg6_classify_dir(g, VXG_DIR_EGRESS, ek, ev, eres, ne);
	if (ni > 0)
		sg6_classify_dir(g, VXG_DIR_INGRESS, ik, iv, ires, ni);
	for (uint16_t k = 0, e = 0, in = 0; k < nm; k++) {
		struct sg6_pkt *q = &p[miss[k]];
		uint16_t i = idx[miss[k]];
		uint32_t er = q->ls != NULL ? eres[e++] : 1, ir = q->ld != NULL ? ires[in++] : 1;

		verdict[i] = sg6_decide(w, pkts[i], q, er, ir, now);
	}
}

/* The transport of a frame the fast path can take: TCP, UDP or an ICMPv6 echo, with no
 * extension header. False: leave it to vxg_sg6_chunk. */
static inline bool
sg6_fast_parse(const struct rte_mbuf *m, struct vxg_ct6_key *key, bool *swapped, uint8_t *flags)
{
	const struct rte_ipv6_hdr *ip;
	uint16_t off = (uint16_t)(m->l2_len + sizeof(*ip));
	const rte_be16_t *l4;
	rte_be16_t sport, dport;

	if (*rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2) !=
			RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
		m->data_len < off + 14)
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, m->l2_len);
	l4 = rte_pktmbuf_mtod_offset(m, const rte_be16_t *, off);
	*flags = 0;
	if (ip->proto == IPPROTO_TCP || ip->proto == IPPROTO_UDP) {
		sport = l4[0];
		dport = l4[1];
		if (ip->proto == IPPROTO_TCP)
			*flags = *rte_pktmbuf_mtod_offset(m, const uint8_t *, off + 13);
	} else if (ip->proto == IPPROTO_ICMPV6) {
		uint8_t type = *(const uint8_t *)l4;

		if (type != ICMP6_ECHO_REQUEST && type != ICMP6_ECHO_REPLY)
			return false;
		sport = dport = l4[2];
	} else {
		return false;
	}
	*swapped = vxg_ct6_key_make(key, ip->proto, ip->src_addr, ip->dst_addr, sport, dport);
	return true;
}

bool
vxg_sg6_fast(struct vxg_worker *w, const struct rte_mbuf *m, const struct vxg_gen_lport *ls,
	uint16_t lsrc, const struct vxg_gen_lport *ld, uint16_t ldst, const struct vxg_ct *ct,
	uint32_t now)
{
	const struct vxg_ct6 *t = vxg_ct6_of(ct);
	struct vxg_ct6_entry *e;
	struct vxg_ct6_key key;
	uint8_t tcp_flags;
	bool swapped;
	int32_t pos;

	if (t == NULL || !sg6_fast_parse(m, &key, &swapped, &tcp_flags))
		return false;
	pos = vxg_pcache_get(&w->ct_pc, vxg_ct6_sig(&key));
	if (pos < 0 || (uint32_t)pos >= t->n_entries)
		return false;
	e = &t->entries[pos];
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		!vxg_ct6_key_eq(&e->key, &key) || vxg_ct6_expired(e, now) ||
		e->gen != (uint32_t)w->gen->id || (e->flags & VXG_CT_F_BLOCKED))
		return false;
	vxg_ct6_touch(e, vxg_ct6_from_orig(e, swapped), tcp_flags, now);
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_SG,
			(vxg_ct6_from_orig(e, swapped) ? VXG_TR_SG_ESTABLISHED : VXG_TR_SG_REPLY) |
				VXG_TR_SG_CACHED,
			(ls != NULL ? ls : ld)->vpc_idx, e->state, 0, lsrc, ldst);
	w->stats.events[VXG_EV_ct_hit]++;
	w->stats.events[VXG_EV_ct_cached]++;
	sg_count_ports(w, ls, lsrc, ld, ldst, true);
	return true;
}

/* ---- Floods ------------------------------------------------------------------------------ */

/* As sg.c's sg_flood_reply: the ports whose tracked connection the frame answers. */
static void
sg6_flood_reply(const struct vxg_gen *g, const struct vxg_gen_net *net, const struct sg6_pkt *p,
	struct vxg_sg_flood_pkt *fp)
{
	const struct vxg_ct *ct = g->vpcs[net->vpc_idx].ct;
	const struct vxg_ct6 *t = ct != NULL ? vxg_ct6_of(ct) : NULL;
	const struct vxg_ct6_entry *e;
	int32_t pos;

	if (t == NULL || (pos = rte_hash_lookup(t->h, &p->key)) < 0)
		return;
	e = &t->entries[pos];
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		vxg_ct6_expired(e, vxg_ct_now()) || e->gen != (uint32_t)g->id ||
		(e->flags & VXG_CT_F_BLOCKED))
		return;
	if (p->related) {
		fp->reply_to[0] = e->lport[0];
		fp->reply_to[1] = e->lport[1];
	} else if (!vxg_ct6_from_orig(e, p->swapped)) {
		fp->reply_to[0] = e->lport[0];
	}
}

void
vxg_sg6_flood_parse(struct vxg_worker *w, const struct vxg_gen_net *net, const struct rte_mbuf *m,
	struct vxg_sg_flood_pkt *fp)
{
	struct sg6_pkt p;

	fp->v6 = true;
	fp->drop = sg6_parse(&p, m);
	fp->pass = p.kind == SG6_PASS;
	if (p.kind != SG6_TRACK)
		return;
	fp->proto = p.proto;
	fp->l4 = p.l4;
	memcpy(fp->src6, p.src, sizeof(fp->src6));
	sg6_flood_reply(w->gen, net, &p, fp);
}

void
vxg_sg6_flood_classify(const struct vxg_gen *g, const struct vxg_gen_net *net,
	const struct vxg_sg_flood_pkt *fp, const uint16_t *lports, uint32_t *res, uint16_t n)
{
	struct vxg_sg6_key keys[SG_CHUNK];
	const uint8_t *kp[SG_CHUNK];

	for (uint16_t j = 0; j < n; j++) {
		vxg_sg6_key_set(
			&keys[j], fp->proto, g->lports[lports[j] - 1].vpc_port, fp->src6, fp->l4);
		kp[j] = (const uint8_t *)&keys[j];
	}
	vxg_sg6_classify(&g->vpcs[net->vpc_idx].sg, VXG_DIR_INGRESS, kp, res, n);
}
