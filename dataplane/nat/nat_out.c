/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT outbound: the router hands over what a VPC with a nat section routes out of its NAT
 * interface, and NAT says what it made of each packet (enum vxg_nat_verdict): the source
 * became the port's floating IP, or the SNAT address and a port of the VPC's session
 * (created here, by the worker, from its own stripe of the port range); a translated
 * packet to one of vxgate's own NAT addresses (a VM reaching another's floating IP) is to
 * loop back in (hairpin), which the router does; a ping of an SNAT address from inside
 * goes to control untranslated, as a ping of a gateway does. ICMP errors about a
 * translated flow are translated too, the quoted packet included.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_hash_crc.h>
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

#define NAT_PORT_TRIES 64 /* candidate ports a new session tries */

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

int32_t
vxg_nat_sess_insert(struct vxg_nat_table *t, const struct vxg_nat_key *k,
	const struct vxg_nat_key *ik, rte_be32_t ext_addr, rte_be16_t ext_port, uint8_t flags,
	uint8_t state, uint32_t now, bool *created)
{
	struct vxg_nat_sess *s;
	int32_t pos;

	pos = rte_hash_add_key(t->out_h, k);
	if (pos < 0)
		return pos;
	s = &t->sess[pos];
	/* Claim the entry: a port is never 0, and control zeroes entries it frees. Two
	 * workers that missed on the same new flow both get this position; the loser
	 * leaves the entry and its port to the winner and adds no in key. */
	if (!__atomic_compare_exchange_n(&s->ext_port, &(rte_be16_t){0}, ext_port, false,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return pos;
	s->out = *k;
	s->seen = now;
	s->flags = flags;
	s->ext_addr = ext_addr;
	s->in_pos = rte_hash_add_key(t->in_h, ik);
	if (s->in_pos < 0) {
		nat_sess_abort(t, k, s);
		return -ENOSPC;
	}
	t->in_out[s->in_pos] = pos;
	__atomic_store_n(&s->state, state, __ATOMIC_RELEASE);
	vxg_nat_remember(t, s, pos);
	*created = true;
	return pos;
}

/* Is p one of the ports a forward of the SNAT address holds (skip: NULL, none)? */
static inline bool
nat_port_forwarded(const uint64_t *skip, uint32_t p)
{
	return skip != NULL && ((skip[p >> 6] >> (p & 63)) & 1);
}

/* A free translated port for k of the worker's stripe (not forwarded), pref (host order,
 * any stripe: the sender's own mapping) first when it is not 0. 0: none. */
static uint32_t
nat_pick_port(const struct vxg_nat_table *t, const struct vxg_nat_key *k, unsigned worker,
	unsigned n_workers, const uint64_t *skip, uint32_t pref)
{
	uint32_t nw = n_workers > 0 ? n_workers : 1;
	uint32_t range = (uint32_t)t->port_max - t->port_min + 1;
	uint32_t mine = range > worker ? (range - worker + nw - 1) / nw : 0;
	uint32_t own = rte_be_to_cpu_16(k->sport), start, tries, p;
	struct vxg_nat_key ik;

	if (pref != 0) {
		vxg_nat_in_key(&ik, k, t->addr, rte_cpu_to_be_16((uint16_t)pref));
		if (rte_hash_lookup(t->in_h, &ik) < 0)
			return pref;
	}
	if (mine == 0)
		return 0;
	/* Keep the flow's own port when it is ours to give, as Linux does; else start
	 * where the flow hashes, so flows spread over the stripe. */
	if (own >= t->port_min && own <= t->port_max && (own - t->port_min) % nw == worker)
		start = (own - t->port_min) / nw;
	else
		start = rte_hash_crc(k, sizeof(*k), 0) % mine;
	tries = RTE_MIN(mine, (uint32_t)NAT_PORT_TRIES);
	for (uint32_t i = 0; i < tries; i++) {
		p = t->port_min + ((start + i) % mine) * nw + worker;
		if (nat_port_forwarded(skip, p))
			continue;
		vxg_nat_in_key(&ik, k, t->addr, rte_cpu_to_be_16((uint16_t)p));
		if (rte_hash_lookup(t->in_h, &ik) < 0)
			return p;
	}
	return 0;
}

/* vxg_nat_sess_create, with the ports forwards hold (skip) and the port to try first
 * (pref); *created: whether this call made it (not another packet). No lookup of k first:
 * the caller just missed it, and an entry another packet made meanwhile is found by the
 * add (its claim fails). */
static int32_t
nat_sess_create(struct vxg_nat_table *t, const struct vxg_nat_key *k, unsigned worker,
	unsigned n_workers, uint8_t state, uint32_t now, bool *created, const uint64_t *skip,
	uint32_t pref)
{
	uint32_t p = nat_pick_port(t, k, worker, n_workers, skip, pref);
	struct vxg_nat_key ik;

	if (p == 0)
		return -EADDRINUSE;
	vxg_nat_in_key(&ik, k, t->addr, rte_cpu_to_be_16((uint16_t)p));
	return vxg_nat_sess_insert(
		t, k, &ik, t->addr, rte_cpu_to_be_16((uint16_t)p), 0, state, now, created);
}

int32_t
vxg_nat_sess_create(struct vxg_nat_table *t, const struct vxg_nat_key *k, unsigned worker,
	unsigned n_workers, uint8_t state, uint32_t now)
{
	bool created = false;

	return nat_sess_create(t, k, worker, n_workers, state, now, &created, NULL, 0);
}

/* The translated port (host order) of the sender of k's live SNAT session found through
 * t's ep cache, else 0: RFC 4787 REQ-9a's "its own mapping" for a hairpin. */
static uint32_t
nat_ep_port(const struct vxg_nat_table *t, const struct vxg_nat_key *k)
{
	uint32_t v = __atomic_load_n(
		&t->ep[vxg_nat_ep_slot(k->proto, k->src, k->sport)], __ATOMIC_RELAXED);
	const struct vxg_nat_sess *s;

	if (v == 0 || v > t->n_sess)
		return 0;
	s = &t->sess[v - 1];
	/* acquire: the entry was written before its state; a reused one has another key */
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
		(s->flags & VXG_NAT_F_FWD) || s->out.src != k->src || s->out.sport != k->sport ||
		s->out.proto != k->proto || s->ext_addr != t->addr)
		return 0;
	return rte_be_to_cpu_16(s->ext_port);
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
	struct vxg_nat_fkey keys[VXG_NAT_CHUNK];
	const void *kp[VXG_NAT_CHUNK];
	void *dv[VXG_NAT_CHUNK];
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
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT,
			p.kind == L4_ERROR ? VXG_TR_NAT_ICMP_OUT : VXG_TR_NAT_FIP_OUT, 0,
			ld32(rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len + IP_SRC)),
			a->ext, 0, 0);
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
	if (unlikely(w->gen->qos_on))
		vxg_meta(m)->qos = a->qos[VXG_DIR_EGRESS];
	w->stats.events[VXG_EV_nat_fip_out]++;
	return true;
}

