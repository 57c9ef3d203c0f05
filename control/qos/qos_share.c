/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dividing a policy between workers (qos_share.h).
 */
#include <rte_common.h>

#include "qos/qos_share.h"

void
vxg_qos_shares(uint64_t rate, uint64_t burst, const uint64_t *demand, unsigned n, uint64_t *cir,
	uint64_t *cbs)
{
	unsigned __int128 total = 0, floor, sum = 0;
	uint64_t cbs_min = RTE_MIN(burst, (uint64_t)VXG_QOS_CBS_MIN);

	for (unsigned i = 0; i < n; i++)
		total += demand[i];
	/* no demand at all: equal shares */
	floor = total / (4u * n) + 1;
	for (unsigned i = 0; i < n; i++)
		sum += demand[i] + floor;
	for (unsigned i = 0; i < n; i++) {
		unsigned __int128 w = demand[i] + floor;

		cir[i] = RTE_MAX((uint64_t)(rate * w / sum), (uint64_t)1);
		cbs[i] = RTE_MAX((uint64_t)(burst * w / sum), cbs_min);
	}
}

int
vxg_qos_profile(struct rte_meter_srtcm_profile *p, uint64_t cir, uint64_t cbs)
{
	struct rte_meter_srtcm_params prm = {.cir = cir, .cbs = cbs, .ebs = 0};

	return rte_meter_srtcm_profile_config(p, &prm);
}
