/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router's IPv6 side, which the IPv4 router hands what it finds with the IPv6
 * ethertype: the batched path and what comes in from outside (l3v6.c), the fast path
 * (l3v6_fast.c), and what both share, inline: the header checks, the lookups and the
 * rewrite of a routed packet.
 */
#ifndef VXG_L3V6_FWD_H
#define VXG_L3V6_FWD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_fib6.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l3/l3_forward.h"
#include "pipeline.h"
#include "vxg_l3.h"

static inline struct rte_ipv6_hdr *
l3v6_ip(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, m->l2_len);
}

/* Version 6 and a payload that the frame holds (in its first segment). */
static inline bool
l3v6_valid(const struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip;

	if (unlikely(m->data_len < m->l2_len + sizeof(*ip)))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, m->l2_len);
	return (*(const uint8_t *)ip >> 4) == 6 &&
	       m->data_len >= m->l2_len + sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
}

/* Link-local (fe80::/10), multicast or unspecified: never routed. */
static inline bool
l3v6_scoped(const uint8_t *a)
{
	uint64_t hi, lo;

	if (a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		return true;
	memcpy(&hi, a, 8);
	memcpy(&lo, a + 8, 8);
	return (hi | lo) == 0;
}

static inline uint32_t
l3v6_cache_slot(const struct vxg_l3_nkey6 *k)
{
	uint64_t lo;

	memcpy(&lo, k->ip + 8, 8);
	return (uint32_t)(((lo ^ k->vni) * 0x9e3779b97f4a7c15ull) >> 56) & (VXG_L3N_CACHE - 1);
}

/* The position of key in the IPv6 neighbour table (the worker's cache first), or < 0. */
static inline int32_t
l3v6_neigh_pos(
	struct vxg_worker *w, const struct vxg_l3_neigh6_table *t, const struct vxg_l3_nkey6 *k)
{
	uint32_t slot = l3v6_cache_slot(k), e = w->l3n6_cache[slot];
	int32_t pos;

	if (e != 0 && memcmp(&t->e[e - 1].key, k, sizeof(*k)) == 0)
		return (int32_t)e - 1;
	pos = rte_hash_lookup(t->h, k);
	if (pos >= 0)
		w->l3n6_cache[slot] = (uint32_t)pos + 1;
	return pos;
}

/* The L2 rewrite and hop limit of a routed IPv6 packet; Ethernet padding goes. */
static inline void
l3v6_rewrite(struct rte_mbuf *m, const struct rte_ether_addr *src, const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip = l3v6_ip(m);
	uint32_t len = m->l2_len + sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);

	if (unlikely(m->pkt_len > len))
		rte_pktmbuf_trim(m, m->pkt_len - len);
	ip->hop_limits--;
	eth->src_addr = *src;
	eth->dst_addr = *dst;
}

static inline uint32_t
l3v6_len(const struct rte_ipv6_hdr *ip)
{
	return sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
}

/* The batched IPv6 router (l3v6.c): frame m, IPv6 to the gateway MAC of network in. */
void vxg_l3v6_input(
	struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in);

/* The fast path (l3v6_fast.c), as vxg_l3_fast_one for IPv6 frames. */
bool vxg_l3v6_fast_one(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *in);

#endif
