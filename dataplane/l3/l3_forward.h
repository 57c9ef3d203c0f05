/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router's last step, which its batched path (l3.c), its fast path (l3_fast.c) and
 * the packets in from outside (l3_edge.c) share: a routed packet to its next hop inside
 * the VPC (its MAC from the router neighbours, its location from the FDB, the security
 * groups, then L2 output), or out of an external interface; and what leaves the router
 * otherwise (to the control thread). The fast path's memo of next hops is here too, since
 * L2 input's fast path keeps it (l2_fast.h).
 */
#ifndef VXG_L3_FORWARD_H
#define VXG_L3_FORWARD_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l2/l2_output.h"
#include "pipeline.h"
#include "vxg_ipv4.h"
#include "vxg_l3.h"

#define L3_CHUNK RTE_HASH_LOOKUP_BULK_MAX
#define L3_FRAGS_MAX 8 /* a 9000-byte packet into 1280-byte fragments fits */

/* Batches of the router's fast path, sent at the end of the burst (vxg_l3_fast_flush). */
#define VXG_L3_EXT_MAX RTE_HASH_LOOKUP_BULK_MAX

/* Packets routed to a next hop in the VPC, waiting for the security groups (rewritten). */
struct vxg_l3_sg {
	uint16_t n;
	struct rte_mbuf *pkts[VXG_L3_EXT_MAX];
	uint16_t lsrc[VXG_L3_EXT_MAX], ldst[VXG_L3_EXT_MAX];
	union vxg_fdb_loc loc[VXG_L3_EXT_MAX]; /* where each goes */
	const struct vxg_gen_net *out[VXG_L3_EXT_MAX];
};

/* Packets routed out of an external interface, waiting for NAT and the interface. */
struct vxg_l3_ext {
	uint16_t n;
	struct rte_mbuf *pkts[VXG_L3_EXT_MAX];
	const struct vxg_nh *nh[VXG_L3_EXT_MAX];
	const struct vxg_gen_net *in[VXG_L3_EXT_MAX];
};

/* What the router's fast path (vxg_l3_fast_one) remembers between packets. */
struct vxg_l3_fast {
	const struct vxg_gen_net *in; /* the last packet's network and destination... */
	rte_be32_t dst;
	uint32_t nhi; /* ...and its route */
	struct vxg_l3_nkey nkey; /* the last next hop and its neighbour position */
	int32_t npos;
	struct l2_key_w dkey; /* the last next hop's FDB key and position */
	int32_t dpos;
	uint32_t now; /* seconds (vxg_ct_now()), for conntrack and NAT sessions */
	/* IPv6 (l3v6_fast.c): the last packet's network, destination and route, and its
	 * next hop's neighbour position */
	const struct vxg_gen_net *in6;
	uint8_t dst6[16];
	uint32_t nhi6;
	struct vxg_l3_nkey6 nkey6;
	int32_t npos6;
	struct vxg_l3_ext ext; /* routed out of an interface: sent by vxg_l3_fast_flush */
	struct vxg_l3_sg sg; /* routed to a port with groups, or from one: the same */
};

static inline void
vxg_l3_fast_init(struct vxg_l3_fast *f, uint32_t now)
{
	f->in = NULL;
	f->now = now;
	f->nkey.vni = UINT32_MAX; /* no VNI: the first packet looks up */
	f->npos = -1;
	f->in6 = NULL;
	f->nkey6.vni = UINT32_MAX;
	f->npos6 = -1;
	f->dkey = (struct l2_key_w){0, 0};
	f->dpos = -1;
	f->ext.n = 0;
	f->sg.n = 0;
}

struct l3_chunk {
	uint16_t n; /* packets with a route to a next hop in a network */
	struct rte_mbuf *pkts[L3_CHUNK];
	const struct vxg_gen_net *out[L3_CHUNK];
	struct vxg_l3_nkey keys[L3_CHUNK];
	int32_t pos[L3_CHUNK];
	struct vxg_l3_ext ext; /* packets routed out of an interface */
};

/* Everything leaving the router: into networks (L2 output) or to the control thread. */
struct l3_out {
	struct vxg_worker *w;
	struct vxg_l2_burst *l2;
	uint16_t n_punt;
	struct rte_mbuf *punt[VXG_BURST_MAX];
};

static inline struct rte_ipv4_hdr *
l3_ip(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
}

static inline rte_be16_t
l3_ethertype(const struct rte_mbuf *m)
{
	return *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);
}

