/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT inbound: what an external interface receives for one of vxgate's floating IPs or
 * SNAT addresses is translated back to the inside (a floating IP's port, or the SNAT
 * session of the reply) and handed back to the router, which routes it into the VPC. A
 * ping of an SNAT address from outside goes to control, which answers it. And the quote
 * of an ICMP error the router sends back out about such a packet is translated back, so
 * that its sender recognises its own packet.
 */
#include <string.h>

#include <rte_hash.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "nat/nat_out.h"
#include "nat/nat_pkt.h"
#include "nat/nat_rewrite.h"
#include "pipeline.h"
#include "vxg_ct.h"
#include "vxg_ipv4.h"
#include "vxg_nat.h"
#include "vxg_pcache.h"

/* Is s the live session of inbound key ik? The whole key is checked: an in_out entry
 * may be stale. */
static inline bool
nat_in_match(const struct vxg_nat_sess *s, const struct vxg_nat_key *ik)
{
	return s != NULL && __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != VXG_CT_NONE &&
	       s->ext_port == ik->dport && s->ext_addr == ik->dst && s->out.dst == ik->src &&
	       s->out.proto == ik->proto &&
	       (ik->proto == IPPROTO_ICMP || s->out.dport == ik->sport);
}

/* Count packet m of forward r (-1: none) for this worker. */
static inline void
nat_fwd_hit(struct vxg_worker *w, int32_t r, const struct rte_mbuf *m, bool new_sess)
{
	struct vxg_nat_fwd_ctr *c;

	w->stats.events[VXG_EV_nat_fwd_in]++;
	if (r < 0)
		return;
	c = vxg_nat_fwd_ctr(&w->gen->nat, w->id, (uint32_t)r);
	c->pkts++;
	c->bytes += rte_pktmbuf_pkt_len(m);
	c->sess += new_sess;
}

/*
 * The destination address and port of TCP or UDP packet m (L4_PORTS: the first fragment,
 * its ports there) to dst:dport, both checksums updated at once (RFC 1624 eqn. 3; a zero
 * UDP checksum stays zero). False: too short for its L4 checksum, left to
 * vxg_nat_rewrite.
 */
static inline bool
nat_in_rewrite(struct rte_mbuf *m, rte_be32_t dst, rte_be16_t dport)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len), *l4 = ip + ip_hl(ip);
	bool udp = ip[9] == IPPROTO_UDP;
	uint8_t *ck = l4 + (udp ? UDP_CKSUM : TCP_CKSUM);
	rte_be32_t od = ld32(ip + IP_DST);
	uint32_t d =
		(uint16_t) ~(od & 0xffff) + (uint16_t) ~(od >> 16) + (dst & 0xffff) + (dst >> 16);
	rte_be16_t c;

	if (unlikely(ck + 2 > rte_pktmbuf_mtod(m, uint8_t *) + m->data_len))
		return false;
	st16(ip + IP_CKSUM, (rte_be16_t)~vxg_cksum_fold((uint16_t)~ld16(ip + IP_CKSUM) + d));
	c = ld16(ck);
	if (!udp || c != 0) {
		c = (rte_be16_t)~vxg_cksum_fold(
			(uint16_t)~c + d + (uint16_t)~ld16(l4 + L4_DPORT) + dport);
		st16(ck, udp && c == 0 ? 0xffff : c);
	}
	st32(ip + IP_DST, dst);
	st16(l4 + L4_DPORT, dport);
	return true;
}

/* Translate inbound packet m to the inside of session s, which matches its key ik (a the
 * address it came to). */
