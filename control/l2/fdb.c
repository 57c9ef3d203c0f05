/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FDB's control side: the lock-free table workers learn into, static entries for
 * declared ports, ageing in small budgets, `clear fdb`, and the sizes `show memory` reports.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "l2/fdb.h"

/* Positions deleted per RCU grace period. */
#define DEL_BATCH 1024

struct vxg_fdb *
vxg_fdb_create(uint32_t limit, struct rte_rcu_qsbr *qsbr)
{
	static unsigned seq;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		.entries = limit,
		.key_len = sizeof(struct vxg_fdb_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD,
	};
	/* Control's own: no concurrency flags. Positions are the slots, < VXG_LPORT_MAX. */
	struct rte_hash_parameters lp = {
		.entries = VXG_LPORT_MAX,
		.key_len = sizeof(struct vxg_fdb_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
	};
	struct vxg_fdb *fdb = rte_zmalloc("vxg_fdb", sizeof(*fdb), RTE_CACHE_LINE_SIZE);

	if (fdb == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(name, sizeof(name), "vxg_fdb%u", seq++);
	fdb->h = rte_hash_create(&p);
	if (fdb->h == NULL)
		goto err;
	/* With per-lcore free-slot caches (multi-writer), positions go beyond `limit`. */
	fdb->n_entries = (uint32_t)rte_hash_max_key_id(fdb->h) + 1;
	fdb->entries = rte_zmalloc("vxg_fdb_entries",
		(size_t)fdb->n_entries * sizeof(*fdb->entries), RTE_CACHE_LINE_SIZE);
	if (fdb->entries == NULL) {
		rte_errno = ENOMEM;
		goto err;
	}
	fdb->limit = limit;
	fdb->qsbr = qsbr;
	snprintf(name, sizeof(name), "vxg_lport%u", seq - 1);
	lp.name = name;
	fdb->lp_h = rte_hash_create(&lp);
	fdb->lp_gen = rte_zmalloc("vxg_lport_gen", VXG_LPORT_MAX * sizeof(uint32_t), 0);
	fdb->lp_evpn = rte_zmalloc("vxg_lport_evpn", VXG_LPORT_MAX, 0);
	if (fdb->lp_h == NULL || fdb->lp_gen == NULL || fdb->lp_evpn == NULL) {
		rte_errno = ENOMEM;
		goto err;
	}
	return fdb;
err:
	vxg_fdb_destroy(fdb);
	return NULL;
}

void
vxg_fdb_destroy(struct vxg_fdb *fdb)
{
	if (fdb == NULL)
		return;
	rte_hash_free(fdb->h);
	rte_hash_free(fdb->lp_h);
	rte_free(fdb->lp_gen);
	rte_free(fdb->lp_evpn);
	rte_free(fdb->entries);
	rte_free(fdb);
}

/*
 * Delete the keys at `pos`: unlink them, wait until no worker can still hold a position
 * from a lookup made before, then clear the entries and give the positions back.
 */
static void
fdb_del_batch(struct vxg_fdb *fdb, const int32_t *pos, unsigned n)
{
	unsigned k = 0;
	int32_t gone[DEL_BATCH];

	for (unsigned i = 0; i < n; i++) {
		struct vxg_fdb_entry *e = &fdb->entries[pos[i]];

		if (rte_hash_del_key(fdb->h, &e->key) == pos[i])
			gone[k++] = pos[i];
	}
	vxg_fdb_release(fdb, gone, k);
}

void
vxg_fdb_release(struct vxg_fdb *fdb, const int32_t *pos, unsigned n)
{
	if (n == 0)
		return;
	if (fdb->qsbr != NULL)
		rte_rcu_qsbr_synchronize(fdb->qsbr, RTE_QSBR_THRID_INVALID);
	for (unsigned i = 0; i < n; i++) {
		memset(&fdb->entries[pos[i]], 0, sizeof(fdb->entries[0]));
		rte_hash_free_key_with_position(fdb->h, pos[i]);
	}
}

int32_t
vxg_fdb_lport(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac, uint32_t gen)
{
	struct vxg_fdb_key key;
	int32_t slot;

	vxg_fdb_key_set(&key, vni, mac);
	slot = rte_hash_add_key(fdb->lp_h, &key);
	if (slot < 0 || slot >= VXG_LPORT_MAX)
		return -ENOSPC;
	fdb->lp_gen[slot] = gen;
	return slot;
}

void
vxg_fdb_lport_sweep(struct vxg_fdb *fdb, uint32_t gen)
{
	const void *key;
	uint32_t it = 0;
	void *data;
	int32_t slot;

	while ((slot = rte_hash_iterate(fdb->lp_h, &key, &data, &it)) >= 0)
		if (fdb->lp_gen[slot] != gen) {
			fdb->lp_evpn[slot] = 0;
			rte_hash_del_key(fdb->lp_h, key);
		}
}

/*
 * Where the static entry of a port that EVPN locates goes, from what the entry holds now
 * (cur): the VTEP its own static entry had (a reload keeps it; was: the slot was EVPN's
 * before), or the VTEP of an EVPN route for the MAC that came before the port; else
 * PENDING until a route says where it is.
 */
static union vxg_fdb_loc
evpn_port_loc(union vxg_fdb_loc cur, bool was)
{
	union vxg_fdb_loc loc = {.u64 = 0};

	loc.origin = VXG_FDB_STATIC;
	loc.kind = VXG_FDB_PENDING;
	if (cur.kind == VXG_FDB_REMOTE &&
		((cur.origin == VXG_FDB_STATIC && was) || vxg_fdb_is_evpn(cur.origin))) {
		loc.kind = VXG_FDB_REMOTE;
		loc.vtep = cur.vtep;
	}
	return loc;
}

/* A declared port's static entry at loc; evpn: the port has no location, EVPN places it
 * (loc is ignored). */
static int
fdb_set_static(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac,
	union vxg_fdb_loc loc, uint32_t gen, bool evpn)
{
	union vxg_fdb_loc cur;
	struct vxg_fdb_key key;
	struct vxg_fdb_entry *e;
	int32_t pos, slot;
	bool was;

	vxg_fdb_key_set(&key, vni, mac);
	slot = vxg_fdb_lport(fdb, vni, mac, gen);
	pos = rte_hash_add_key(fdb->h, &key);
	if (pos < 0 || slot < 0)
		return pos < 0 ? pos : slot;
	e = &fdb->entries[pos];
	cur.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE);
	was = cur.kind != VXG_FDB_NONE && cur.origin == VXG_FDB_STATIC && fdb->lp_evpn[slot];
	e->key = key;
	e->seen = vxg_fdb_now();
	e->static_gen = (uint16_t)gen;
	e->lport = (uint16_t)(slot + 1);
	fdb->lp_evpn[slot] = evpn;
	if (!evpn) {
		loc.origin = VXG_FDB_STATIC;
		__atomic_store_n(&e->loc.u64, loc.u64, __ATOMIC_RELEASE);
		return 0;
	}
	/* A worker may move a learned or EVPN entry meanwhile: what it holds decides. */
	do
		loc = evpn_port_loc(cur, was);
	while (!__atomic_compare_exchange_n(
		&e->loc.u64, &cur.u64, loc.u64, false, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE));
	return 0;
}

union vxg_fdb_loc
vxg_fdb_port_loc(const struct vxg_port_cfg *pc, const struct vxg_iface *ifs)
{
	union vxg_fdb_loc loc = {.u64 = 0};

	if (pc->loc == VXG_LOC_VTEP) {
		loc.kind = VXG_FDB_REMOTE;
		loc.vtep = rte_cpu_to_be_32(pc->vtep);
	} else if (pc->loc == VXG_LOC_INTERFACE) {
		loc.kind = VXG_FDB_LOCAL;
		loc.port_id = ifs[pc->interface].port_id;
		loc.vlan = pc->vlan;
	} else {
		loc.kind = VXG_FDB_PENDING; /* EVPN's routes place it (the FDB entry says where) */
	}
	loc.origin = VXG_FDB_STATIC;
	return loc;
}

static int
fdb_port_static(struct vxg_fdb *fdb, const struct vxg_vpc_cfg *vpc, const struct vxg_port_cfg *pc,
	const struct vxg_iface *ifs, uint32_t gen)
{
	return fdb_set_static(fdb, vpc->networks[pc->network].vni, &pc->mac,
		vxg_fdb_port_loc(pc, ifs), gen, pc->loc == VXG_LOC_EVPN);
}

int
vxg_fdb_sync_static(struct vxg_fdb *fdb, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	uint32_t gen)
{
	int32_t stale[DEL_BATCH];
	unsigned n = 0;
	int ret = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned p = 0; p < cfg->vpcs[v].n_ports; p++)
			if (fdb_port_static(fdb, &cfg->vpcs[v], &cfg->vpcs[v].ports[p], ifs, gen) <
				0)
				ret = -ENOSPC;
	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];

		if (e->loc.kind == VXG_FDB_NONE || e->loc.origin != VXG_FDB_STATIC ||
			e->static_gen == (uint16_t)gen)
			continue;
		stale[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			fdb_del_batch(fdb, stale, n);
			n = 0;
		}
	}
	fdb_del_batch(fdb, stale, n);
	return ret;
}

