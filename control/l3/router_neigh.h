/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router neighbour table's control side: static entries from the config, entries
 * learned from ARP and DHCP, resolution of next hops workers found no entry for (their
 * packets wait in a short queue while the router asks), probing and ageing. See
 * vxg_l3.h for the contract with workers.
 *
 * Thread-safety: control thread only. Times are milliseconds of a monotonic clock the
 * caller passes.
 */
#ifndef VXG_L3_NEIGH_H
#define VXG_L3_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#include "config/model.h"
#include "vxg_l3.h"

#define VXG_L3N_REACHABLE_MS 60000 /* then STALE and probed */
#define VXG_L3N_PROBE_MS 1000
#define VXG_L3N_PROBES 3 /* unanswered probes before an entry goes */

/* A table of cap entries; qsbr is the workers' (deletes wait for it), NULL in tests.
 * NULL with rte_errno set on failure. */
struct vxg_l3_neigh_table *vxg_l3n_create(uint32_t cap, struct rte_rcu_qsbr *qsbr);
void vxg_l3n_destroy(struct vxg_l3_neigh_table *t);

struct vxg_l3_neigh *vxg_l3n_lookup(
	const struct vxg_l3_neigh_table *t, uint32_t vni, rte_be32_t ip);

/* Every fixed IP of every port (and DHCP static host) of cfg becomes a static entry
 * tagged gen; static entries of older generations go. 0 or -ENOSPC (the rest applied). */
int vxg_l3n_sync_static(struct vxg_l3_neigh_table *t, const struct vxg_config *cfg, uint32_t gen);

/*
 * ip is at mac in network vni (an ARP from it, a DHCP binding). An existing learned
 * entry takes the MAC and becomes REACHABLE; a new one is created only if `create`.
 * Static entries are never changed. Returns the entry, or NULL (not created, or full).
 */
struct vxg_l3_neigh *vxg_l3n_learn(struct vxg_l3_neigh_table *t, uint32_t vni, rte_be32_t ip,
	const struct rte_ether_addr *mac, bool create, uint64_t now_ms);

/*
 * A routed packet found no MAC for ip in vni: hold m (up to VXG_L3_NEIGH_QLEN per entry,
 * else m is freed and counted). Returns 1 when an ARP request should go out now (a new
 * entry), 0 when one is under way, -ENOSPC when the table is full (m freed, counted).
 * If the entry has a MAC by now, m is not held: returns 2 and the caller sends it.
 */
int vxg_l3n_miss(struct vxg_l3_neigh_table *t, uint32_t vni, rte_be32_t ip, struct rte_mbuf *m,
	uint64_t now_ms);

/* Hand each packet held for e to send(m, e, arg), now that e has a MAC. */
void vxg_l3n_flush(struct vxg_l3_neigh *e,
	void (*send)(struct rte_mbuf *m, const struct vxg_l3_neigh *e, void *arg), void *arg);

/*
 * Timers: call probe(e, arg) for every entry whose probe is due (INCOMPLETE: broadcast
 * request; STALE: the caller may unicast to e->mac), turn REACHABLE entries older than
 * VXG_L3N_REACHABLE_MS STALE, delete entries that did not answer VXG_L3N_PROBES probes
 * (their held packets are freed and counted). Returns the number deleted.
 */
unsigned vxg_l3n_timers(struct vxg_l3_neigh_table *t, uint64_t now_ms,
	void (*probe)(const struct vxg_l3_neigh *e, void *arg), void *arg);

/* Delete the learned entries of network vni (0: every network). Returns the count. */
unsigned vxg_l3n_clear(struct vxg_l3_neigh_table *t, uint32_t vni);

uint32_t vxg_l3n_count(const struct vxg_l3_neigh_table *t);
uint64_t vxg_l3n_memsize(const struct vxg_l3_neigh_table *t);
const char *vxg_l3n_state_name(enum vxg_l3_nstate s);

#endif