static inline bool
nat_in_sess(struct vxg_worker *w, struct rte_mbuf *m, const struct nat_pkt *p,
	const struct vxg_nat_key *ik, const struct vxg_nat_addr *a, struct vxg_nat_sess *s,
	uint32_t now)
{
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT,
			p->kind == L4_ERROR ? VXG_TR_NAT_ICMP_IN : VXG_TR_NAT_SNAT_IN, 0, ik->dst,
			s->out.src, ik->dport, s->out.sport);
	if (p->kind == L4_ERROR) {
		if (!vxg_nat_icmp_error(
			    m, m->l2_len, false, s->out.src, s->out.src, s->out.sport)) {
			vxg_drop(w, m, VXG_DROP_nat_truncated);
			return false;
		}
		w->stats.events[VXG_EV_nat_icmp_error]++;
	} else {
		if (p->kind != L4_PORTS || !nat_in_rewrite(m, s->out.src, s->out.sport))
			vxg_nat_rewrite(m, m->l2_len, 0, 0, s->out.src, s->out.sport);
		nat_touch(s, false, p->tcp_flags, now);
	}
	if (unlikely(s->flags & VXG_NAT_F_FWD))
		nat_fwd_hit(w,
			vxg_nat_fwd_find(&w->gen->nat, a->fwd_first, a->fwd_n, ik->dst, ik->proto,
				rte_be_to_cpu_16(ik->dport)),
			m, false);
	else
		w->stats.events[VXG_EV_nat_snat_in]++;
	return true;
}

/* A new inbound flow of key ik to forward r of t's VPC: its session (the target's side as
 * out key), then translated. */
static bool
nat_in_fwd_new(struct vxg_worker *w, struct vxg_nat_table *t, struct rte_mbuf *m,
	const struct nat_pkt *p, const struct vxg_nat_key *ik, int32_t r, uint32_t now)
{
	const struct vxg_nat_fwd *f = &w->gen->nat.fwds[r];
	uint16_t to = f->to_min + (rte_be_to_cpu_16(ik->dport) - f->port_min);
	uint8_t state = p->proto == IPPROTO_UDP ? VXG_CT_UDP_NEW
			: (p->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG
				? VXG_CT_TCP_SYN_SENT
				: VXG_CT_TCP_ESTABLISHED;
	struct vxg_nat_key k;
	bool created = false;
	int32_t pos;

	nat_key(&k, ik->proto, f->to, ik->src, rte_cpu_to_be_16(to), ik->sport);
	pos = vxg_nat_sess_insert(
		t, &k, ik, ik->dst, ik->dport, VXG_NAT_F_FWD, state, now, &created);
	if (pos < 0) {
		vxg_drop(w, m, VXG_DROP_nat_table_full);
		return false;
	}
	if (!created && !nat_in_match(&t->sess[pos], ik)) {
		vxg_drop(w, m, VXG_DROP_nat_no_session); /* the target's key is another's */
		return false;
	}
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT, VXG_TR_NAT_FWD_NEW, 0, ik->dst, f->to, ik->dport,
			rte_cpu_to_be_16(to));
	vxg_nat_rewrite(m, m->l2_len, 0, 0, f->to, rte_cpu_to_be_16(to));
	w->stats.events[VXG_EV_nat_fwd_session] += created;
	nat_fwd_hit(w, r, m, created);
	return true;
}

/*
 * A hairpin (from inside) to an SNAT mapping no session of the sender's reaches: the
 * session that holds the port (t's owner cache) takes it, endpoint-independent filtering
 * (a VPC's members reach each other's mappings, as RFC 4787 REQ-9 wants for hairpinning).
 * Its replies open the target's own session to the sender's mapping, which later packets
 * then match.
 */
static bool
nat_in_mapping(struct vxg_worker *w, struct vxg_nat_table *t, struct rte_mbuf *m,
	const struct vxg_nat_key *ik)
{
	uint32_t v = __atomic_load_n(
		&t->owner[vxg_nat_proto_idx(ik->proto) * 65536 + rte_be_to_cpu_16(ik->dport)],
		__ATOMIC_RELAXED);
	const struct vxg_nat_sess *s;

	if (v == 0 || v > t->n_sess)
		return false;
	s = &t->sess[v - 1];
	/* acquire: the entry was written before its state; a reused one has another port */
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		(s->flags & VXG_NAT_F_FWD) || s->ext_port != ik->dport || s->ext_addr != ik->dst ||
		s->out.proto != ik->proto)
		return false;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT, VXG_TR_NAT_SNAT_IN, 0, ik->dst, s->out.src,
			ik->dport, s->out.sport);
	vxg_nat_rewrite(m, m->l2_len, 0, 0, s->out.src, s->out.sport);
	w->stats.events[VXG_EV_nat_snat_in]++;
	return true;
}