/* The outbound session key of SNAT packet m, or false: m dropped, or with `quiet` (a VPC
 * without SNAT, whose other traffic leaves as it is) left alone. */
static inline bool
nat_out_key(struct vxg_worker *w, struct rte_mbuf *m, struct nat_pkt *p, struct vxg_nat_key *k,
	bool quiet)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);
	enum vxg_drop_reason r = VXG_DROP_nat_unsupported;

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
		r = VXG_DROP_nat_fragment;
		break;
	case L4_SHORT:
		r = VXG_DROP_nat_truncated;
		break;
	default:
		break;
	}
	if (!quiet)
		vxg_drop(w, m, r);
	return false;
}

/* Count packet m of forward session s (out of VPC gn) on its rule. */
static inline void
nat_fwd_count(struct vxg_worker *w, const struct vxg_gen_nat *gn, const struct vxg_nat_sess *s,
	const struct rte_mbuf *m)
{
	const struct vxg_gen_nat_map *map = &w->gen->nat;
	int32_t r = vxg_nat_fwd_find(map, gn->fwd_first, gn->fwd_n, s->ext_addr, s->out.proto,
		rte_be_to_cpu_16(s->ext_port));

	w->stats.events[VXG_EV_nat_fwd_out]++;
	if (r >= 0) {
		struct vxg_nat_fwd_ctr *c = vxg_nat_fwd_ctr(map, w->id, (uint32_t)r);

		c->pkts++;
		c->bytes += rte_pktmbuf_pkt_len(m);
	}
}

