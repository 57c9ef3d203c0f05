/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT outbound's fast path, for the router's (l3/l3_fast.c): an established SNAT flow
 * whose session is in the worker's exact-match cache is found out of line
 * (vxg_nat_fast_find, pipeline.h) and translated here, inline, once the router has let
 * the sender's security groups pass it. And the creation of a session, which tests call.
 */
#ifndef VXG_NAT_OUT_H
#define VXG_NAT_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "nat/nat_pkt.h"
#include "nat/nat_rewrite.h"
#include "pipeline.h"
#include "vxg_nat.h"

/* SNAT packet m, of the session vxg_nat_fast_find found: translated and counted, for the
 * caller to send. */
static inline void
vxg_nat_fast_commit(
	struct vxg_worker *w, struct rte_mbuf *m, const struct vxg_nat_fast *nf, uint32_t now)
{
	nat_touch(nf->s, true, nf->tcp_flags, now);
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_NAT, VXG_TR_NAT_SNAT, 0, nf->s->out.src, nf->s->ext_addr,
			nf->s->out.sport, nf->s->ext_port);
	vxg_nat_rewrite(m, m->l2_len, nf->s->ext_addr, nf->s->ext_port, 0, 0);
	w->stats.events[VXG_EV_nat_snat_out]++;
	w->stats.events[VXG_EV_nat_cached]++;
}

/*
 * Create the session of a new outbound flow with key k in t, for worker `worker` of
 * n_workers: pick a translated port of the worker's stripe of the range that no session
 * to the same remote end uses (the flow's own port first, when it is in the stripe),
 * write the entry (state `state`, at `now`), publish it and add the in key. Returns the
 * position, or -ENOSPC (table full; when it is the in key that finds no room, the out key
 * is deleted again and its entry left VXG_NAT_F_DEAD for control to free), -EADDRINUSE (no
 * free port). An entry already live for k (another worker made it a moment ago) is
 * returned as it is.
 */
int32_t vxg_nat_sess_create(struct vxg_nat_table *t, const struct vxg_nat_key *k, unsigned worker,
	unsigned n_workers, uint8_t state, uint32_t now);

/*
 * Write the session of out key k, in key ik, translated to ext_addr and ext_port, with
 * `flags` (VXG_NAT_F_FWD) and `state` at `now`, publish it and note it in t's caches.
 * Returns its position, *created set when this call made it (else another packet did, a
 * moment ago, and the entry is that packet's), or -ENOSPC.
 */
int32_t vxg_nat_sess_insert(struct vxg_nat_table *t, const struct vxg_nat_key *k,
	const struct vxg_nat_key *ik, rte_be32_t ext_addr, rte_be16_t ext_port, uint8_t flags,
	uint8_t state, uint32_t now, bool *created);

#endif
