/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2 input, the logical switch: learn each frame's source in the FDB, send known unicast
 * to where its destination lives (an access interface and VLAN, or a remote VTEP), flood
 * the rest (l2_output.c), and hand what is for a VPC router to L3. This file is the
 * batched way, for the frames the fast path (l2_fast.h) declined.
 *
 * Split horizon: what came from the overlay never goes back to it, and nothing goes
 * back out of the interface and VLAN it came in on. Lookups are batched per burst
 * (rte_hash_lookup_bulk); a learned entry is written only when it moves, and its
 * timestamp at most once a second, so steady traffic writes no shared cache line.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "l2/l2_fast.h"
#include "l2/l2_output.h"
#include "pipeline.h"
#include "vxg_meta.h"

#define L2_PREFETCH 8 /* packets ahead */

/* Drop what L2 cannot switch; gather the keys of the rest. */
static void
l2_gather(struct vxg_worker *w, const struct vxg_fdb *fdb, struct vxg_l2_burst *b, uint16_t first,
	uint16_t n, struct l2_chunk *c)
{
	struct l2_key_w sprev = {0, 0}, dprev = {0, 0};

	c->n = c->ns = c->nd = 0;
	for (uint16_t i = first; i < first + n; i++) {
		struct rte_mbuf *m = b->pkts[i];
		const struct rte_ether_hdr *eth;
		unsigned r = l2_check(b->net[i], m);
		uint32_t vni = b->net[i]->vni;
		uint16_t k = c->n;

		if (unlikely(r != VXG_DROP_MAX && r != L2_TO_ROUTER)) {
			vxg_drop(w, m, (enum vxg_drop_reason)r);
			continue;
		}
		c->router[k] = r == L2_TO_ROUTER;
		eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
		l2_key_add(w, fdb, c->skey, k, l2_key_make(vni, &eth->src_addr), &sprev, c->spos,
			c->smap, c->sk, &c->ns);
		if (unlikely(c->router[k]))
			c->dpos[k] = -1; /* the router's MAC is in no FDB */
		else
			l2_key_add(w, fdb, c->dkey, k, l2_key_make(vni, &eth->dst_addr), &dprev,
				c->dpos, c->dmap, c->dk, &c->nd);
		c->idx[k] = i;
		c->n++;
	}
}

/* Port security, with the common cases inline: a MAC that is no port's where no port
 * with groups lives, or a port without addresses at its own place. */
static inline unsigned
l2_psec(const struct vxg_gen *g, const struct vxg_fdb *fdb, const struct vxg_l2_burst *b,
	uint16_t i, int32_t spos, uint16_t *lport)
{
	uint16_t slot = spos >= 0 ? fdb->entries[spos].lport : 0;

	*lport = 0;
	if (slot == 0 && !g->sg_on && b->net[i]->n_pair_macs == 0)
		return VXG_DROP_MAX;
	return vxg_psec_check(g, fdb, b, i, spos, lport);
}

