/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2 input's fast path, inline so that the stages that hand it frames (Ethernet input,
 * VXLAN decap) can switch a frame in the same pass that parsed it: without hugepages,
 * every pass over a burst refills the TLB with the pages of its 32 mbufs, and a frame
 * switched while its header is at hand costs one refill less (vxg_l2_fast_one). What it
 * declines, l2_input.c takes the batched way (vxg_l2_input_rest).
 */
#ifndef VXG_L2_FAST_H
#define VXG_L2_FAST_H

#include <string.h>

#include <rte_arp.h>
#include <rte_ip.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "l2/l2_output.h"
#include "ip6/ip6_svc.h"
#include "l3/l3_forward.h"
#include "pipeline.h"
#include "vxg_ipv4.h"
#include "vxg_meta.h"

/* Not a drop: the frame is for the network's router (vxg_l3_input). */
#define L2_TO_ROUTER (VXG_DROP_MAX + 1)

/* A broadcast the router takes: ARP for its address, or a DHCP client's. */
static inline bool
l2_bcast_for_router(const struct vxg_gen_net *net, const struct rte_mbuf *m)
{
	rte_be16_t type = *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);

	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		const struct rte_arp_hdr *arp;

		if (m->data_len < m->l2_len + sizeof(*arp))
			return false;
		arp = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *, m->l2_len);
		return arp->arp_data.arp_tip == net->gw_ip;
	}
	return type == RTE_BE16(RTE_ETHER_TYPE_IPV4) && net->dhcp &&
	       vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT);
}

/* An IPv6 frame to a solicited-node MAC that the router takes: a Neighbour Solicitation
 * for the gateway's address or its link-local one (the rest is flooded). */
static inline bool
l2_nd_for_router(const struct vxg_gen_net *net, const struct rte_mbuf *m)
{
	rte_be16_t type = *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);
	const uint8_t *ip, *target;

	if (type != RTE_BE16(RTE_ETHER_TYPE_IPV6) ||
		m->data_len < m->l2_len + sizeof(struct rte_ipv6_hdr) + 24)
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const uint8_t *, m->l2_len);
	target = ip + sizeof(struct rte_ipv6_hdr) + 8;
	return ip[6] == 58 /* ICMPv6 */ && ip[40] == 135 /* NS */ &&
	       (memcmp(target, net->gw6, 16) == 0 || memcmp(target, net->gw6_ll, 16) == 0);
}

/* A broadcast or multicast frame the router takes (rare: tested once a frame's group bit
 * is seen). */
static inline bool
l2_mcast_for_router(const struct vxg_gen_net *net, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (rte_is_broadcast_ether_addr(&eth->dst_addr))
		return net->has_gw && l2_bcast_for_router(net, m);
	return net->has_gw6 && eth->dst_addr.addr_bytes[0] == 0x33 &&
	       eth->dst_addr.addr_bytes[1] == 0x33 && l2_nd_for_router(net, m);
}

/* A frame L2 can switch (VXG_DROP_MAX), one for the router (L2_TO_ROUTER), or a drop. */
static inline unsigned
l2_check(const struct vxg_gen_net *net, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	if (unlikely(m->data_len < sizeof(*eth)))
		return VXG_DROP_eth_truncated;
	if (unlikely(rte_is_multicast_ether_addr(&eth->src_addr)))
		return VXG_DROP_eth_src_multicast;
	if ((net->has_gw || net->has_gw6) && rte_is_same_ether_addr(&eth->dst_addr, &net->gw_mac))
		return L2_TO_ROUTER;
	if (unlikely(rte_is_multicast_ether_addr(&eth->dst_addr)) && l2_mcast_for_router(net, m))
		return L2_TO_ROUTER;
	/* An RS or a DHCPv6 client's multicast: the router answers it, nobody else. */
	if (unlikely(net->ip6_svc) && vxg_ip6_svc_group(&eth->dst_addr) &&
		vxg_ip6_svc_kind(net, m, m->l2_len) >= 0)
		return L2_TO_ROUTER;
	return VXG_DROP_MAX;
}

/* Learn (or refresh) the source at loc; what it did, as enum vxg_tr_learn (the trace's). */
static inline unsigned
l2_learn(struct vxg_worker *w, struct vxg_fdb *fdb, const struct vxg_fdb_key *key, int32_t pos,
	union vxg_fdb_loc loc, uint32_t now)
{
	struct vxg_fdb_entry *e;
	union vxg_fdb_loc cur;
	unsigned r;