unsigned
vxg_fdb_age(struct vxg_fdb *fdb, uint32_t ageing, uint32_t now, uint32_t budget)
{
	int32_t old[DEL_BATCH];
	unsigned n = 0, total = 0;
	uint32_t i = fdb->age_cursor;

	for (uint32_t k = 0; k < budget && k < fdb->n_entries; k++, i++) {
		const struct vxg_fdb_entry *e;

		if (i >= fdb->n_entries)
			i = 0;
		e = &fdb->entries[i];
		if (e->loc.kind == VXG_FDB_NONE || e->loc.origin != VXG_FDB_LEARNED ||
			(int32_t)(now - e->seen) < (int32_t)ageing)
			continue;
		old[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			fdb_del_batch(fdb, old, n);
			total += n;
			n = 0;
		}
	}
	fdb->age_cursor = i;
	fdb_del_batch(fdb, old, n);
	return total + n;
}

unsigned
vxg_fdb_clear(struct vxg_fdb *fdb, uint32_t vni)
{
	int32_t del[DEL_BATCH];
	unsigned n = 0, total = 0;

	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];

		if (e->loc.kind == VXG_FDB_NONE || e->loc.origin != VXG_FDB_LEARNED ||
			(vni != 0 && e->key.vni != vni))
			continue;
		del[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			fdb_del_batch(fdb, del, n);
			total += n;
			n = 0;
		}
	}
	fdb_del_batch(fdb, del, n);
	return total + n;
}

