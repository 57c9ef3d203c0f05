/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace, the worker's recording (core/trace.h): marking at rx, events into the
 * traced packets' records, exits, and publishing at the end of a pass. Everything here
 * runs only for traced packets, out of the stages' line.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "core/trace.h"

/* The record of m if it is one this pass opened; NULL for anything else (a mark no record
 * of this pass explains is ignored, not trusted). */
static inline struct vxg_trace_rec *
trace_rec(struct vxg_worker *w, const struct rte_mbuf *m)
{
	uint16_t i = vxg_meta((struct rte_mbuf *)(uintptr_t)m)->trace;

	if (w->trace_buf == NULL || i < w->trace.pass_first || i >= w->trace.n_used)
		return NULL;
	return &w->trace_buf->rec[i];
}

static struct vxg_trace_ev *
trace_add(struct vxg_trace_rec *r, uint8_t kind, uint8_t code, uint16_t h, uint32_t a, uint32_t b,
	uint16_t c, uint16_t d)
{
	struct vxg_trace_ev *e;

	if (r->n_ev == VXG_TRACE_EVENTS) {
		if (r->lost < UINT8_MAX)
			r->lost++;
		return NULL;
	}
	e = &r->ev[r->n_ev++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->code = code;
	e->h = h;
	e->a = a;
	e->b = b;
	e->c = c;
	e->d = d;
	return e;
}

void
vxg_trace_ev(struct vxg_worker *w, const struct rte_mbuf *m, uint8_t kind, uint8_t code, uint16_t h,
	uint32_t a, uint32_t b, uint16_t c, uint16_t d)
{
	struct vxg_trace_rec *r = trace_rec(w, m);

	if (r != NULL)
		trace_add(r, kind, code, h, a, b, c, d);
}

struct vxg_trace_rec *
vxg_trace_rec_of(struct vxg_worker *w, const struct rte_mbuf *m)
{
	return trace_rec(w, m);
}

void
vxg_trace_rec_ev(struct vxg_trace_rec *r, uint8_t kind, uint8_t code, uint16_t h, uint32_t a,
	uint32_t b, uint16_t c, uint16_t d)
{
	trace_add(r, kind, code, h, a, b, c, d);
}

void
vxg_trace_ev_mac(struct vxg_worker *w, const struct rte_mbuf *m, uint8_t kind, uint8_t code,
	uint16_t h, uint32_t a, uint32_t b, uint16_t c, const struct rte_ether_addr *mac)
{
	struct vxg_trace_rec *r = trace_rec(w, m);
	struct vxg_trace_ev *e;

	if (r != NULL && (e = trace_add(r, kind, code, h, a, b, c, 0)) != NULL)
		e->mac = *mac;
}

unsigned
vxg_trace_mark(struct vxg_worker *w, const struct rte_mbuf *m)
{
	const struct vxg_trace_rec *r = vxg_traced(w, m) ? trace_rec(w, m) : NULL;

	return r != NULL ? (unsigned)r->n_ev + r->lost : 0;
}

void
vxg_trace_rewind(struct vxg_worker *w, const struct rte_mbuf *m, unsigned mark)
{
	struct vxg_trace_rec *r = vxg_traced(w, m) ? trace_rec(w, m) : NULL;

	if (r == NULL || (unsigned)r->n_ev + r->lost <= mark)
		return;
	if (mark <= VXG_TRACE_EVENTS) {
		r->n_ev = (uint8_t)mark;
		r->lost = 0;
	} else {
		r->lost = (uint8_t)(mark - VXG_TRACE_EVENTS);
	}
}

void
vxg_trace_copy(const struct rte_mbuf *from, struct rte_mbuf *to)
{
	to->ol_flags |= vxg_trace_mask;
	vxg_meta(to)->trace = vxg_meta((struct rte_mbuf *)(uintptr_t)from)->trace;
}

void
vxg_trace_route(struct vxg_worker *w, const struct rte_mbuf *m, const struct vxg_l3_vpc *l3,
	uint16_t vpc, uint32_t nhi, rte_be32_t dst, uint8_t code)
{
	const struct vxg_nh *nh = nhi != VXG_L3_NO_ROUTE ? &l3->nhs[nhi] : NULL;
	rte_be32_t via = dst;
	uint16_t port = 0;

	if (code != VXG_TR_ROUTE_LOCAL)
		code |= nh == NULL                     ? VXG_TR_ROUTE_NONE
			: nh->kind == VXG_NH_INTERFACE ? VXG_TR_ROUTE_INTERFACE
			: nh->kind == VXG_NH_GATEWAY   ? VXG_TR_ROUTE_GATEWAY
						       : VXG_TR_ROUTE_CONNECTED;
	if (nh != NULL && nh->kind != VXG_NH_CONNECTED)
		via = rte_cpu_to_be_32(nh->gateway);
	if (nh != NULL && nh->kind == VXG_NH_INTERFACE)
		port = nh->port_id;
	vxg_trace_ev(w, m, VXG_TR_ROUTE, code, vpc, dst, via, (uint16_t)(nh != NULL ? nhi + 1 : 0),
		port);
}

/* An IPv6 event: the address where the IPv4 kinds keep b, c, d and mac. */
static void
trace_ev6(struct vxg_worker *w, const struct rte_mbuf *m, uint8_t kind, uint8_t code, uint16_t h,
	uint32_t a, const uint8_t *ip6)
{
	struct vxg_trace_rec *r = trace_rec(w, m);
	struct vxg_trace_ev *e;

	if (r != NULL && (e = trace_add(r, kind, code, h, a, 0, 0, 0)) != NULL)
		memcpy(e->ip6, ip6, sizeof(e->ip6));
}

void
vxg_trace_route6(struct vxg_worker *w, const struct rte_mbuf *m, const struct vxg_l3_vpc6 *l3,
	uint16_t vpc, uint32_t nhi, const uint8_t *dst, uint8_t code)
{
	const struct vxg_nh6 *nh = nhi != VXG_L3_NO_ROUTE6 ? &l3->nhs[nhi] : NULL;
	uint32_t a = 0;

	if (code != VXG_TR_ROUTE_LOCAL)
		code |= nh == NULL                     ? VXG_TR_ROUTE_NONE
			: nh->kind == VXG_NH_INTERFACE ? VXG_TR_ROUTE_INTERFACE
			: nh->kind == VXG_NH_GATEWAY   ? VXG_TR_ROUTE_GATEWAY
						       : VXG_TR_ROUTE_CONNECTED;
	if (nh != NULL) {
		a = nhi + 1;
		if (nh->kind == VXG_NH_INTERFACE)
			a |= (uint32_t)nh->port_id << 16;
	}
	trace_ev6(w, m, VXG_TR_ROUTE6, code, vpc, a, dst);
}

void
vxg_trace_neigh6(
	struct vxg_worker *w, const struct rte_mbuf *m, uint32_t vni, const uint8_t *ip, bool hit)
{
	trace_ev6(w, m, VXG_TR_NEIGH6, hit, 0, vni, ip);
}

void
vxg_trace_frags(struct vxg_worker *w, const struct rte_mbuf *m, struct rte_mbuf **frags, unsigned n)
{
	vxg_trace_ev(w, m, VXG_TR_FRAG, 0, 0, n, 0, 0, 0);
	for (unsigned i = 0; i < n; i++)
		vxg_trace_copy(m, frags[i]);
}

/* ---- Marking, commands, the end of a pass ---------------------------------------------- */

/* Open a record for m, just received on `in`: false when the buffer is full. */
static bool
trace_open(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf *m)
{
	struct vxg_trace_buf *b = w->trace_buf;
	struct vxg_trace_rec *r;
	uint32_t i = w->trace.n_used;

	if (i == VXG_TRACE_MAX) {
		b->full++;
		return false;
	}
	r = &b->rec[i];
	r->tsc = rte_rdtsc();
	r->gen = w->gen->id;
	r->seq = (uint32_t)++b->traced;
	r->port = in->port_id;
	r->len = (uint16_t)RTE_MIN(m->pkt_len, (uint32_t)UINT16_MAX);
	r->n_ev = 0;
	r->lost = 0;
	r->head_len = (uint8_t)RTE_MIN(m->data_len, (uint16_t)VXG_TRACE_HEAD);
	memcpy(r->head, rte_pktmbuf_mtod(m, const void *), r->head_len);
	w->trace.n_used = i + 1;
	w->trace.live++;
	m->ol_flags |= vxg_trace_mask;
	vxg_meta(m)->trace = (uint16_t)i;
	trace_add(r, VXG_TR_RX, in->role, in->port_id, in->index, m->pkt_len, 0, 0);
	return true;
}

void
vxg_trace_rx(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	struct vxg_trace_wk *t = &w->trace;

	if (w->trace_buf == NULL || (t->port != VXG_TRACE_ANY_PORT && t->port != in->port_id))
		return;
	for (uint16_t i = 0; i < n && t->budget > 0; i++) {
		/* The frame as received, before any stage changed it; one the filter refuses
		 * leaves the budget to the next that matches. */
		if (!vxg_bpf_match(&t->filter, pkts[i])) {
			w->trace_buf->filtered++;
			continue;
		}
		t->budget--;
		trace_open(w, in, pkts[i]);
	}
	w->trace_buf->left = t->budget;
}

void
vxg_trace_take(struct vxg_worker *w, const struct vxg_trace_cmd *cmd)
{
	struct vxg_trace_buf *b = w->trace_buf;
	struct vxg_trace_wk *t = &w->trace;

	if (b == NULL)
		return;
	if (cmd->epoch != t->epoch) {
		/* Forget the records: control shows none until it sees the new epoch. */
		t->n_used = t->pass_first = 0;
		b->traced = b->full = b->filtered = 0;
		__atomic_store_n(&b->n_done, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&b->epoch, cmd->epoch, __ATOMIC_RELEASE);
		t->epoch = cmd->epoch;
	}
	t->budget = cmd->budget;
	t->port = cmd->port;
	t->filter = cmd->filter;
	b->left = t->budget;
	__atomic_store_n(&b->applied, cmd->seq, __ATOMIC_RELEASE);
}

void
vxg_trace_pass_end(struct vxg_worker *w)
{
	__atomic_store_n(&w->trace_buf->n_done, w->trace.n_used, __ATOMIC_RELEASE);
	w->trace.pass_first = w->trace.n_used;
	w->trace.live = 0;
}

/* ---- Exits --------------------------------------------------------------------------- */

void
vxg_trace_tx(struct vxg_worker *w, struct rte_mbuf *m, uint16_t port_id)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint16_t vlan = 0;

	if (m->data_len >= sizeof(*eth) + sizeof(struct rte_vlan_hdr) &&
		eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN))
		vlan = rte_be_to_cpu_16(((const struct rte_vlan_hdr *)(eth + 1))->vlan_tci) & 0xfff;
	vxg_trace_ev(w, m, VXG_TR_TX, 0, port_id, 0, 0, vlan, 0);
}

