/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The logical switch: learn each frame's source in the FDB, send known unicast to where
 * its destination lives (an access interface and VLAN, or a remote VTEP), flood the rest
 * to the network's access interfaces and, head-end, to its flood list of VTEPs.
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
#include "vxg_meta.h"
#include "pipeline.h"

#define L2_CHUNK RTE_HASH_LOOKUP_BULK_MAX

struct l2_chunk {
	uint16_t n, ns, nd;
	uint16_t idx[L2_CHUNK]; /* index in the burst */
	bool router[L2_CHUNK]; /* for the VPC router: learn its source, do not switch it */
	struct vxg_fdb_key skey[L2_CHUNK], dkey[L2_CHUNK];
	int32_t spos[L2_CHUNK], dpos[L2_CHUNK]; /* per packet: position, -1 none */
	/* Keys neither in the worker's cache nor equal to the previous packet's go to one
	 * bulk lookup; [sd]map gives each such packet its slot in it. */
	uint8_t smap[L2_CHUNK], dmap[L2_CHUNK];
	const void *sk[L2_CHUNK], *dk[L2_CHUNK];
	int32_t sres[L2_CHUNK], dres[L2_CHUNK];
};

#define L2_PENDING INT32_MIN /* waits for the bulk lookup */
#define L2_PREFETCH 8 /* packets ahead */

/* The frame for one more target: a copy while others remain, else the frame itself. */
static inline struct rte_mbuf *
l2_flood_copy(struct vxg_worker *w, struct rte_mbuf *m, bool last)
{
	struct rte_mbuf *c;

	if (last)
		return m;
	c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
	if (unlikely(c == NULL))
		w->stats.drops[VXG_DROP_mbuf_exhausted]++;
	return c;
}

/* Flood target t of frame i's network (an access VLAN, then the flood list) gets m. */
static inline void
l2_flood_to(struct vxg_worker *w, const struct vxg_l2_burst *b, uint16_t i, uint32_t t,
	struct rte_mbuf *m)
{
	const struct vxg_gen_net *net = b->net[i];
	const struct vxg_gen_vtep *v;

	if (m == NULL)
		return;
	if (t < net->n_access) {
		l2_tx_local(w, net->access[t].port_id, net->access[t].vlan, m);
		return;
	}
	v = &w->gen->vx.vteps[net->flood[t - net->n_access]];
	vxg_vxlan_encap(w, v, v->ip, net, m);
}

/*
 * vxg_l2_flood where some targets hold only ports with security groups (vxg_sg_flood):
 * those get a copy only if one of their ports takes it, a denied copy counted as a drop.
 * The frame itself goes to the last target that takes it, copies to the others.
 */
static void
l2_flood_sg(struct vxg_worker *w, const struct vxg_l2_burst *b, uint16_t i)
{
	const struct vxg_gen_net *net = b->net[i];
	uint32_t n = net->n_access + (b->from_overlay ? 0 : net->n_flood), prev = UINT32_MAX;
	struct rte_mbuf *m = b->pkts[i];
	struct vxg_sg_flood_pkt fp;
	bool any = false;

	vxg_sg_flood_parse(w, net, m, &fp);
	for (uint32_t t = 0; t < n; t++) {
		unsigned r;

		if (t < net->n_access && !b->from_overlay && net->access[t].port_id == b->in_port &&
			net->access[t].vlan == b->src[i])
			continue;
		any = true;
		r = vxg_sg_flood_take(w, net, &fp, t);
		if (r != VXG_DROP_MAX) {
			w->stats.drops[r]++;
			continue;
		}
		if (prev != UINT32_MAX)
			l2_flood_to(w, b, i, prev, l2_flood_copy(w, m, false));
		prev = t;
	}
	if (prev != UINT32_MAX)
		l2_flood_to(w, b, i, prev, m);
	else if (!any)
		vxg_drop(w, m, VXG_DROP_l2_no_flood_target);
	else
		rte_pktmbuf_free(m); /* every copy was denied, and counted */
}

