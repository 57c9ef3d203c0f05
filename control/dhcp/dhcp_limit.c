/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP servers' rate limiter (dhcp_limit.h): token buckets per client MAC in a
 * set-associative table, a bucket for new clients, a global cap.
 *
 * Thread-safety: control thread only.
 */
#include <string.h>

#include "dhcp/dhcp_limit.h"

void
vxg_dhcp_limit_init(struct vxg_dhcp_limiter *l, uint32_t client_rate, uint32_t global_rate)
{
	memset(l, 0, sizeof(*l));
	l->client_rate = client_rate;
	l->global_rate = global_rate;
	l->newcomers = (struct vxg_dhcp_bucket){.used = true, .tokens = VXG_DHCP_LIMIT_NEW_RATE};
}

void
vxg_dhcp_limit_rates(struct vxg_dhcp_limiter *l, uint32_t client_rate, uint32_t global_rate)
{
	if (client_rate != l->client_rate) {
		l->client_rate = client_rate;
		memset(l->rl, 0, sizeof(l->rl)); /* every client starts again with a full bucket */
	}
	if (global_rate != l->global_rate) {
		l->global_rate = global_rate;
		l->global.used = false; /* refilled to the new rate on the next message */
	}
}

static bool
bucket_take(struct vxg_dhcp_bucket *b, time_t now, uint32_t rate, uint32_t burst)
{
	if (now > b->last) {
		uint64_t t = b->tokens + (uint64_t)(now - b->last) * rate;

		b->tokens = t > burst ? burst : (uint32_t)t;
	}
	b->last = now; /* a clock that steps back only delays the refill */
	if (b->tokens == 0)
		return false;
	b->tokens--;
	return true;
}

unsigned
vxg_dhcp_limit_set(const struct rte_ether_addr *mac)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (unsigned i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		h = (h ^ mac->addr_bytes[i]) * 16777619u;
	return h % VXG_DHCP_LIMIT_SETS;
}

/* Would the client's bucket be full by now: has it been idle long enough to forget? */
static bool
bucket_idle(const struct vxg_dhcp_bucket *b, time_t now, uint32_t rate)
{
	uint64_t t = b->tokens;

	if (now > b->last)
		t += (uint64_t)(now - b->last) * rate;
	return !b->used || t >= 2 * rate;
}

/* mac's bucket; a new one in place of the longest idle; NULL when every way is busy. */
static struct vxg_dhcp_bucket *
bucket_of_mac(struct vxg_dhcp_limiter *s, const struct rte_ether_addr *mac, time_t now)
{
	struct vxg_dhcp_bucket *set = s->rl[vxg_dhcp_limit_set(mac)], *victim = NULL;

	for (unsigned w = 0; w < VXG_DHCP_LIMIT_WAYS; w++) {
		if (set[w].used && rte_is_same_ether_addr(&set[w].mac, mac))
			return &set[w];
		if (bucket_idle(&set[w], now, s->client_rate) &&
			(victim == NULL || !set[w].used ||
				(victim->used && set[w].last < victim->last)))
			victim = &set[w];
	}
	if (victim != NULL)
		*victim = (struct vxg_dhcp_bucket){
			.mac = *mac, .used = true, .tokens = 2 * s->client_rate, .last = now};
	return victim;
}

enum vxg_dhcp_limit
vxg_dhcp_limit_check(struct vxg_dhcp_limiter *s, const struct rte_ether_addr *src, time_t now)
{
	struct vxg_dhcp_bucket *b = s->client_rate != 0 ? bucket_of_mac(s, src, now) : NULL;

	if (s->client_rate == 0) {
		/* no per-client limit */
	} else if (b == NULL) {
		if (!bucket_take(
			    &s->newcomers, now, VXG_DHCP_LIMIT_NEW_RATE, VXG_DHCP_LIMIT_NEW_RATE))
			return VXG_DHCP_LIMIT_TABLE_FULL;
	} else if (!bucket_take(b, now, s->client_rate, 2 * s->client_rate)) {
		return VXG_DHCP_LIMIT_CLIENT;
	}
	if (s->global_rate == 0)
		return VXG_DHCP_LIMIT_OK;
	if (!s->global.used)
		s->global = (struct vxg_dhcp_bucket){
			.used = true, .tokens = s->global_rate, .last = now};
	if (!bucket_take(&s->global, now, s->global_rate, s->global_rate))
		return VXG_DHCP_LIMIT_GLOBAL;
	return VXG_DHCP_LIMIT_OK;
}
