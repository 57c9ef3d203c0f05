/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB's control side: creation, static entries from the config, ageing, `clear fdb`
 * and walks for `show fdb`. See vxg_l2.h for the contract with workers.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_FDB_H
#define VXG_FDB_H

#include <stdbool.h>
#include <stdint.h>

#include "config/model.h"
#include "core/port.h"
#include "vxg_l2.h"

/* A table for `limit` MACs; qsbr is the workers' (deletes wait for it). NULL on error,
 * with rte_errno set. */
struct vxg_fdb *vxg_fdb_create(uint32_t limit, struct rte_rcu_qsbr *qsbr);
void vxg_fdb_destroy(struct vxg_fdb *fdb);

/*
 * Make every port of cfg a static entry (moving it if it was learned elsewhere), tagged
 * with `gen`; static entries of an older generation that cfg no longer declares are
 * deleted. A port without `location` (EVPN places it) keeps the VTEP its entry had, or
 * takes that of an EVPN route for its MAC, else is PENDING until a route comes. 0, or
 * -ENOSPC if the table is full (the rest is still applied).
 */
int vxg_fdb_sync_static(struct vxg_fdb *fdb, const struct vxg_config *cfg,
	const struct vxg_iface *ifs, uint32_t gen);

/* Where a declared port lives, as its static entry says (PENDING: EVPN places it, the
 * entry itself says where). */
union vxg_fdb_loc vxg_fdb_port_loc(const struct vxg_port_cfg *pc, const struct vxg_iface *ifs);

/*
 * The slot of the declared port (vni, mac): found, or allocated (< VXG_LPORT_MAX), and
 * marked as used by generation `gen`. -ENOSPC when every slot is taken. Slots stay the
 * same across reloads while the port is declared, so an FDB entry can name its port
 * whichever generation a worker reads it with.
 */
int32_t vxg_fdb_lport(
	struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac, uint32_t gen);
/* Free the slots that generation `gen` does not use. Call once no worker reads an older
 * generation and the FDB entries carry gen's slots (after vxg_fdb_sync_static). */
void vxg_fdb_lport_sweep(struct vxg_fdb *fdb, uint32_t gen);

/* Delete learned entries not seen for `ageing` seconds, looking at up to `budget`
 * positions from where the last call stopped. Returns how many were deleted. */
unsigned vxg_fdb_age(struct vxg_fdb *fdb, uint32_t ageing, uint32_t now, uint32_t budget);

/* Delete the learned entries of network vni (0: of every network). Returns the count. */
unsigned vxg_fdb_clear(struct vxg_fdb *fdb, uint32_t vni);

/*
 * Put MAC (vni, mac) behind remote VTEP vtep (network order) as an EVPN entry until
 * withdrawn: ageing and `clear fdb` leave it, learning from the overlay does not move it,
 * learning from an access interface does unless sticky (the MAC moved here). A move is
 * one atomic store. The static entry of a port without `location` is placed there the
 * same way and stays static (its slot: groups, QoS). 0: a new EVPN entry (added, or taken
 * over from learning) or a pending port placed; 1: it was one or was placed (moved, or
 * already there); -EEXIST: a declared port with a location holds the MAC (the config
 * wins); -ENOSPC: the table is full.
 */
int vxg_fdb_evpn_set(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac,
	rte_be32_t vtep, bool sticky);

/* Is e the static entry of a port EVPN places (a port without `location`)? */
bool vxg_fdb_evpn_port(const struct vxg_fdb *fdb, const struct vxg_fdb_entry *e);

/* The withdrawal of the route that placed the port EVPN locates at (vni, mac): its static
 * entry goes back to PENDING (frames to it flood again). 0, or -ENOENT: no such port placed. */
int vxg_fdb_evpn_pend(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac);

/* Delete the EVPN entries among keys (entries of another origin stay), one grace period
 * per 1024. Returns how many went. */
unsigned vxg_fdb_evpn_del(struct vxg_fdb *fdb, const struct vxg_fdb_key *keys, unsigned n);

/* The first half of a withdrawal: unlink the EVPN entry (vni, mac) from the table (a new
 * lookup misses it, a re-add takes another position) and return its position, which the
 * caller gives to vxg_fdb_release later; -ENOENT: no such EVPN entry. Lets many
 * withdrawals share one grace period. */
int32_t vxg_fdb_evpn_unlink(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac);

/* Wait until no worker can hold the unlinked positions pos, then free them. */
void vxg_fdb_release(struct vxg_fdb *fdb, const int32_t *pos, unsigned n);

/* Entries in use. */
uint32_t vxg_fdb_count(const struct vxg_fdb *fdb);

/* Bytes of the hash and the entry array, for `show memory`. */
uint64_t vxg_fdb_memsize(const struct vxg_fdb *fdb);

#endif
