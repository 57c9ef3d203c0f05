/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * How a QoS policy's rate and burst are divided between the workers, so that the policy
 * holds for the whole box: each worker gets a share in proportion to its recent demand
 * (bytes offered to the meter, conforming or not), plus a floor of 1/(4 n) of the total
 * demand, so a worker whose flows just arrived is not starved until the next division
 * (what a worker leaves unused reaches the others through the meter's pool, vxg_qos.h).
 * One worker gets everything. Pure functions: the feature calls them every 100 ms.
 *
 * Thread-safety: none needed (no state).
 */
#ifndef VXG_QOS_SHARE_H
#define VXG_QOS_SHARE_H

#include <stdint.h>

#include <rte_meter.h>

/* The smallest bucket a worker's share gets (capped by the burst): one jumbo frame. */
#define VXG_QOS_CBS_MIN 9216

/*
 * Shares of rate (bytes a second) and burst (bytes) for n workers whose demands in the
 * last period were demand[i] (bytes): cir[i] and cbs[i], each at least 1 and
 * min(burst, VXG_QOS_CBS_MIN) for the bucket. The cir add up to rate (within rounding).
 */
void vxg_qos_shares(uint64_t rate, uint64_t burst, const uint64_t *demand, unsigned n,
	uint64_t *cir, uint64_t *cbs);

/* An srTCM profile of committed rate cir (bytes a second) and bucket cbs, EBS 0: 0, or
 * -EINVAL (rte_meter refuses it). */
int vxg_qos_profile(struct rte_meter_srtcm_profile *p, uint64_t cir, uint64_t cbs);

#endif
