/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A token bucket on the TSC, so that a flood cannot make the router an ICMP amplifier.
 * Control sets a worker's up before launch (vxg_ratelimit_init, lib/ratelimit.c); the
 * worker takes tokens inline.
 *
 * Thread-safety: one owner at a time; nothing in it is atomic.
 */
#ifndef VXG_RATELIMIT_H
#define VXG_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

struct vxg_ratelimit {
	uint64_t tsc_per_token;
	uint64_t burst;
	uint64_t tokens;
	uint64_t last;
};

/* per_sec tokens a second on a clock of tsc_hz, at most `burst` saved up; full to begin. */
void vxg_ratelimit_init(
	struct vxg_ratelimit *rl, uint64_t tsc_hz, uint32_t per_sec, uint32_t burst);

/* A clock behind rl->last (another core's TSC, or a bucket held back on purpose) adds
 * nothing: the difference is taken signed, not wrapped into a full bucket. */
static inline bool
vxg_ratelimit_take(struct vxg_ratelimit *rl, uint64_t now)
{
	int64_t since = (int64_t)(now - rl->last);
	uint64_t add = since > 0 ? (uint64_t)since / rl->tsc_per_token : 0;

	if (add > 0) {
		rl->tokens = RTE_MIN(rl->burst, rl->tokens + add);
		rl->last += add * rl->tsc_per_token;
	}
	if (rl->tokens == 0)
		return false;
	rl->tokens--;
	return true;
}

#endif
