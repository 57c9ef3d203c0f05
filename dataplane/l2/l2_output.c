/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2 output: the flood (to a network's access interfaces and, head-end, to its flood list
 * of VTEPs; with security groups, only to the targets whose ports take the frame), and the
 * frames the router, or control through the inject ring, sends into networks: known
 * unicast or flood, no learning.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_mbuf.h>

#include "l2/l2_output.h"
#include "pipeline.h"
#include "vxg_meta.h"

/* The frame for one more target: a copy while others remain, else the frame itself. */
static inline struct rte_mbuf *
l2_flood_copy(struct vxg_worker *w, struct rte_mbuf *m, bool last)
{
	struct rte_mbuf *c;

	if (last)
		return m;
	c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
	if (unlikely(c == NULL)) {
		if (vxg_traced(w, m))
			vxg_trace_ev(w, m, VXG_TR_DROP, VXG_DROP_mbuf_exhausted, 0, 0, 0, 0, 0);
		w->stats.drops[VXG_DROP_mbuf_exhausted]++;
	} else if (vxg_traced(w, m)) {
		vxg_trace_copy(m, c); /* one record: every copy's exit is listed */
	}
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

/* Whether frame i came from one of its network's access targets (which gets no copy). */
static inline uint32_t
l2_flood_back(const struct vxg_l2_burst *b, uint16_t i)
{
	const struct vxg_gen_net *net = b->net[i];

	for (uint16_t k = 0; !b->from_overlay && k < net->n_access; k++)
		if (net->access[k].port_id == b->in_port && net->access[k].vlan == b->src[i])
			return 1;
	return 0;
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
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_FLOOD, 1, 0, net->vni, n - l2_flood_back(b, i), 0, 0);
	for (uint32_t t = 0; t < n; t++) {
		unsigned r;

		if (t < net->n_access && !b->from_overlay && net->access[t].port_id == b->in_port &&
			net->access[t].vlan == b->src[i])
			continue;
		any = true;
		r = vxg_sg_flood_take(w, net, &fp, t);
		if (r != VXG_DROP_MAX) {
			if (vxg_traced(w, m)) /* this target's copy */
				vxg_trace_ev(w, m, VXG_TR_DROP, (uint8_t)r, 0, 0, 0, 0, 0);
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
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_FLOOD, 0, 0, net->vni, left, 0, 0);
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