void
vxg_l2_flood(struct vxg_worker *w, const struct vxg_l2_burst *b, uint16_t i)
{
	const struct vxg_gen_net *net = b->net[i];
	const struct vxg_gen_vxlan *vx = &w->gen->vx;
	uint16_t n_local = 0, n_remote = b->from_overlay ? 0 : net->n_flood, left, skip = 0xffff;
	struct rte_mbuf *m = b->pkts[i], *c;

	/* What vxgate sends (ARP, DHCP replies, the router's errors) is for every port. */
	if (unlikely(net->sg_flood != NULL) &&
		(b->in_port != VXG_INJECT_NET || vxg_meta(m)->lport != VXG_LPORT_SELF)) {
		l2_flood_sg(w, b, i);
		return;
	}
	for (uint16_t k = 0; k < net->n_access; k++) {
		if (!b->from_overlay && net->access[k].port_id == b->in_port &&
			net->access[k].vlan == b->src[i])
			skip = k;
		else
			n_local++;
	}
	left = n_local + n_remote;
	if (left == 0) {
		vxg_drop(w, m, VXG_DROP_l2_no_flood_target);
		return;
	}
	for (uint16_t k = 0; k < net->n_access; k++) {
		if (k == skip)
			continue;
		if ((c = l2_flood_copy(w, m, --left == 0)) != NULL)
			l2_tx_local(w, net->access[k].port_id, net->access[k].vlan, c);
	}
	for (uint16_t k = 0; k < n_remote; k++) {
		const struct vxg_gen_vtep *t = &vx->vteps[net->flood[k]];

		if ((c = l2_flood_copy(w, m, --left == 0)) != NULL)
			vxg_vxlan_encap(w, t, t->ip, net, c);
	}
}

/* Position of packet k's key: the previous packet's, the cache's, or queued for lookup. */
static inline void
l2_key_add(const struct vxg_worker *w, const struct vxg_fdb *fdb, struct vxg_fdb_key *keys,
	uint16_t k, struct l2_key_w kw, struct l2_key_w *prev, int32_t *pos, uint8_t *map,
	const void **lk, uint16_t *n)
{
	uint64_t *dst = (uint64_t *)&keys[k];

	dst[0] = kw.w0;
	dst[1] = kw.w1;
	if (k > 0 && kw.w0 == prev->w0 && kw.w1 == prev->w1) {
		pos[k] = pos[k - 1];
		map[k] = map[k - 1];
		return;
	}
	*prev = kw;
	pos[k] = l2_cache_get(w, fdb, kw);
	if (pos[k] >= 0)
		return;
	pos[k] = L2_PENDING;
	map[k] = *n;
	lk[(*n)++] = &keys[k];
}

/* Fill in the positions the bulk lookup found, and remember them. */
static inline void
l2_key_resolve(struct vxg_worker *w, const struct vxg_fdb_key *keys, int32_t *pos,
	const uint8_t *map, const int32_t *res, uint16_t n)
{
	for (uint16_t k = 0; k < n; k++) {
		const uint64_t *kw = (const uint64_t *)&keys[k];

		if (pos[k] != L2_PENDING)
			continue;
		pos[k] = res[map[k]];
		if (pos[k] >= 0)
			w->fdb_cache[l2_cache_slot((struct l2_key_w){kw[0], kw[1]})] =
				(uint32_t)pos[k] + 1;
	}
}

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

/* Frames held for the security groups, forwarded (or dropped) together. */
struct l2_sg {
	uint16_t n;
	uint16_t idx[L2_CHUNK];
	int32_t dpos[L2_CHUNK];
	struct rte_mbuf *pkts[L2_CHUNK];
	uint16_t lsrc[L2_CHUNK], ldst[L2_CHUNK];
};