/* Inbound m of key ik (to address a of t's VPC) matched no session: a new flow to a port
 * forward, or a hairpin to an SNAT mapping; else dropped. */
static bool
nat_in_miss(struct vxg_worker *w, struct vxg_nat_table *t, struct rte_mbuf *m,
	const struct nat_pkt *p, const struct vxg_nat_key *ik, const struct vxg_nat_addr *a,
	bool hairpin, uint32_t now)
{
	if (p->kind == L4_PORTS && a->fwd_n > 0) {
		int32_t r = vxg_nat_fwd_find(&w->gen->nat, a->fwd_first, a->fwd_n, ik->dst,
			ik->proto, rte_be_to_cpu_16(ik->dport));

		if (r >= 0)
			return nat_in_fwd_new(w, t, m, p, ik, r, now);
	}
	if (hairpin && p->kind == L4_PORTS && a->kind == VXG_NAT_SNAT &&
		nat_in_mapping(w, t, m, ik))
		return true;
	vxg_drop(w, m, VXG_DROP_nat_no_session);
	return false;
}

/*
 * The session positions of n inbound keys of t (pos[i] < 0: none live): from the worker's
 * exact-match cache, checked against the entry as a stale or colliding position must be,
 * else by one bulk lookup of those it misses, whose hits the cache then takes.
 */
static inline void
nat_in_lookup(struct vxg_worker *w, const struct vxg_nat_table *t, const struct vxg_nat_key *keys,
	uint16_t n, int32_t *pos)
{
	struct vxg_nat_key mk[VXG_NAT_CHUNK];
	uint32_t sig[VXG_NAT_CHUNK];
	uint16_t miss[VXG_NAT_CHUNK], nm = 0;
	int32_t mpos[VXG_NAT_CHUNK];

	for (uint16_t i = 0; i < n; i++) {
		int32_t p;

		sig[i] = vxg_pcache_sig(&keys[i]);
		p = vxg_pcache_get(&w->nat_in_pc, sig[i]);
		if (p >= 0 && (uint32_t)p < t->n_sess && nat_in_match(&t->sess[p], &keys[i])) {
			pos[i] = p;
			w->stats.events[VXG_EV_nat_in_cached]++;
			continue;
		}
		mk[nm] = keys[i];
		miss[nm++] = i;
	}
	if (nm == 0)
		return;
	nat_sess_lookup(t, true, mk, nm, mpos);
	for (uint16_t k = 0; k < nm; k++) {
		pos[miss[k]] = mpos[k];
		if (mpos[k] >= 0 && nat_in_match(&t->sess[mpos[k]], &keys[miss[k]]))
			vxg_pcache_set(&w->nat_in_pc, sig[miss[k]], mpos[k]);
	}
}

/* A TCP or UDP packet m to address a (SNAT or forwards) whose session the worker's cache
 * holds: translated at once, without waiting for the chunk's bulk lookup. False: not
 * cached (m untouched). */
static inline bool
nat_in_fast(struct vxg_worker *w, const struct vxg_nat_addr *a, struct rte_mbuf *m,
	const struct nat_pkt *p, uint32_t now)
{
	const struct vxg_nat_table *t = w->gen->vpcs[a->vpc].nat.sess;
	struct vxg_nat_key k;
	int32_t pos;

	if (t == NULL)
		return false;
	nat_key(&k, p->proto, ld32(rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len + IP_SRC)),
		a->ext, p->sport, p->dport);
	pos = vxg_pcache_get(&w->nat_in_pc, vxg_pcache_sig(&k));
	if (pos < 0 || (uint32_t)pos >= t->n_sess || !nat_in_match(&t->sess[pos], &k))
		return false;
	w->stats.events[VXG_EV_nat_in_cached]++;
	return nat_in_sess(w, m, p, &k, a, &t->sess[pos], now);
}

