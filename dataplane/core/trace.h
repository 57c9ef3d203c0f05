/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace, the worker's part (vxg_trace.h has the records and the contract with
 * control): marking packets at rx, the events the stages add to a traced packet's
 * record, its exits, and the end of a pass that publishes the records.
 *
 * A stage asks vxg_traced() first: with tracing off, `live` is 0 and the test is one
 * predictable branch on a worker field; the recording itself is out of line (trace.c).
 *
 * Thread-safety: the worker's own; see vxg_trace.h.
 */
#ifndef VXG_CORE_TRACE_H
#define VXG_CORE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "vxg_gen.h"
#include "vxg_l3.h"
#include "vxg_meta.h"
#include "vxg_trace.h"
#include "vxg_worker.h"

/* Is m a packet this pass traces? */
static __rte_always_inline bool
vxg_traced(const struct vxg_worker *w, const struct rte_mbuf *m)
{
	return unlikely(w->trace.live != 0) && (m->ol_flags & vxg_trace_mask) != 0;
}

/* A command from control (VXG_MSG_TRACE), between passes. */
void vxg_trace_take(struct vxg_worker *w, const struct vxg_trace_cmd *cmd);
/* Mark what interface `in` received and the filter matches, as far as the budget goes
 * (while it is not 0). */
void vxg_trace_rx(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);
/* The end of a pass that traced packets: publish their records. */
void vxg_trace_pass_end(struct vxg_worker *w);

/* An event of traced packet m (fields as vxg_trace.h lists them by kind). */
void vxg_trace_ev(struct vxg_worker *w, const struct rte_mbuf *m, uint8_t kind, uint8_t code,
	uint16_t h, uint32_t a, uint32_t b, uint16_t c, uint16_t d);
/* The same with a MAC (L2, NEIGH). */
void vxg_trace_ev_mac(struct vxg_worker *w, const struct rte_mbuf *m, uint8_t kind, uint8_t code,
	uint16_t h, uint32_t a, uint32_t b, uint16_t c, const struct rte_ether_addr *mac);
/* The record of traced m, for events recorded after m may be gone (sent on, freed). */
struct vxg_trace_rec *vxg_trace_rec_of(struct vxg_worker *w, const struct rte_mbuf *m);
void vxg_trace_rec_ev(struct vxg_trace_rec *r, uint8_t kind, uint8_t code, uint16_t h, uint32_t a,
	uint32_t b, uint16_t c, uint16_t d);
/* How many events m's record holds, to go back to with vxg_trace_rewind when a fast path
 * declines a packet it started to record (the batched path then records it again). */
unsigned vxg_trace_mark(struct vxg_worker *w, const struct rte_mbuf *m);
void vxg_trace_rewind(struct vxg_worker *w, const struct rte_mbuf *m, unsigned mark);
/* `to` is a copy of traced packet `from` (a flood copy, a fragment): same record. */
void vxg_trace_copy(const struct rte_mbuf *from, struct rte_mbuf *to);
/* m took route nhi (VXG_L3_NO_ROUTE: none) of l3, VPC vpc, to dst; code a
 * vxg_tr_route flag (VXG_TR_ROUTE_OUTSIDE) or VXG_TR_ROUTE_LOCAL. */
void vxg_trace_route(struct vxg_worker *w, const struct rte_mbuf *m, const struct vxg_l3_vpc *l3,
	uint16_t vpc, uint32_t nhi, rte_be32_t dst, uint8_t code);
/* The same for IPv6: route nhi (VXG_L3_NO_ROUTE6: none) of l3 to dst, or code
 * VXG_TR_ROUTE_LOCAL; code may carry VXG_TR_ROUTE_OUTSIDE. */
void vxg_trace_route6(struct vxg_worker *w, const struct rte_mbuf *m, const struct vxg_l3_vpc6 *l3,
	uint16_t vpc, uint32_t nhi, const uint8_t *dst, uint8_t code);
/* m's next hop ip in network vni (or VXG_L3N6_IF | interface): its MAC known or not. */
void vxg_trace_neigh6(
	struct vxg_worker *w, const struct rte_mbuf *m, uint32_t vni, const uint8_t *ip, bool hit);
/* m became fragments frags[0..n): they carry its record. */
void vxg_trace_frags(
	struct vxg_worker *w, const struct rte_mbuf *m, struct rte_mbuf **frags, unsigned n);

/* Exits: queued on port_id (VLAN read from the frame), dropped, punted. */
void vxg_trace_tx(struct vxg_worker *w, struct rte_mbuf *m, uint16_t port_id);
void vxg_trace_drop(struct vxg_worker *w, struct rte_mbuf *m, unsigned reason);
/* vxg_punt_burst while this pass traces: each packet punted (or dropped, ring full) in
 * order, its trace mark cleared before control gets it. */
void vxg_trace_punt_burst(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n);
/* The port's queue did not take these at the flush: dropped (tx_full), not freed. */
void vxg_trace_tx_refused(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n);

#endif