bool
vxg_fdb_evpn_port(const struct vxg_fdb *fdb, const struct vxg_fdb_entry *e)
{
	union vxg_fdb_loc loc = {.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE)};

	return loc.kind != VXG_FDB_NONE && loc.origin == VXG_FDB_STATIC && e->lport != 0 &&
	       fdb->lp_evpn[e->lport - 1];
}

int
vxg_fdb_evpn_set(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac,
	rte_be32_t vtep, bool sticky)
{
	union vxg_fdb_loc loc = {.u64 = 0}, want, cur;
	struct vxg_fdb_key key;
	struct vxg_fdb_entry *e;
	int32_t pos;

	loc.kind = VXG_FDB_REMOTE;
	loc.origin = sticky ? VXG_FDB_EVPN_STICKY : VXG_FDB_EVPN;
	loc.vtep = vtep;
	vxg_fdb_key_set(&key, vni, mac);
	pos = rte_hash_add_key(fdb->h, &key);
	if (pos < 0)
		return -ENOSPC;
	e = &fdb->entries[pos];
	cur.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE);
	if (cur.kind == VXG_FDB_NONE) {
		e->key = key;
		e->seen = vxg_fdb_now();
		e->static_gen = 0;
		e->lport = 0;
	}
	/* A worker may learn or move it meanwhile (it swaps too): try until it holds. */
	do {
		want = loc;
		if (cur.kind != VXG_FDB_NONE && cur.origin == VXG_FDB_STATIC) {
			/* A declared port with a location: the config wins. One EVPN places
			 * stays static (its slot). */
			if (!vxg_fdb_evpn_port(fdb, e))
				return -EEXIST;
			want.origin = VXG_FDB_STATIC;
		}
		if (cur.u64 == want.u64)
			return 1; /* (only an EVPN entry or placed port has this loc) */
	} while (!__atomic_compare_exchange_n(
		&e->loc.u64, &cur.u64, want.u64, false, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE));
	/* 1: it was an EVPN entry, or a port EVPN had placed already */
	return vxg_fdb_located(&cur) && cur.origin != VXG_FDB_LEARNED ? 1 : 0;
}

