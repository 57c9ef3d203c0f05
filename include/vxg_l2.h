/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB: one table of MAC locations for every network, keyed by (VNI, MAC).
 *
 * The network part of the key is the VNI rather than an index into a generation: VNIs
 * are global and stable, so a reload that reorders networks keeps every learned entry.
 *
 * Thread-safety: one lock-free rte_hash (RW_CONCURRENCY_LF | MULTI_WRITER_ADD) created
 * once by control and kept across reloads; generations only point at it. Workers look up
 * (rte_hash_lookup_bulk, positions) and add keys when they learn; rte_hash serialises
 * adders and deleters internally (a writer lock taken only when a new MAC is learned).
 * Entry storage is the `entries` array indexed by the key position rte_hash returns, so
 * nothing is allocated per entry. A worker writes an entry's `loc` with one 64-bit
 * atomic compare-and-swap (a move: control may pin the entry meanwhile) and `seen` with a
 * plain store at most once a second; control reads both racily and pins an entry (a
 * declared port, an EVPN route) with a compare-and-swap too, so neither side loses the
 * other's write. Only control deletes (ageing, `clear fdb`, static entries dropped by a
 * reload, EVPN withdrawals): it deletes the keys, waits for every worker to be quiescent
 * (rte_rcu_qsbr_synchronize), then clears the entries and frees their positions, so a
 * worker never sees a position reused under it.
 */
#ifndef VXG_L2_H
#define VXG_L2_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

/* Declared ports (all VPCs) a gateway can hold: slot + 1 fits the 16 bits of an FDB
 * entry, with one value left for frames of the gateway itself. */
#define VXG_LPORT_MAX 65534
#define VXG_LPORT_SELF 0xffff /* "sent by vxgate" (router, DHCP server): not filtered */

/* 16 bytes, not 12: rte_hash compares 16-byte keys with one SSE compare, other sizes
 * with memcmp. */
struct vxg_fdb_key {
	uint32_t vni;
	struct rte_ether_addr mac;
	uint16_t pad[3]; /* always 0 */
};

/* Kinds below VXG_FDB_LOCAL say nowhere to send: a frame to them floods, as a miss does. */
enum vxg_fdb_kind {
	VXG_FDB_NONE, /* position taken, entry not written yet or being deleted */
	/* a declared port that BGP EVPN locates (no `location`), its place not known yet:
	 * a static entry (its port slot: groups, QoS); frames to it are flooded */
	VXG_FDB_PENDING,
	VXG_FDB_LOCAL, /* an access interface (DPDK port) and VLAN */
	VXG_FDB_REMOTE, /* behind a remote VTEP */
};

/* Who put an entry where it is. Ageing deletes only learned entries; learning moves
 * learned entries, and an EVPN one to an access interface (the MAC moved here: as Linux's
 * bridge takes over an extern_learn entry, so that zebra advertises it from here). */
enum vxg_fdb_origin {
	VXG_FDB_LEARNED, /* a frame's source, by a worker */
	VXG_FDB_STATIC, /* a declared port of the config */
	VXG_FDB_EVPN, /* a MAC/IP route of BGP EVPN (control/evpn): behind a remote VTEP */
	VXG_FDB_EVPN_STICKY, /* the same, sticky (RFC 7432 15.2): learning never moves it */
};

/* Where a MAC lives. Eight bytes, so a move is one atomic store. */
union vxg_fdb_loc {
	uint64_t u64;
	struct {
		uint8_t kind; /* enum vxg_fdb_kind */
		uint8_t origin; /* enum vxg_fdb_origin: anything but learned is pinned */
		uint16_t vlan; /* LOCAL: 802.1Q tag on the wire, 0 untagged */
		union {
			rte_be32_t vtep; /* REMOTE: the VTEP's underlay address */
			uint16_t port_id; /* LOCAL: DPDK port */
		};
	};
};

/* Does loc say where to send (an access interface or a VTEP)? */
static inline bool
vxg_fdb_located(const union vxg_fdb_loc *loc)
{
	return loc->kind >= VXG_FDB_LOCAL;
}

/* May a frame seen at loc move an entry of origin `origin`? */
static inline bool
vxg_fdb_movable(uint8_t origin, const union vxg_fdb_loc *loc)
{
	return origin == VXG_FDB_LEARNED || (origin == VXG_FDB_EVPN && loc->kind == VXG_FDB_LOCAL);
}

/* Does an entry of origin `origin` come from an EVPN route? */
static inline bool
vxg_fdb_is_evpn(uint8_t origin)
{
	return origin == VXG_FDB_EVPN || origin == VXG_FDB_EVPN_STICKY;
}

struct vxg_fdb_entry {
	struct vxg_fdb_key key; /* a copy, so control can walk the array */
	union vxg_fdb_loc loc;
	uint32_t seen; /* seconds (TSC based) when last seen as a source */
	uint16_t static_gen; /* static: low bits of the config generation that declared it */
	/* static: the declared port's slot + 1 (vxg_gen.lports), written before `loc`; 0 for
	 * learned entries. Slots are stable while the port exists, across reloads. */
	uint16_t lport;
};

struct vxg_fdb {
	struct rte_hash *h;
	struct vxg_fdb_entry *entries; /* indexed by key position */
	uint32_t n_entries; /* size of entries: the hash's largest position + 1 */
	uint32_t limit; /* dataplane.limits.fdb */
	struct rte_rcu_qsbr *qsbr; /* the workers' QSBR, for deletes */
	uint32_t age_cursor; /* control: where the ager stopped */
	/* control only: (VNI, MAC) of every declared port -> its slot (the key position), and
	 * the generation that last declared each slot (vxg_fdb_lport_sweep frees the rest). */
	struct rte_hash *lp_h;
	uint32_t *lp_gen;
	/* control only, per slot: the port has no `location`, BGP EVPN's routes place its
	 * static entry (PENDING until one does); workers never read it */
	uint8_t *lp_evpn;
};

/* Seconds for `seen`: from the TSC, cheap enough to read once per burst. */
static inline uint32_t
vxg_fdb_now(void)
{
	return (uint32_t)(rte_get_tsc_cycles() / rte_get_tsc_hz());
}

static inline void
vxg_fdb_key_set(struct vxg_fdb_key *k, uint32_t vni, const struct rte_ether_addr *mac)
{
	k->vni = vni;
	k->mac = *mac;
	k->pad[0] = k->pad[1] = k->pad[2] = 0;
}

#endif
