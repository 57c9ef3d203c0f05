/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router neighbour table's control side (router_neigh6.c), the sibling of
 * router_neigh.h's: static entries for the ports' fixed ip6s, entries learned from
 * Neighbour Discovery, resolution of next hops while their packets wait, probing and
 * ageing, with the same timers and states. See vxg_l3.h for the contract with workers.
 *
 * Thread-safety: control thread only. Times are milliseconds of a monotonic clock the
 * caller passes.
 */
#ifndef VXG_L3_NEIGH6_H
#define VXG_L3_NEIGH6_H

#include <stdbool.h>
#include <stdint.h>

#include "config/model.h"
#include "l3/router_neigh.h"
#include "vxg_l3.h"

/* A table of cap entries; qsbr is the workers' (deletes wait for it), NULL in tests.
 * NULL with rte_errno set on failure. */
struct vxg_l3_neigh6_table *vxg_l3n6_create(uint32_t cap, struct rte_rcu_qsbr *qsbr);
void vxg_l3n6_destroy(struct vxg_l3_neigh6_table *t);

struct vxg_l3_neigh6 *vxg_l3n6_lookup(
	const struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip);

/* Every fixed ip6 of every port of a dual-stack network becomes a static entry tagged
 * gen; static entries of older generations go. 0 or -ENOSPC (the rest applied). */
int vxg_l3n6_sync_static(struct vxg_l3_neigh6_table *t, const struct vxg_config *cfg, uint32_t gen);

/*
 * ip is at mac in network vni (a Neighbour Solicitation or Advertisement from it). An existing
 * learned entry takes the MAC and becomes REACHABLE; a new one is created only if `create`. Static
 * entries are never changed. Returns the entry, or NULL (not created, or full).
 */
struct vxg_l3_neigh6 *vxg_l3n6_learn(struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip,
	const struct rte_ether_addr *mac, bool create, uint64_t now_ms);

/*
 * A routed packet found no MAC for ip in vni: hold m (up to VXG_L3_NEIGH_QLEN per entry,
 * else m is freed and counted). Returns 1 when a Neighbour Solicitation should go out now (a new
 * entry), 0 when one is under way, -ENOSPC when the table is full (m freed, counted).
 * If the entry has a MAC by now, m is not held: returns 2 and the caller sends it.
 */
int vxg_l3n6_miss(struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip,
	struct rte_mbuf *m, uint64_t now_ms);

/* Hand each packet held for e to send(m, e, arg), now that e has a MAC. */
void vxg_l3n6_flush(struct vxg_l3_neigh6 *e,
	void (*send)(struct rte_mbuf *m, const struct vxg_l3_neigh6 *e, void *arg), void *arg);

/*
 * Timers: call probe(e, arg) for every entry whose probe is due (INCOMPLETE: to the
 * solicited-node address; STALE: the caller may unicast to e->mac), turn REACHABLE entries older
 * than VXG_L3N_REACHABLE_MS STALE, delete entries that did not answer VXG_L3N_PROBES probes (their
 * held packets are freed and counted). Returns the number deleted.
 */
unsigned vxg_l3n6_timers(struct vxg_l3_neigh6_table *t, uint64_t now_ms,
	void (*probe)(const struct vxg_l3_neigh6 *e, void *arg), void *arg);

/* Delete the learned entries of network vni (0: every network). Returns the count. */
unsigned vxg_l3n6_clear(struct vxg_l3_neigh6_table *t, uint32_t vni);

uint32_t vxg_l3n6_count(const struct vxg_l3_neigh6_table *t);
uint64_t vxg_l3n6_memsize(const struct vxg_l3_neigh6_table *t);
#endif
