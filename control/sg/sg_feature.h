/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security groups feature on the control thread: each generation's compiled rules
 * and port security, the conntrack table of each VPC with security groups (kept across
 * reloads, resized when dataplane.limits.conntrack changes, aged), and the rule hits a
 * reload carries over.
 *
 * Thread-safety: control thread only (workers read and write the conntrack tables under
 * the contract in vxg_ct.h).
 */
#ifndef VXG_SG_FEATURE_H
#define VXG_SG_FEATURE_H

#include <stdint.h>

#include "sg/conntrack.h"

struct vxg_sg_stats {
	uint64_t ct_aged; /* connections the ager deleted */
	/* connections a change of dataplane.limits.conntrack did not carry over (no room in
	 * the smaller table); _pending: of the generation last built */
	uint64_t resize_dropped, resize_pending;
};

/* The conntrack table of VPC `vpc`, or NULL; the newest while a resize is in flight. */
struct vxg_ct *vxg_sg_conntrack(const char *vpc);
/* The i-th conntrack table (every VPC's, and the old ones of a resize in flight); NULL
 * past the last. */
struct vxg_ct *vxg_sg_conntrack_at(unsigned i);
const struct vxg_sg_stats *vxg_sg_stats(void);

/* The live generation's rule hits counted in the generations before it, for the rules
 * reloads kept unchanged (vxg_sg_hits_carry): *base gets one row per VPC (NULL rows,
 * or *base NULL: none); returns the number of rows. */
unsigned vxg_sg_hits_base(uint64_t *const **base);

#endif