static inline void
l3_to_net(struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *net)
{
	struct vxg_l2_burst *b = o->l2;

	if (unlikely(b->n == VXG_BURST_MAX)) {
		vxg_drop(o->w, m, VXG_DROP_tx_full); /* fragments of a burst of jumbo packets */
		return;
	}
	b->pkts[b->n] = m;
	b->net[b->n] = net;
	b->src[b->n] = 0;
	b->n++;
}

/* Untagged, with what control needs to know about it. */
static inline void
l3_punt(struct l3_out *o, struct rte_mbuf *m, enum vxg_punt_why why, uint32_t vni, rte_be32_t nh)
{
	struct vxg_meta *meta = vxg_meta(m);

	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m);
	meta->why = why;
	meta->vni = vni;
	meta->nexthop = nh;
	o->punt[o->n_punt++] = m;
}

/*
 * An ICMP error built in m (vxg_icmp_error), sent back to the hop it came from: within the
 * worker's budget of errors, from MAC `src`, counted under ev. True: m is ready to go;
 * false: out of budget, m dropped under r.
 */
static inline bool
l3_icmp_return(struct vxg_worker *w, struct rte_mbuf *m, const struct rte_ether_addr *src,
	enum vxg_drop_reason r, enum vxg_event ev)
{
	struct rte_ether_hdr *eth;

	if (!vxg_ratelimit_take(&w->icmp_rl, rte_rdtsc())) {
		w->stats.events[VXG_EV_icmp_ratelimited]++;
		vxg_drop(w, m, r);
		return false;
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = *src;
	w->stats.events[ev]++;
	return true;
}

/* The L2 rewrite and TTL of a packet leaving the router; Ethernet padding goes. */
static inline void
l3_rewrite(struct rte_mbuf *m, const struct rte_ether_addr *src, const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = l3_ip(m);
	uint32_t len = m->l2_len + rte_be_to_cpu_16(ip->total_length);

	if (unlikely(m->pkt_len > len))
		rte_pktmbuf_trim(m, m->pkt_len - len);
	vxg_ipv4_ttl_dec(ip);
	eth->src_addr = *src;
	eth->dst_addr = *dst;
}

static inline uint32_t
l3_cache_slot(const struct vxg_l3_nkey *k)
{
	uint64_t h = ((uint64_t)k->vni << 32 | k->ip) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 56) & (VXG_L3N_CACHE - 1);
}

/* Out of an external interface, to its gateway (resolved, DF checked: l3_route_one).
 * QoS: when the generation has policies, vxg_meta(m)->lport is the sender's port and
 * vxg_meta(m)->qos the meter NAT chose (0: none). */
void vxg_l3_to_interface(struct vxg_worker *w, struct rte_mbuf *m, const struct vxg_nh *nh);

/* The chunk's packets to their next hops' MACs (looked up in bulk), or to control. */
void vxg_l3_chunk_forward(
	struct vxg_worker *w, const struct vxg_gen *g, struct l3_chunk *c, struct l3_out *o);

/* With security groups: m, routed into network out (to loc), waits for them in f when
 * either end has some (true); false when neither has. */
bool vxg_l3_fast_sg_add(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	union vxg_fdb_loc loc, const struct vxg_gen_net *out);
/* l3_fast_sg_run out of line, for the paths where it is rare: a full batch, the end of
 * the packets in from outside. */
void vxg_l3_fast_sg_flush(struct vxg_worker *w, struct vxg_l3_sg *s);

/* The port (slot + 1, 0 none) FDB position pos names, when QoS may need it. */
static __rte_always_inline uint16_t
l3_qos_ldst(const struct vxg_gen *g, const struct vxg_fdb *fdb, int32_t pos, union vxg_fdb_loc loc)
{
	return unlikely(g->qos_on) && loc.origin == VXG_FDB_STATIC ? fdb->entries[pos].lport : 0;
}

/* Routed m into network out, to where its next hop's FDB entry says: an access port or
 * a remote VTEP, port ldst (slot + 1, 0: none) there. QoS: the policies of the port that
 * sent it (vxg_meta(m)->lport) and of ldst. */
