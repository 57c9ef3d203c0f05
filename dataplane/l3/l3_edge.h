/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a VPC meets the outside: what the router sends out of an external interface (the
 * sender's egress rules, NAT out, the interface, and the hairpin of what NAT turned back
 * to one of our NAT addresses), and what comes in from outside through NAT.
 */
#ifndef VXG_L3_EDGE_H
#define VXG_L3_EDGE_H

#include "l3/l3_forward.h"
#include "pipeline.h"

/* Out of the VPC: what the router routed out of an external interface, batched in x,
 * which is emptied. */
void vxg_l3_ext_run(struct vxg_worker *w, const struct vxg_gen *g, struct vxg_l3_ext *x);

#endif