/* An ICMP error from inside about packet that came in on session s: translated. */
static inline bool
nat_out_error(struct vxg_worker *w, struct rte_mbuf *m, const struct vxg_nat_sess *s)
{
	if (s == NULL) {
		vxg_drop(w, m, VXG_DROP_nat_unsupported);
		return false;
	}
	if (!vxg_nat_icmp_error(m, m->l2_len, true, s->ext_addr, s->ext_addr, s->ext_port)) {
		vxg_drop(w, m, VXG_DROP_nat_truncated);
		return false;
	}
	w->stats.events[VXG_EV_nat_icmp_error]++;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT, VXG_TR_NAT_ICMP_OUT, 0, s->out.src, s->ext_addr,
			s->out.sport, s->ext_port);
	return true;
}

/* SNAT packet m of key k: its session (s, or a new one), translated. False: dropped. */
static bool
nat_out_one(struct vxg_worker *w, const struct vxg_gen_nat *nat, struct rte_mbuf *m,
	const struct nat_pkt *p, const struct vxg_nat_key *k, struct vxg_nat_sess *s, uint32_t now)
{
	struct vxg_nat_table *t = nat->sess;
	bool created = false;

	if (s == NULL) {
		/* to one of our own mappings (hairpin): the sender's own mapping */
		uint32_t pref = nat_is_ours(&w->gen->nat, k->dst) ? nat_ep_port(t, k) : 0;
		int32_t r = nat_sess_create(t, k, w->id, w->n_workers,
			nat_first_state(p->proto, p->tcp_flags), now, &created, nat->fwd_ports,
			pref);

		if (r < 0) {
			vxg_drop(w, m,
				r == -EADDRINUSE ? VXG_DROP_nat_ports_exhausted
						 : VXG_DROP_nat_table_full);
			return false;
		}
		s = &t->sess[r];
		if (created)
			w->stats.events[VXG_EV_nat_session_created]++;
		else /* an earlier packet of the chunk made it */
			nat_touch(s, true, p->tcp_flags, now);
	} else {
		nat_touch(s, true, p->tcp_flags, now);
	}
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT, created ? VXG_TR_NAT_SNAT_NEW : VXG_TR_NAT_SNAT, 0,
			k->src, s->ext_addr, k->sport, s->ext_port);
	vxg_nat_rewrite(m, m->l2_len, s->ext_addr, s->ext_port, 0, 0);
	if (unlikely(s->flags & VXG_NAT_F_FWD))
		nat_fwd_count(w, nat, s, m); /* its replies stay on the slow path, counted */
	else
		vxg_pcache_set(&w->nat_pc, vxg_pcache_sig(k), (int32_t)(s - t->sess));
	return true;
}

/* SNAT the packets of one VPC; keep[i] false: dropped. A VPC without SNAT (forwards
 * only) translates the replies of its forwards' sessions, and leaves the rest alone. */
static void
nat_out_snat(struct vxg_worker *w, const struct vxg_gen_nat *nat, struct rte_mbuf **pkts,
	uint16_t n, bool *keep)
{
	struct vxg_nat_table *t = nat->sess;
	struct vxg_nat_key keys[VXG_NAT_CHUNK];
	struct nat_pkt p[VXG_NAT_CHUNK];
	int32_t pos[VXG_NAT_CHUNK];
	uint16_t idx[VXG_NAT_CHUNK], k = 0;
	uint32_t now = vxg_worker_now(w);
	bool quiet = nat->snat == 0;

	for (uint16_t i = 0; i < n; i++) {
		/* no table: floating IPs only, the rest leaves as it is */
		keep[i] = t == NULL;
		if (t == NULL)
			continue;
		if (!nat_out_key(w, pkts[i], &p[k], &keys[k], quiet)) {
			keep[i] = quiet;
			continue;
		}
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
		if (s == NULL && quiet) {
			keep[idx[j]] = true;
			continue;
		}
		if (p[j].kind == L4_ERROR ? !nat_out_error(w, m, s)
					  : !nat_out_one(w, nat, m, &p[j], &keys[j], s, now))
			continue;
		if (unlikely(w->gen->qos_on))
			vxg_meta(m)->qos = nat->qos[VXG_DIR_EGRESS];
		w->stats.events[VXG_EV_nat_snat_out]++;
		keep[idx[j]] = true;
	}
}

