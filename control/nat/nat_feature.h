/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The NAT feature on the control thread: each generation's floating IPs and SNAT
 * addresses, the SNAT session table of each VPC (kept across reloads while its mapping
 * stays, resized when dataplane.limits.sessions changes, aged), gratuitous ARP for
 * addresses that are new or moved, and proxy ARP for them; the port forwards' counters
 * carried across reloads while their rule stays.
 *
 * Thread-safety: control thread only (workers read and write the session tables under
 * the contract in vxg_nat.h).
 */
#ifndef VXG_NAT_FEATURE_H
#define VXG_NAT_FEATURE_H

#include <stdint.h>

#include "nat/nat_table.h"

struct vxg_nat_stats {
	uint64_t aged; /* sessions the ager deleted */
	/* sessions a change of dataplane.limits.sessions did not carry over; _pending: of the
	 * generation last built */
	uint64_t resize_dropped, resize_pending;
	uint64_t garp_tx, garp_skipped; /* gratuitous ARPs sent; not sent (list full, no mbuf) */
	uint64_t fwd_removed; /* port forward sessions deleted as a reload removed their rule */
};

/* The session table of VPC `vpc`, NULL if it has none; the newest while a resize is in
 * flight. */
struct vxg_nat_table *vxg_nat_sessions(const char *vpc);
/* The i-th session table (every VPC's, and the old ones of a resize in flight); NULL
 * past the last. */
struct vxg_nat_table *vxg_nat_sessions_at(unsigned i);
const struct vxg_nat_stats *vxg_nat_stats(void);

struct vxg_daemon;
struct vxg_nat_fwd_ctr;
/* Forward i of the live generation's counters since its rule appeared: what the
 * generations before counted for the same rule (same VPC, address, protocol, ports and
 * target), and the workers' rows of this one. */
void vxg_nat_fwd_total(const struct vxg_daemon *d, uint32_t i, struct vxg_nat_fwd_ctr *sum);

#endif
