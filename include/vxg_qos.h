/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * QoS: bandwidth limits (qos_policies) attached to ports, floating IPs and a VPC's SNAT
 * traffic, one DPDK rte_meter (srTCM, EBS 0: green conforms, anything else exceeds) per
 * attachment, direction and worker.
 *
 * Meters are numbered (1..VXG_QOS_METERS-1, 0: none). A generation names the meter of
 * each attachment and direction (vxg_gen_lport.qos, vxg_nat_addr.qos, vxg_gen_nat.qos);
 * the meters themselves live outside generations, so a reload that keeps an attachment
 * and its policy keeps its meter number, its bucket and its counters.
 *
 * A policy's rate holds for the whole box: each worker meters with its own share of the
 * rate and burst, which control re-divides every 10 ms in proportion to each worker's
 * recent demand (bytes offered, conforming or not), with a small floor so a worker whose
 * flows just arrived is not starved until the next division. What the shares left unused
 * in a period goes into the meter's pool (at most the policy's burst), from which a
 * worker takes a packet its own share refuses: a flow that moved to another worker (a
 * tap or RSS re-steering it) keeps its rate. The pool is the only shared write, and only
 * for packets over a worker's share: traffic under it touches no shared line.
 *
 * Thread-safety: per worker, struct vxg_qos_wm[VXG_QOS_METERS] and struct
 * vxg_qos_prof[VXG_QOS_METERS], side by side in struct vxg_qos_meter[VXG_QOS_METERS],
 * allocated by control before the workers start. The worker
 * alone writes its meters' buckets and counters (plain stores); control reads the counters
 * racily (64-bit loads are not torn on x86-64), and writes a meter's bucket, action and
 * counters only while no generation the workers can read names it (a new number, before
 * publishing). Profiles are double-buffered: control writes the one `cur` does not name,
 * then stores `cur` + 1 (release); a worker loads `cur` (acquire) and reads that profile.
 * `cur` counts changes rather than flipping a bit, so a worker that slept through two of
 * them still sees that its bucket's period is not the profile's.
 * Control writes a buffer again only once every worker has been quiescent since the last
 * flip (rte_rcu_qsbr_check), so no worker still reads it. struct
 * vxg_qos_pool[VXG_QOS_METERS] is shared by all workers: they take from it with an atomic
 * subtraction, control adds to it with an atomic addition.
 */
#ifndef VXG_QOS_H
#define VXG_QOS_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_meter.h>

#include "vxg_defs.h"

#define VXG_QOS_METERS 4096 /* meter numbers per worker, 0 unused */

/* A worker's meter: one cache line, written by its worker. `cur` and `period` let a
 * packet within the period of the bucket's last refill skip the profile (qos.h). */
struct vxg_qos_wm {
	struct rte_meter_srtcm m; /* the bucket */
	uint32_t cur; /* the profile (vxg_qos_prof.cur) of the bucket's last refill */
	uint32_t period; /* its cir_period, at most UINT32_MAX (0: refill first) */
	uint64_t pkts[2], bytes[2]; /* [0] conforming, [1] exceeding (IP bytes) */
} __rte_cache_aligned;

/* A meter's pool of the rate its workers' shares left unused (bytes), shared. */
struct vxg_qos_pool {
	int64_t tokens;
} __rte_cache_aligned;

/* A worker's share of a meter's rate and burst, and what to do over it: written by
 * control. */
struct vxg_qos_prof {
	struct rte_meter_srtcm_profile p[2];
	uint32_t cur; /* the profile in use: p[cur & 1], one more at each change */
	uint8_t action; /* enum vxg_qos_action */
	uint8_t dscp; /* VXG_QOS_REMARK: the DSCP (0..63) set on exceeding packets */
} __rte_cache_aligned;

/* A worker's meter number: its bucket and counters next to its share, so that metering a
 * packet touches one page rather than two (a TLB entry each on 4 KB pages, without
 * hugepages, where two arrays cost 10 to 20 cycles a packet more). */
struct vxg_qos_meter {
	struct vxg_qos_wm wm;
	struct vxg_qos_prof prof;
};

#endif