static inline void
l3_fast_send(struct vxg_worker *w, struct rte_mbuf *m, union vxg_fdb_loc loc,
	const struct vxg_gen_net *out, uint16_t ldst)
{
	if (unlikely(w->gen->qos_on) && !(vxg_qos_port(w, vxg_meta(m)->lport, VXG_DIR_EGRESS, m) &&
						vxg_qos_port(w, ldst, VXG_DIR_INGRESS, m))) {
		vxg_drop(w, m, VXG_DROP_qos_exceeded);
		return;
	}
	if (vxg_traced(w, m)) /* as L2 output's lookup would have recorded it */
		vxg_trace_ev_mac(w, m, VXG_TR_L2, VXG_TR_L2_HIT,
			loc.kind == VXG_FDB_LOCAL ? loc.port_id : 0, out->vni,
			loc.kind == VXG_FDB_REMOTE ? loc.vtep : 0,
			loc.kind == VXG_FDB_LOCAL ? loc.vlan : 0,
			&rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->dst_addr);
	if (loc.kind == VXG_FDB_LOCAL)
		l2_tx_local(w, loc.port_id, loc.vlan, m);
	else
		vxg_vxlan_encap(w, vxg_vtep_by_ip(&w->gen->vx, loc.vtep), loc.vtep, out, m);
}

/* The security groups' verdicts on what the fast path routed inside the VPC, then L2. */
static inline void
l3_fast_sg_run(struct vxg_worker *w, struct vxg_l3_sg *s)
{
	unsigned verdict[VXG_L3_EXT_MAX];

	vxg_sg_filter(w, s->pkts, s->lsrc, s->ldst, s->n, verdict);
	for (uint16_t k = 0; k < s->n; k++) {
		if (unlikely(verdict[k] != VXG_DROP_MAX))
			vxg_drop(w, s->pkts[k], (enum vxg_drop_reason)verdict[k]);
		else
			l3_fast_send(w, s->pkts[k], s->loc[k], s->out[k], s->ldst[k]);
	}
	s->n = 0;
}

/*
 * The router's fast path once the route is known: to next hop nh in network out, its MAC
 * and FDB location from the worker's caches (memo in f), rewritten and sent, or batched
 * for the security groups (of vxg_meta(m)->lport, the sender's port slot, and of the
 * receiver). False: m untouched. Needs the FDB and the neighbour table.
 */
static __rte_always_inline bool
l3_fast_tail(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *out, const struct vxg_nh *nh, rte_be32_t dst)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_l3_neigh_table *t = g->l3n;
	struct vxg_fdb *fdb = g->vx.fdb;
	union vxg_l3_nmac mac;
	union vxg_fdb_loc loc;
	struct vxg_l3_nkey key;
	struct l2_key_w dk;

	/* The next hop's MAC, from the worker's neighbour cache. */
	key.vni = out->vni;
	key.ip = nh->kind == VXG_NH_GATEWAY ? rte_cpu_to_be_32(nh->gateway) : dst;
	key.pad = 0;
	if (key.vni != f->nkey.vni || key.ip != f->nkey.ip) {
		uint32_t e = w->l3n_cache[l3_cache_slot(&key)];

		f->nkey = key;
		f->npos = e != 0 && t->e[e - 1].key.vni == key.vni && t->e[e - 1].key.ip == key.ip
				  ? (int32_t)e - 1
				  : -1;
	}
	if (f->npos < 0)
		return false;
	mac.u64 = __atomic_load_n(&t->e[f->npos].mac.u64, __ATOMIC_ACQUIRE);
	if (!mac.valid)
		return false;
	/* Its location, from the worker's FDB cache. */
	dk = l2_key_make(out->vni, &mac.mac);
	if (dk.w0 != f->dkey.w0 || dk.w1 != f->dkey.w1) {
		f->dkey = dk;
		f->dpos = l2_cache_get(w, fdb, dk);
	}
	if (f->dpos < 0)
		return false;
	loc.u64 = __atomic_load_n(&fdb->entries[f->dpos].loc.u64, __ATOMIC_ACQUIRE);
	if (!vxg_fdb_located(&loc))
		return false; /* being written, or a port not placed yet: L2 output floods it */
	/* Committed: as l3_forward and L2 output would. */
	if (vxg_traced(w, m))
		vxg_trace_ev_mac(w, m, VXG_TR_NEIGH, 1, 0, out->vni, key.ip, 0, &mac.mac);
	l3_rewrite(m, &out->gw_mac, &mac.mac);
	w->stats.events[VXG_EV_routed]++;
	if (unlikely(g->sg_on) && vxg_l3_fast_sg_add(w, f, m, loc, out))
		return true;
	l3_fast_send(w, m, loc, out, l3_qos_ldst(g, fdb, f->dpos, loc));
	return true;
}

#endif