bool
vxg_nat_fast_find(
	struct vxg_worker *w, const struct rte_mbuf *m, uint16_t vpc, struct vxg_nat_fast *nf)
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
	nf->t = t;
	nf->s = s;
	nf->tcp_flags = f.tcp_flags;
	return true;
}

/* Is m, from a port with a floating IP in VPC gn, a reply of (or an error about) one of the
 * VPC's port forward sessions? Those leave by the address they came in on. */
static inline bool
nat_out_fwd_reply(const struct vxg_gen_nat *gn, const struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);
	struct vxg_nat_key k;
	struct nat_pkt p;
	int32_t pos;

	if (likely(gn->fwd_n == 0) || gn->sess == NULL)
		return false;
	nat_parse(m, m->l2_len, &p);
	if (p.kind == L4_PORTS)
		nat_key(&k, p.proto, ld32(ip + IP_SRC), ld32(ip + IP_DST), p.sport, p.dport);
	else if (p.kind == L4_ERROR)
		nat_key(&k, p.qproto, p.qdst, p.qsrc, p.qdport, p.qsport);
	else
		return false;
	pos = rte_hash_lookup(gn->sess->out_h, &k);
	return pos >= 0 && (gn->sess->sess[pos].flags & VXG_NAT_F_FWD) &&
	       __atomic_load_n(&gn->sess->sess[pos].state, __ATOMIC_ACQUIRE) != VXG_CT_NONE;
}

/* m, translated, is to one of our own addresses: count the hairpin by what it reaches. */
static inline bool
nat_out_hairpin(struct vxg_worker *w, const struct vxg_gen *g, const struct rte_mbuf *m)
{
	const uint8_t *ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);
	rte_be32_t dst = ld32(ip + IP_DST);
	const struct vxg_nat_addr *a;
	struct nat_pkt p;
	void *data;

	if (likely(!nat_is_ours(&g->nat, dst)) || rte_hash_lookup_data(g->nat.ext, &dst, &data) < 0)
		return false;
	a = &g->nat.addrs[(uintptr_t)data];
	if (a->kind == VXG_NAT_FIP) {
		w->stats.events[VXG_EV_nat_hairpin_fip]++;
		return true;
	}
	nat_parse(m, m->l2_len, &p);
	if (p.kind == L4_PORTS && vxg_nat_fwd_find(&g->nat, a->fwd_first, a->fwd_n, dst, p.proto,
					  rte_be_to_cpu_16(p.dport)) >= 0)
		w->stats.events[VXG_EV_nat_hairpin_fwd]++;
	else
		w->stats.events[VXG_EV_nat_hairpin_snat]++;
	return true;
}

unsigned
vxg_nat_out(
	struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n, uint8_t *res)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_nat_addr *fip[VXG_NAT_CHUNK];
	struct rte_mbuf *sn[VXG_NAT_CHUNK], *punt[VXG_NAT_CHUNK];
	uint16_t sidx[VXG_NAT_CHUNK], k = 0, n_punt = 0;
	bool keep[VXG_NAT_CHUNK];
	unsigned loops = 0;
	uint32_t vni;

	RTE_ASSERT(n <= VXG_NAT_CHUNK);
	nat_fip_lookup(g, pkts, vpc, n, fip);
	for (uint16_t i = 0; i < n; i++) {
		res[i] = VXG_NAT_DROPPED;
		if (unlikely(nat_out_local(g, pkts[i], vpc[i], &vni))) {
			if (vxg_traced(w, pkts[i]))
				vxg_trace_ev(
					w, pkts[i], VXG_TR_NAT, VXG_TR_NAT_LOCAL, 0, 0, 0, 0, 0);
			nat_out_punt(pkts[i], vni, punt, &n_punt);
			res[i] = VXG_NAT_LOCAL;
			continue;
		}
		if (fip[i] != NULL && !nat_out_fwd_reply(&g->vpcs[vpc[i]].nat, pkts[i])) {
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
		if (res[i] == VXG_NAT_TX && unlikely(nat_out_hairpin(w, g, pkts[i]))) {
			res[i] = VXG_NAT_LOOP;
			loops++;
		}
	}
	if (n_punt > 0)
		vxg_punt_burst(w, punt, n_punt);
	return loops;
}
