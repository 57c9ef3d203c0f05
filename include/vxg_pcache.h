/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker's exact-match cache of table positions, in front of the rte_hash lookups of
 * established flows (conntrack entries, NAT sessions), as OVS's exact-match cache sits in
 * front of its classifier. The CRC of a 16-byte key (the table's own hash) picks a bucket
 * of four ways; a way holds the CRC and the position. The caller checks a hit against the
 * key stored in the table's entry, so an entry deleted or reused since just misses.
 *
 * Positions held here outlive the RCU grace period that keeps an rte_hash position safe
 * to read, so control bumps vxg_pcache_epoch (vxg_pcache_bump) after it unlinks keys and
 * before it waits for the workers and clears the entries. A worker reads the epoch at the
 * start of each pass (vxg_worker_pcache_begin) and empties its caches when it moved:
 * whatever it holds was looked up after the pass began, so an entry that control clears
 * was unlinked before the bump, and the bump is seen by the pass after the one the wait
 * waited for. A new generation empties them too (what a hit implies, e.g. that a source
 * has no floating IP, holds within one generation only).
 */
#ifndef VXG_PCACHE_H
#define VXG_PCACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_hash_crc.h>

#define VXG_PCACHE_BUCKETS 2048 /* a power of 2; four ways each: 8192 flows, 64 KB */
#define VXG_PCACHE_WAYS 4

struct vxg_pcache_bucket {
	uint32_t sig[VXG_PCACHE_WAYS]; /* the key's CRC */
	uint32_t pos[VXG_PCACHE_WAYS]; /* position + 1; 0: empty */
};

struct vxg_pcache {
	uint32_t victim; /* the next way to replace in a full bucket */
	struct vxg_pcache_bucket b[VXG_PCACHE_BUCKETS] __rte_cache_aligned;
};

/* Bumped by control before it waits for the workers and frees positions. */
extern uint32_t vxg_pcache_epoch;

static inline void
vxg_pcache_bump(void)
{
	__atomic_add_fetch(&vxg_pcache_epoch, 1, __ATOMIC_SEQ_CST);
}

static inline void
vxg_pcache_clear(struct vxg_pcache *c)
{
	memset(c->b, 0, sizeof(c->b));
}

/* The hash of a 16-byte key, as the tables' rte_hash computes it (rte_hash_crc, 0). */
static inline uint32_t
vxg_pcache_sig(const void *key16)
{
	uint64_t k[2];

	memcpy(k, key16, sizeof(k));
	return rte_hash_crc_8byte(k[1], rte_hash_crc_8byte(k[0], 0));
}

/* The position cached for sig, or -1. */
static inline int32_t
vxg_pcache_get(const struct vxg_pcache *c, uint32_t sig)
{
	const struct vxg_pcache_bucket *b = &c->b[sig & (VXG_PCACHE_BUCKETS - 1)];

	for (unsigned k = 0; k < VXG_PCACHE_WAYS; k++)
		if (b->sig[k] == sig && b->pos[k] != 0)
			return (int32_t)b->pos[k] - 1;
	return -1;
}

static inline void
vxg_pcache_set(struct vxg_pcache *c, uint32_t sig, int32_t pos)
{
	struct vxg_pcache_bucket *b = &c->b[sig & (VXG_PCACHE_BUCKETS - 1)];
	unsigned way = VXG_PCACHE_WAYS;

	for (unsigned k = 0; k < VXG_PCACHE_WAYS; k++) {
		if (b->pos[k] != 0 && b->sig[k] == sig) {
			way = k;
			break;
		}
		if (b->pos[k] == 0 && way == VXG_PCACHE_WAYS)
			way = k;
	}
	if (way == VXG_PCACHE_WAYS)
		way = c->victim++ & (VXG_PCACHE_WAYS - 1);
	b->sig[way] = sig;
	b->pos[way] = (uint32_t)pos + 1;
}

/* Are two 16-byte keys equal? */
static inline bool
vxg_key16_eq(const void *a, const void *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

#endif
