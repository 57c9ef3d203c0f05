/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection tracking for IPv6 flows: a table of its own per VPC, beside the IPv4 one
 * (vxg_ct.h), so that IPv4's keys stay 16 bytes (one SSE compare) and its entries two per
 * cache line. The states, the state machine, the timeouts and the contract with workers
 * are IPv4's: see vxg_ct.h.
 *
 * Thread-safety: as vxg_ct.h. The IPv4 table of a VPC points at this one (vxg_ct.v6),
 * which is set once, by control, from NULL to a table (release), when the VPC first has
 * IPv6; it lives and dies with the IPv4 table (resized, aged, cleared and destroyed with
 * it), so a worker that holds the IPv4 table may use it.
 */
#ifndef VXG_CT6_H
#define VXG_CT6_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>

#include "vxg_ct.h"

/*
 * 40 bytes, normalised as IPv4's: (addr[0], port[0]) <= (addr[1], port[1]), comparing
 * the addresses as numbers (memcmp of network order), then the ports in host order.
 */
struct vxg_ct6_key {
	uint8_t addr[2][16];
	rte_be16_t port[2]; /* as vxg_ct_key: ports, the ICMPv6 echo identifier or 0 */
	uint8_t proto;
	uint8_t pad[3]; /* always 0 */
};

/* 64 bytes: one cache line. The fields after the key are vxg_ct_entry's. */
struct vxg_ct6_entry {
	struct vxg_ct6_key key;
	uint32_t seen;
	uint8_t state; /* published last with a release store */
	uint8_t orig;
	uint8_t flags; /* VXG_CT_F_* */
	uint8_t pad;
	uint32_t gen;
	uint16_t lport[2];
	uint8_t pad2[8];
};

struct vxg_ct6 {
	struct rte_hash *h; /* RW_CONCURRENCY_LF | MULTI_WRITER_ADD */
	struct vxg_ct6_entry *entries; /* indexed by key position */
	uint32_t n_entries;
	uint32_t limit; /* dataplane.limits.conntrack, as the IPv4 table's */
	uint32_t age_cursor; /* control: where the ager stopped */
};

/* The VPC's IPv6 table, or NULL while it has no IPv6. */
static inline struct vxg_ct6 *
vxg_ct6_of(const struct vxg_ct *ct)
{
	return __atomic_load_n(&ct->v6, __ATOMIC_ACQUIRE);
}

/* The hash of a key, as the table computes it; also the position cache's signature. */
static inline uint32_t
vxg_ct6_sig(const struct vxg_ct6_key *k)
{
	return rte_hash_crc(k, sizeof(*k), 0);
}

static inline bool
vxg_ct6_key_eq(const struct vxg_ct6_key *a, const struct vxg_ct6_key *b)
{
	uint64_t x[5], y[5];

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) | (x[4] ^ y[4])) == 0;
}

/* Fill k for a packet from (src, sport) to (dst, dport); true when swapped (vxg_ct.h). */
static inline bool
vxg_ct6_key_make(struct vxg_ct6_key *k, uint8_t proto, const uint8_t *src, const uint8_t *dst,
	rte_be16_t sport, rte_be16_t dport)
{
	int c = memcmp(src, dst, 16);
	bool swapped = c > 0 || (c == 0 && rte_be_to_cpu_16(sport) > rte_be_to_cpu_16(dport));

	memcpy(k->addr[0], swapped ? dst : src, 16);
	memcpy(k->addr[1], swapped ? src : dst, 16);
	k->port[0] = swapped ? dport : sport;
	k->port[1] = swapped ? sport : dport;
	k->proto = proto;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
	return swapped;
}

static inline bool
vxg_ct6_expired(const struct vxg_ct6_entry *e, uint32_t now)
{
	uint8_t state = __atomic_load_n(&e->state, __ATOMIC_RELAXED);

	return (int32_t)(now - e->seen) > (int32_t)vxg_ct_timeout(state);
}

static inline bool
vxg_ct6_from_orig(const struct vxg_ct6_entry *e, bool swapped)
{
	return swapped == (e->orig != 0);
}

/* As vxg_ct_create, in the IPv6 table. */
static inline int32_t
vxg_ct6_create(struct vxg_ct6 *ct, const struct vxg_ct6_key *k, bool swapped, uint8_t state,
	uint32_t gen, uint16_t lport_orig, uint16_t lport_resp, uint32_t now)
{
	int32_t pos = rte_hash_add_key(ct->h, k);
	struct vxg_ct6_entry *e;

	if (pos < 0)
		return pos;
	e = &ct->entries[pos];
	if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) != VXG_CT_NONE) {
		if (!vxg_ct6_expired(e, now))
			return pos;
		__atomic_store_n(&e->state, VXG_CT_NONE, __ATOMIC_RELEASE);
	}
	e->key = *k;
	e->seen = now;
	e->orig = swapped;
	e->flags = 0;
	e->gen = gen;
	e->lport[0] = lport_orig;
	e->lport[1] = lport_resp;
	__atomic_store_n(&e->state, state, __ATOMIC_RELEASE);
	return pos;
}

/* A packet of e's connection; ICMPv6 echo takes IPv4 ICMP's states. */
static inline void
vxg_ct6_touch(struct vxg_ct6_entry *e, bool from_orig, uint8_t tcp_flags, uint32_t now)
{
	vxg_ct_advance(&e->state, &e->flags, &e->seen, e->key.proto, from_orig, tcp_flags, now);
}

#endif