static void
l2_chunk_run(struct vxg_worker *w, struct vxg_fdb *fdb, struct vxg_l2_burst *b, uint16_t first,
	uint16_t n, uint32_t now, struct vxg_l2_burst *rb)
{
	const struct vxg_gen *g = w->gen;
	bool learn = !b->from_overlay || g->vx.learning;
	bool psec = g->psec_on, sg = g->sg_on, src = learn || psec;
	struct l2_chunk c;
	struct l2_sg s;

	l2_gather(w, fdb, b, first, n, &c);
	if (c.n == 0)
		return;
	if (src && c.ns > 0)
		rte_hash_lookup_bulk(fdb->h, c.sk, c.ns, c.sres);
	if (c.nd > 0)
		rte_hash_lookup_bulk(fdb->h, c.dk, c.nd, c.dres);
	if (src)
		l2_key_resolve(w, c.skey, c.spos, c.smap, c.sres, c.n);
	l2_key_resolve(w, c.dkey, c.dpos, c.dmap, c.dres, c.n);
	s.n = 0;
	for (uint16_t k = 0; k < c.n; k++) {
		struct rte_mbuf *m = b->pkts[c.idx[k]];
		uint16_t lport = 0, ldst;

		/* The headers were read a while ago: their pages may have left the TLB. */
		if (k + L2_PREFETCH < c.n)
			rte_prefetch0(rte_pktmbuf_mtod(b->pkts[c.idx[k + L2_PREFETCH]], void *));
		if (psec) {
			unsigned r = l2_psec(g, fdb, b, c.idx[k], c.spos[k], &lport);

			if (vxg_traced(w, m))
				vxg_trace_ev(w, m, VXG_TR_PSEC, (uint8_t)r, lport, 0, 0, 0, 0);
			if (r != VXG_DROP_MAX) {
				vxg_drop(w, m, (enum vxg_drop_reason)r);
				continue;
			}
		}
		if (learn) {
			unsigned r = l2_learn(
				w, fdb, &c.skey[k], c.spos[k], vxg_l2_src_loc(b, c.idx[k]), now);

			if (vxg_traced(w, m))
				vxg_trace_ev(w, m, VXG_TR_LEARN, (uint8_t)r, 0, 0, 0, 0, 0);
		}
		/* QoS meters what a port sends where it leaves (l2_qos, l3_fast_send) */
		if (unlikely(g->qos_on) && lport == 0)
			lport = l2_lport(fdb, c.spos[k]);
		if (unlikely(g->qos_on))
			vxg_meta(m)->lport = lport;
		if (unlikely(c.router[k])) {
			if (vxg_traced(w, m))
				vxg_trace_ev(w, m, VXG_TR_L2, VXG_TR_L2_ROUTER, 0,
					b->net[c.idx[k]]->vni, 0, 0, 0);
			vxg_meta(m)->lport = lport;
			rb->pkts[rb->n] = m;
			rb->net[rb->n++] = b->net[c.idx[k]];
		} else if (unlikely(sg) && l2_sg_wanted(g, fdb, lport, c.dpos[k], &ldst)) {
			l2_sg_add(&s, m, c.idx[k], c.dpos[k], lport, ldst);
		} else {
			l2_forward(w, fdb, b, c.idx[k], c.dpos[k]);
		}
	}
	l2_sg_run(w, fdb, b, &s);
}

void
vxg_l2_input_rest(struct vxg_worker *w, struct vxg_l2_burst *b)
{
	struct vxg_fdb *fdb = w->gen->vx.fdb;
	struct vxg_l2_burst rb;
	uint32_t now;

	if (b->n == 0)
		return;
	if (unlikely(fdb == NULL)) {
		for (uint16_t i = 0; i < b->n; i++)
			vxg_drop(w, b->pkts[i], VXG_DROP_no_stage);
		return;
	}
	rb.n = 0;
	now = vxg_worker_now(w);
	for (uint16_t first = 0; first < b->n; first += L2_CHUNK)
		l2_chunk_run(w, fdb, b, first, RTE_MIN(L2_CHUNK, b->n - first), now, &rb);
	if (unlikely(rb.n > 0))
		vxg_l3_input(w, &rb);
}

void
vxg_l2_input(struct vxg_worker *w, struct vxg_l2_burst *b)
{
	struct vxg_l2_fast f;
	uint16_t n = 0;

	vxg_l2_fast_init(&f, w, b->from_overlay);
	for (uint16_t i = 0; i < b->n; i++) {
		if (vxg_l2_fast_one(w, &f, b, i))
			continue;
		b->pkts[n] = b->pkts[i];
		b->net[n] = b->net[i];
		b->src[n] = b->src[i];
		n++;
	}
	vxg_l2_fast_end(w, &f);
	b->n = n;
	vxg_l2_input_rest(w, b);
}
