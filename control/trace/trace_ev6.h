/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace: the IPv6 router's events described (VXG_TR_ROUTE6, VXG_TR_NEIGH6,
 * VXG_TR_ICMP6), as trace_format.c describes the others.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_TRACE_EV6_H
#define VXG_TRACE_EV6_H

#include "trace/trace_ev.h"

void ev_route6(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o);
void ev_neigh6(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o);
void ev_icmp6(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o);

#endif