static inline void
l2_sg_add(
	struct l2_sg *s, struct rte_mbuf *m, uint16_t i, int32_t dpos, uint16_t lsrc, uint16_t ldst)
{
	uint16_t k = s->n++;

	s->idx[k] = i;
	s->dpos[k] = dpos;
	s->pkts[k] = m;
	s->lsrc[k] = lsrc;
	s->ldst[k] = ldst;
}

static void
l2_sg_run(struct vxg_worker *w, struct vxg_fdb *fdb, struct vxg_l2_burst *b, struct l2_sg *s)
{
	unsigned verdict[L2_CHUNK];

	if (s->n == 0)
		return;
	vxg_sg_filter(w, s->pkts, s->lsrc, s->ldst, s->n, verdict);
	for (uint16_t k = 0; k < s->n; k++) {
		if (likely(verdict[k] == VXG_DROP_MAX))
			l2_forward(w, fdb, b, s->idx[k], s->dpos[k]);
		else
			vxg_drop(w, s->pkts[k], (enum vxg_drop_reason)verdict[k]);
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

			if (r != VXG_DROP_MAX) {
				vxg_drop(w, m, (enum vxg_drop_reason)r);
				continue;
			}
		}
		if (learn)
			l2_learn(w, fdb, &c.skey[k], c.spos[k], vxg_l2_src_loc(b, c.idx[k]), now);
		if (unlikely(c.router[k])) {
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

/* Known unicast or flood, for frames that do not come from a port (nothing to learn). */
static void
l2_output_chunk(struct vxg_worker *w, struct vxg_fdb *fdb, struct vxg_l2_burst *b, uint16_t first,
	uint16_t n)
{
	struct l2_key_w dprev = {0, 0};
	struct l2_chunk c;
	struct l2_sg s;

	c.n = c.nd = 0;
	for (uint16_t i = first; i < first + n; i++) {
		const struct rte_ether_hdr *eth =
			rte_pktmbuf_mtod(b->pkts[i], const struct rte_ether_hdr *);
		uint16_t k = c.n++;

		l2_key_add(w, fdb, c.dkey, k, l2_key_make(b->net[i]->vni, &eth->dst_addr), &dprev,
			c.dpos, c.dmap, c.dk, &c.nd);
		c.idx[k] = i;
	}
	if (c.nd > 0)
		rte_hash_lookup_bulk(fdb->h, c.dk, c.nd, c.dres);
	l2_key_resolve(w, c.dkey, c.dpos, c.dmap, c.dres, c.n);
	if (likely(!w->gen->sg_on)) {
		for (uint16_t k = 0; k < c.n; k++)
			l2_forward(w, fdb, b, c.idx[k], c.dpos[k]);
		return;
	}
	/* The router's frames carry their sender's port; control's carry none. */
	s.n = 0;
	for (uint16_t k = 0; k < c.n; k++) {
		struct rte_mbuf *m = b->pkts[c.idx[k]];
		uint16_t lport = vxg_meta(m)->lport, ldst;

		if (l2_sg_wanted(w->gen, fdb, lport, c.dpos[k], &ldst))
			l2_sg_add(&s, m, c.idx[k], c.dpos[k], lport, ldst);
		else
			l2_forward(w, fdb, b, c.idx[k], c.dpos[k]);
	}
	l2_sg_run(w, fdb, b, &s);
}

void
vxg_l2_output(struct vxg_worker *w, struct vxg_l2_burst *b)
{
	struct vxg_fdb *fdb = w->gen->vx.fdb;

	if (unlikely(fdb == NULL)) {
		for (uint16_t i = 0; i < b->n; i++)
			vxg_drop(w, b->pkts[i], VXG_DROP_no_stage);
		return;
	}
	for (uint16_t first = 0; first < b->n; first += L2_CHUNK)
		l2_output_chunk(w, fdb, b, first, RTE_MIN(L2_CHUNK, b->n - first));
}