	if (likely(pos >= 0)) {
		e = &fdb->entries[pos];
		cur.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_RELAXED);
		if (cur.kind == VXG_FDB_NONE ||
			(cur.origin != VXG_FDB_LEARNED && !vxg_fdb_movable(cur.origin, &loc)))
			return VXG_TR_LEARN_STATIC; /* being written or deleted; or pinned */
		r = VXG_TR_LEARN_KNOWN;
		if (unlikely(cur.u64 != loc.u64)) {
			/* Not over an entry control pinned since the load (rare: a move). */
			if (!__atomic_compare_exchange_n(&e->loc.u64, &cur.u64, loc.u64, false,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
				return VXG_TR_LEARN_STATIC;
			w->stats.events[VXG_EV_fdb_moved]++;
			r = VXG_TR_LEARN_MOVED;
		}
		if (unlikely(e->seen != now))
			e->seen = now;
		return r;
	}
	pos = rte_hash_add_key(fdb->h, key);
	if (unlikely(pos < 0)) {
		w->stats.events[VXG_EV_fdb_full]++;
		return VXG_TR_LEARN_FULL;
	}
	e = &fdb->entries[pos];
	/* Added a moment ago by this burst or another worker: just refresh it. */
	cur.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE);
	if (cur.kind != VXG_FDB_NONE) {
		if (cur.u64 != loc.u64 && vxg_fdb_movable(cur.origin, &loc))
			__atomic_compare_exchange_n(&e->loc.u64, &cur.u64, loc.u64, false,
				__ATOMIC_RELEASE, __ATOMIC_RELAXED);
		return VXG_TR_LEARN_KNOWN;
	}
	e->key = *key;
	e->seen = now;
	e->static_gen = 0;
	e->lport = 0;
	/* Control may have written the entry since the load (an EVPN route): it stays. */
	if (!__atomic_compare_exchange_n(
		    &e->loc.u64, &cur.u64, loc.u64, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		return VXG_TR_LEARN_KNOWN;
	w->stats.events[VXG_EV_fdb_learned]++;
	return VXG_TR_LEARN_NEW;
}

/* l2_check on the keys of a frame's MACs (l2_key_make), which the fast path builds anyway. */
static inline unsigned
l2_fast_check(const struct vxg_gen_net *net, const struct rte_mbuf *m, struct l2_key_w sk,
	struct l2_key_w dk)
{
	uint64_t gw[2];

	if (unlikely(sk.w0 & (1ull << 32))) /* the group bit: the first byte's lowest */
		return VXG_DROP_eth_src_multicast;
	memcpy(gw, &net->gw_key, sizeof(gw));
	if (dk.w0 == gw[0] && dk.w1 == gw[1])
		return L2_TO_ROUTER;
	if (unlikely(dk.w0 & (1ull << 32)) && l2_mcast_for_router(net, m))
		return L2_TO_ROUTER; /* (a group address first: rare, one test) */
	return VXG_DROP_MAX;
}

/* Where the fast path stands between the frames of one burst. */
struct vxg_l2_fast {
	struct vxg_fdb *fdb; /* NULL: no fast path (no FDB) */
	bool learn, psec, sg;
	uint32_t now;
	struct l2_key_w sprev, dprev; /* the previous frame's keys and their positions */
	int32_t spos, dpos;
	struct vxg_encap_memo em;
	struct vxg_l3_fast l3;
};

static inline void
vxg_l2_fast_init(struct vxg_l2_fast *f, struct vxg_worker *w, bool from_overlay)
{
	const struct vxg_gen *g = w->gen;

	f->fdb = g->vx.fdb;
	f->sg = g->sg_on;
	f->learn = !from_overlay || g->vx.learning;
	f->psec = g->psec_on;
	f->now = vxg_worker_now(w);
	f->sprev = f->dprev = (struct l2_key_w){0, 0};
	f->spos = f->dpos = -1;
	vxg_encap_memo_init(&f->em);
	vxg_l3_fast_init(&f->l3, f->now);
}

/* The end of a burst's fast path: what waits in it goes out. */
static inline void
vxg_l2_fast_end(struct vxg_worker *w, struct vxg_l2_fast *f)
{
	if (f->l3.ext.n > 0 || f->l3.sg.n > 0)
		vxg_l3_fast_flush(w, &f->l3);
}

/*
 * The common case, whole, while the frame's header is at hand: its source (and, for a
 * frame L2 switches, its destination) in the worker's position cache, and no port with
 * security groups at either end of a switched frame. A frame for a network's router is
 * routed whole when the router's fast path takes it (security groups and all). True when frame i of
 * b is done with (sent on or dropped); false leaves it to the batched path (vxg_l2_input_rest).
 * Frames of one source and destination take the same path, so no flow is reordered.
 * trace: in a pass that traces packets (its own copy: the others test nothing).
 */
static __rte_always_inline bool
l2_fast_one(struct vxg_worker *w, struct vxg_l2_fast *f, const struct vxg_l2_burst *b, uint16_t i,
	const bool sg, const bool trace)
{
	struct vxg_fdb *fdb = f->fdb;
	struct rte_mbuf *m = b->pkts[i];
	const struct vxg_gen_net *net = b->net[i];
	const struct rte_ether_hdr *eth;
	struct l2_key_w sk, dk;
	uint16_t lport = 0, ldst;
	struct vxg_trace_rec *tr;
	bool routed = false;
	unsigned r;

	if (unlikely(fdb == NULL || m->data_len < sizeof(*eth)))
		return false;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	sk = l2_key_make(net->vni, &eth->src_addr);
	dk = l2_key_make(net->vni, &eth->dst_addr);
	r = l2_fast_check(net, m, sk, dk);
	if (unlikely(r != VXG_DROP_MAX)) {
		if (r != L2_TO_ROUTER) {
			vxg_drop(w, m, (enum vxg_drop_reason)r);
			return true;
		}
		routed = true;
	}
	if (sk.w0 != f->sprev.w0 || sk.w1 != f->sprev.w1) {
		f->spos = l2_cache_get(w, fdb, sk);
		f->sprev = sk;
	}
	if (f->spos < 0 && (f->learn || f->psec))
		return false;
	if (!routed) {
		if (dk.w0 != f->dprev.w0 || dk.w1 != f->dprev.w1) {
			f->dpos = l2_cache_get(w, fdb, dk);
			f->dprev = dk;
		}
		if (f->dpos < 0)
			return false;
	}
	/* As l2_psec: with security groups, also a MAC that is no port's (its place). */
	if (f->psec && (sg || fdb->entries[f->spos].lport != 0 || net->n_pair_macs != 0)) {
		r = vxg_psec_check(w->gen, fdb, b, i, f->spos, &lport);
		if (trace && vxg_traced(w, m))
			vxg_trace_ev(w, m, VXG_TR_PSEC, (uint8_t)r, lport, 0, 0, 0, 0);
		if (r != VXG_DROP_MAX) {
			vxg_drop(w, m, (enum vxg_drop_reason)r);
			return true;
		}
	}
	/* QoS meters what a port sends where it leaves (l2_qos, l3_fast_send, the edge) */
	if (unlikely(w->gen->qos_on))
		vxg_meta(m)->lport = lport != 0 ? lport : l2_lport(fdb, f->spos);
	/* m may be gone once sent on: its record, for the learning after */
	tr = trace && vxg_traced(w, m) ? vxg_trace_rec_of(w, m) : NULL;
	if (routed) {
		if (sg && likely(!w->gen->qos_on))
			vxg_meta(m)->lport = lport; /* its egress rules, at the end of the route */
		if (trace && vxg_traced(w, m))
			vxg_trace_ev(w, m, VXG_TR_L2, VXG_TR_L2_ROUTER, 0, net->vni, 0, 0, 0);
		if (!vxg_l3_fast_one(w, &f->l3, m, net))
			return false;
	} else if (sg && l2_sg_wanted(w->gen, fdb, lport, f->dpos, &ldst)) {
		/* Switched between ports with groups: an established connection here, the
		 * rest the batched way. */
		if (!(trace ? vxg_sg_fast(w, m, lport, ldst, f->now)
			    : vxg_sg_fast_untraced(w, m, lport, ldst, f->now)))
			return false;
		l2_forward_em(w, fdb, b, i, f->dpos, &f->em);
	} else {
		l2_forward_em(w, fdb, b, i, f->dpos, &f->em);
	}
	if (f->learn) {
		r = l2_learn(w, fdb, NULL, f->spos, vxg_l2_src_loc(b, i), f->now);
		if (trace && unlikely(tr != NULL))
			vxg_trace_rec_ev(tr, VXG_TR_LEARN, (uint8_t)r, 0, 0, 0, 0, 0);
	}
	return true;
}

/* l2_fast_one in a pass that traces packets: what it recorded of a packet it declined goes
 * (the batched path records it again). */
static __rte_noinline __rte_cold __rte_unused bool
l2_fast_one_traced(
	struct vxg_worker *w, struct vxg_l2_fast *f, const struct vxg_l2_burst *b, uint16_t i)
{
	unsigned mark = vxg_trace_mark(w, b->pkts[i]);

	if (l2_fast_one(w, f, b, i, f->sg, true))
		return true;
	vxg_trace_rewind(w, b->pkts[i], mark);
	return false;
}

/* l2_fast_one, built once without the security groups' steps and once with them, neither
 * with the trace's (a pass that traces takes l2_fast_one_traced). trace: a constant where
 * the caller has one (its own copy per value), else whether this pass traces. */
static __rte_always_inline bool
vxg_l2_fast_one_as(struct vxg_worker *w, struct vxg_l2_fast *f, const struct vxg_l2_burst *b,
	uint16_t i, const bool trace)
{
	if (trace)
		return l2_fast_one_traced(w, f, b, i);
	return likely(!f->sg) ? l2_fast_one(w, f, b, i, false, false)
			      : l2_fast_one(w, f, b, i, true, false);
}

static __rte_always_inline bool
vxg_l2_fast_one(
	struct vxg_worker *w, struct vxg_l2_fast *f, const struct vxg_l2_burst *b, uint16_t i)
{
	return vxg_l2_fast_one_as(w, f, b, i, unlikely(w->trace.live != 0));
}

#endif