/* The body of its one caller (vxg_nat_in), as it always was: GCC would make it a call. */
static __rte_always_inline void
nat_in_chunk(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n,
	struct vxg_nat_in_burst *o, struct rte_mbuf **punt, uint16_t *n_punt, bool hairpin)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_gen_nat_map *map = &g->nat;
	const void *kp[VXG_NAT_CHUNK];
	void *dv[VXG_NAT_CHUNK];
	rte_be32_t dst[VXG_NAT_CHUNK];
	struct rte_mbuf *ok[VXG_NAT_CHUNK];
	uint64_t hits = 0;
	uint16_t k = 0, ns = 0;
	struct nat_pkt sp[VXG_NAT_CHUNK];
	struct vxg_nat_key sk[VXG_NAT_CHUNK];
	struct rte_mbuf *sm[VXG_NAT_CHUNK];
	const struct vxg_nat_addr *sa[VXG_NAT_CHUNK];
	int32_t spos[VXG_NAT_CHUNK];
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
		if (a->kind != VXG_NAT_FIP && p.kind == L4_PORTS && nat_in_fast(w, a, m, &p, now)) {
			vxg_meta(m)->qos = g->vpcs[a->vpc].nat.qos[VXG_DIR_INGRESS];
			o->pkts[o->n] = m;
			o->vpc[o->n++] = a->vpc;
			continue;
		}
		if (a->kind == VXG_NAT_FIP) {
			if (vxg_traced(w, m))
				vxg_trace_ev(w, m, VXG_TR_NAT,
					p.kind == L4_ERROR ? VXG_TR_NAT_ICMP_IN : VXG_TR_NAT_FIP_IN,
					0, a->ext, a->fixed, 0, 0);
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
			vxg_meta(m)->qos = a->qos[VXG_DIR_INGRESS]; /* the router meters it */
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
				if (vxg_traced(w, m))
					vxg_trace_ev(
						w, m, VXG_TR_NAT, VXG_TR_NAT_LOCAL, 0, 0, 0, 0, 0);
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
	/* the worker's cache, then one bulk lookup per table; a burst is mostly one VPC's */
	for (uint16_t i = 0; i < ns;) {
		struct vxg_nat_table *t = g->vpcs[sa[i]->vpc].nat.sess;
		uint16_t j = i + 1;

		while (j < ns && g->vpcs[sa[j]->vpc].nat.sess == t)
			j++;
		nat_in_lookup(w, t, &sk[i], j - i, &spos[i]);
		for (uint16_t x = i; x < j; x++) {
			struct vxg_nat_sess *s = spos[x] >= 0 ? &t->sess[spos[x]] : NULL;

			if (likely(nat_in_match(s, &sk[x]))
					? !nat_in_sess(w, sm[x], &sp[x], &sk[x], sa[x], s, now)
					: !nat_in_miss(
						  w, t, sm[x], &sp[x], &sk[x], sa[x], hairpin, now))
				continue;
			vxg_meta(sm[x])->qos = g->vpcs[sa[x]->vpc].nat.qos[VXG_DIR_INGRESS];
			o->pkts[o->n] = sm[x];
			o->vpc[o->n++] = sa[x]->vpc;
		}
		i = j;
	}
}

void
vxg_nat_in(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n,
	struct vxg_nat_in_burst *o, bool hairpin)
{
	struct rte_mbuf *punt[VXG_NAT_CHUNK];
	uint16_t n_punt = 0;

	RTE_ASSERT(n <= VXG_NAT_CHUNK);
	o->n = 0;
	nat_in_chunk(w, in, pkts, n, o, punt, &n_punt, hairpin);
	if (n_punt > 0)
		vxg_punt_burst(w, punt, n_punt);
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
				m, l3, true, ld32(ip + IP_SRC), s->ext_addr, s->ext_port);
	}
	fk.vpc = vpc;
	fk.ip = ld32(q + IP_DST);
	if (g->nat.fixed == NULL || rte_hash_lookup_data(g->nat.fixed, &fk, &data) < 0)
		return false;
	return vxg_nat_icmp_error(
		m, l3, true, ld32(ip + IP_SRC), g->nat.addrs[(uintptr_t)data].ext, 0);
}
