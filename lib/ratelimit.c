/* SPDX-License-Identifier: BSD-3-Clause */
/* Setting up a token bucket (vxg_ratelimit.h); taking tokens is inline. */
#include "vxg_ratelimit.h"

void
vxg_ratelimit_init(struct vxg_ratelimit *rl, uint64_t tsc_hz, uint32_t per_sec, uint32_t burst)
{
	rl->tsc_per_token = tsc_hz / (per_sec ? per_sec : 1);
	if (rl->tsc_per_token == 0)
		rl->tsc_per_token = 1;
	rl->burst = burst;
	rl->tokens = burst;
	rl->last = 0;
}