void
vxg_trace_drop(struct vxg_worker *w, struct rte_mbuf *m, unsigned reason)
{
	vxg_trace_ev(w, m, VXG_TR_DROP, (uint8_t)reason, 0, 0, 0, 0, 0);
	m->ol_flags &= ~vxg_trace_mask;
}

void
vxg_trace_punt_burst(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		struct vxg_trace_rec *r = vxg_traced(w, m) ? trace_rec(w, m) : NULL;

		/* Control owns m once it is on the ring: record first, and unmark it (control
		 * may send it back through a worker). */
		if (r != NULL)
			trace_add(r, VXG_TR_PUNT, vxg_meta(m)->why, 0, 0, 0, 0, 0);
		m->ol_flags &= ~vxg_trace_mask;
		if (rte_ring_mp_enqueue(w->punt_ring, m) == 0) {
			w->stats.punted++;
			continue;
		}
		if (r != NULL)
			trace_add(r, VXG_TR_DROP, VXG_DROP_punt_full, 0, 0, 0, 0, 0);
		w->stats.drops[VXG_DROP_punt_full]++;
		rte_pktmbuf_free(m);
	}
}

void
vxg_trace_tx_refused(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		if (vxg_traced(w, pkts[i]))
			vxg_trace_ev(w, pkts[i], VXG_TR_DROP, VXG_DROP_tx_full, 0, 0, 0, 0, 0);
}