int
vxg_fdb_evpn_pend(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac)
{
	union vxg_fdb_loc loc = {.u64 = 0};
	struct vxg_fdb_key key;
	struct vxg_fdb_entry *e;
	int32_t pos;

	vxg_fdb_key_set(&key, vni, mac);
	pos = rte_hash_lookup(fdb->h, &key);
	if (pos < 0)
		return -ENOENT;
	e = &fdb->entries[pos];
	if (e->loc.kind != VXG_FDB_REMOTE || !vxg_fdb_evpn_port(fdb, e))
		return -ENOENT;
	/* Workers never move a static entry: a store will do. */
	loc.kind = VXG_FDB_PENDING;
	loc.origin = VXG_FDB_STATIC;
	__atomic_store_n(&e->loc.u64, loc.u64, __ATOMIC_RELEASE);
	return 0;
}

int32_t
vxg_fdb_evpn_unlink(struct vxg_fdb *fdb, uint32_t vni, const struct rte_ether_addr *mac)
{
	struct vxg_fdb_key key;
	int32_t pos;

	vxg_fdb_key_set(&key, vni, mac);
	pos = rte_hash_lookup(fdb->h, &key);
	if (pos < 0 || fdb->entries[pos].loc.kind == VXG_FDB_NONE ||
		!vxg_fdb_is_evpn(fdb->entries[pos].loc.origin))
		return -ENOENT;
	return rte_hash_del_key(fdb->h, &key) == pos ? pos : -ENOENT;
}

unsigned
vxg_fdb_evpn_del(struct vxg_fdb *fdb, const struct vxg_fdb_key *keys, unsigned n)
{
	int32_t del[DEL_BATCH];
	unsigned k = 0, total = 0;

	for (unsigned i = 0; i < n; i++) {
		int32_t pos = rte_hash_lookup(fdb->h, &keys[i]);

		if (pos < 0 || !vxg_fdb_is_evpn(fdb->entries[pos].loc.origin) ||
			fdb->entries[pos].loc.kind == VXG_FDB_NONE)
			continue;
		del[k++] = pos;
		if (k == DEL_BATCH) {
			fdb_del_batch(fdb, del, k);
			total += k;
			k = 0;
		}
	}
	fdb_del_batch(fdb, del, k);
	return total + k;
}

uint32_t
vxg_fdb_count(const struct vxg_fdb *fdb)
{
	return (uint32_t)rte_hash_count(fdb->h);
}

uint64_t
vxg_fdb_memsize(const struct vxg_fdb *fdb)
{
	/* rte_hash does not say its size: keys, buckets (8 slots, 2 per key), the ring of
	 * free key slots (4 bytes each, a power of two) and caches. */
	uint64_t keys = (uint64_t)fdb->n_entries * (sizeof(struct vxg_fdb_key) + 16);
	uint64_t buckets = (uint64_t)rte_align32pow2(fdb->limit) / 8 * RTE_CACHE_LINE_SIZE;
	uint64_t ring = (uint64_t)rte_align32pow2(fdb->n_entries) * sizeof(uint32_t);

	return keys + buckets + ring + (uint64_t)fdb->n_entries * sizeof(fdb->entries[0]);
}
