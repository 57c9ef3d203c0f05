/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Conntrack's control side: one lock-free table per VPC, ageing in small budgets,
 * `clear conntrack`, deletes by predicate on reload, carrying connections into a resized
 * table, and the lines of `show conntrack`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "sg/conntrack.h"
#include "config/fields.h"
#include "vxg_pcache.h"

/* Positions deleted per RCU grace period. */
#define DEL_BATCH 1024

typedef bool ct_pred_t(const struct vxg_ct_entry *e, void *arg);

struct vxg_ct *
vxg_ct_create_table(const char *name, uint32_t limit, struct rte_rcu_qsbr *qsbr)
{
	static unsigned seq;
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = hname,
		.entries = limit,
		.key_len = sizeof(struct vxg_ct_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD,
	};
	struct vxg_ct *ct = rte_zmalloc("vxg_ct", sizeof(*ct), RTE_CACHE_LINE_SIZE);

	if (ct == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	/* VPC names are reused across reloads, and rte_hash names must be unique. */
	snprintf(hname, sizeof(hname), "vxg_ct%u", seq++);
	ct->h = rte_hash_create(&p);
	if (ct->h == NULL)
		goto err;
	/* With per-lcore free-slot caches (multi-writer), positions go beyond `limit`. */
	ct->n_entries = (uint32_t)rte_hash_max_key_id(ct->h) + 1;
	ct->entries = rte_zmalloc("vxg_ct_entries", (size_t)ct->n_entries * sizeof(*ct->entries),
		RTE_CACHE_LINE_SIZE);
	if (ct->entries == NULL) {
		rte_errno = ENOMEM;
		goto err;
	}
	ct->limit = limit;
	ct->qsbr = qsbr;
	snprintf(ct->name, sizeof(ct->name), "%s", name);
	return ct;
err:
	vxg_ct_destroy(ct);
	return NULL;
}

void
vxg_ct_destroy(struct vxg_ct *ct)
{
	if (ct == NULL)
		return;
	vxg_ct6_destroy(ct->v6);
	rte_hash_free(ct->h);
	rte_free(ct->entries);
	rte_free(ct);
}

/*
 * Delete the keys at `pos`: unlink them, wait until no worker can still hold a position
 * from a lookup made before, then clear the entries and give the positions back. Returns
 * how many were deleted.
 */
static unsigned
ct_del_batch(struct vxg_ct *ct, const int32_t *pos, unsigned n)
{
	unsigned k = 0;
	int32_t gone[DEL_BATCH];

	for (unsigned i = 0; i < n; i++) {
		struct vxg_ct_entry *e = &ct->entries[pos[i]];

		if (rte_hash_del_key(ct->h, &e->key) == pos[i])
			gone[k++] = pos[i];
	}
	if (k == 0)
		return 0;
	vxg_pcache_bump(); /* the workers' position caches forget them too */
	if (ct->qsbr != NULL)
		rte_rcu_qsbr_synchronize(ct->qsbr, RTE_QSBR_THRID_INVALID);
	for (unsigned i = 0; i < k; i++) {
		memset(&ct->entries[gone[i]], 0, sizeof(ct->entries[0]));
		rte_hash_free_key_with_position(ct->h, gone[i]);
	}
	return k;
}

/*
 * Delete the live entries for which pred is true among `count` positions from `*cursor`
 * (wrapping), which is left where the walk stopped. Returns how many were deleted.
 */
static unsigned
ct_sweep(struct vxg_ct *ct, uint32_t *cursor, uint32_t count, ct_pred_t *pred, void *arg)
{
	int32_t del[DEL_BATCH];
	unsigned n = 0, total = 0;
	uint32_t i = *cursor;

	for (uint32_t k = 0; k < count && k < ct->n_entries; k++, i++) {
		const struct vxg_ct_entry *e;

		if (i >= ct->n_entries)
			i = 0;
		e = &ct->entries[i];
		/* acquire: the key and the rest were written before the state */
		if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE || !pred(e, arg))
			continue;
		del[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			total += ct_del_batch(ct, del, n);
			n = 0;
		}
	}
	*cursor = i >= ct->n_entries ? 0 : i;
	return total + ct_del_batch(ct, del, n);
}

static bool
ct_is_expired(const struct vxg_ct_entry *e, void *arg)
{
	return vxg_ct_expired(e, *(const uint32_t *)arg);
}

static bool
ct_any(const struct vxg_ct_entry *e, void *arg)
{
	return true;
}

unsigned
vxg_ct_age(struct vxg_ct *ct, uint32_t now, uint32_t budget)
{
	return ct_sweep(ct, &ct->age_cursor, budget, ct_is_expired, &now) +
	       vxg_ct6_age(ct, now, budget);
}

unsigned
vxg_ct_clear(struct vxg_ct *ct)
{
	uint32_t from = 0;

	return ct_sweep(ct, &from, ct->n_entries, ct_any, NULL) + vxg_ct6_clear(ct);
}

unsigned
vxg_ct_del_where(struct vxg_ct *ct, bool (*pred)(const struct vxg_ct_entry *, void *), void *arg)
{
	uint32_t from = 0;

	return ct_sweep(ct, &from, ct->n_entries, pred, arg);
}

/*
 * Copy into `to` the live, unexpired entries of `from` that are replied (or not), while
 * `to` has room for them (*kept of to->limit); count the others in *dropped.
 */
static void
ct_copy_pass(struct vxg_ct *to, const struct vxg_ct *from, bool replied, uint32_t now,
	uint32_t *kept, uint32_t *dropped)
{
	for (uint32_t i = 0; i < from->n_entries; i++) {
		const struct vxg_ct_entry *e = &from->entries[i];
		/* acquire: the key and the rest were written before the state */
		uint8_t state = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);
		int32_t pos;

		if (state == VXG_CT_NONE || vxg_ct_state_replied(state) != replied ||
			vxg_ct_expired(e, now))
			continue;
		if (*kept >= to->limit || (pos = rte_hash_add_key(to->h, &e->key)) < 0) {
			(*dropped)++;
			continue;
		}
		/* A racy copy of what workers refresh (seen, flags, gen): a packet behind at
		 * worst. No worker reads `to` yet, so the order of the writes is free. */
		to->entries[pos] = *e;
		to->entries[pos].state = state;
		(*kept)++;
	}
}

struct vxg_ct *
vxg_ct_resize(const struct vxg_ct *old, uint32_t limit, uint32_t now, uint32_t *dropped)
{
	struct vxg_ct *ct = vxg_ct_create_table(old->name, limit, old->qsbr);
	uint32_t kept = 0;

	*dropped = 0;
	if (ct == NULL)
		return NULL;
	/* Established and replied connections first: they are what a shrink must keep. */
	ct_copy_pass(ct, old, true, now, &kept, dropped);
	ct_copy_pass(ct, old, false, now, &kept, dropped);
	if (vxg_ct6_resize(ct, old, now, dropped) < 0) {
		vxg_ct_destroy(ct);
		rte_errno = ENOMEM;
		return NULL;
	}
	return ct;
}

uint32_t
vxg_ct_count(const struct vxg_ct *ct)
{
	/* Counts the per-lcore caches' free positions as free: keys in the hash, no walk. */
	int32_t n = rte_hash_count(ct->h);

	return n < 0 ? 0 : (uint32_t)n;
}

const char *
vxg_ct_state_name(uint8_t state)
{
	static const char *const names[VXG_CT_STATE_MAX] = {
		[VXG_CT_NONE] = "NONE",
		[VXG_CT_TCP_SYN_SENT] = "SYN_SENT",
		[VXG_CT_TCP_SYN_RECV] = "SYN_RECV",
		[VXG_CT_TCP_ESTABLISHED] = "ESTABLISHED",
		[VXG_CT_TCP_FIN_WAIT] = "FIN_WAIT",
		[VXG_CT_TCP_CLOSED] = "CLOSED",
		[VXG_CT_UDP_NEW] = "UDP_NEW",
		[VXG_CT_UDP_REPLIED] = "UDP_REPLIED",
		[VXG_CT_ICMP_NEW] = "ICMP_NEW",
		[VXG_CT_ICMP_REPLIED] = "ICMP_REPLIED",
		[VXG_CT_OTHER_NEW] = "OTHER_NEW",
		[VXG_CT_OTHER_REPLIED] = "OTHER_REPLIED",
	};

	return state < VXG_CT_STATE_MAX ? names[state] : "?";
}

int
vxg_ct_format(const struct vxg_ct_entry *e, uint32_t now, char *buf, size_t len)
{
	unsigned o = e->orig ? 1 : 0;
	uint8_t proto = e->key.proto;
	bool ports = proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
	char pname[16], src[24], dst[24], id[16] = "";
	int32_t age = (int32_t)(now - e->seen), left;

	if (age < 0)
		age = 0;
	left = (int32_t)vxg_ct_timeout(e->state) - age;
	if (left < 0)
		left = 0;
	vxg_proto_format(proto, pname, sizeof(pname));
	if (proto == IPPROTO_ICMP)
		snprintf(id, sizeof(id), " id %u", rte_be_to_cpu_16(e->key.port[0]));
	vxg_endpoint_format(e->key.addr[o], ports ? ":" : NULL, e->key.port[o], src, sizeof(src));
	vxg_endpoint_format(
		e->key.addr[1 - o], ports ? ":" : NULL, e->key.port[1 - o], dst, sizeof(dst));
	return snprintf(buf, len, "%s %s -> %s%s %s age %d expires %d", pname, src, dst, id,
		vxg_ct_state_name(e->state), (int)age, (int)left);
}

uint64_t
vxg_ct_memsize(const struct vxg_ct *ct)
{
	/* As for the FDB: keys, buckets (8 slots, 2 per key), the free slot ring, the entry
	 * array. */
	uint64_t keys = (uint64_t)ct->n_entries * (sizeof(struct vxg_ct_key) + 16);
	uint64_t buckets = (uint64_t)rte_align32pow2(ct->limit) / 8 * RTE_CACHE_LINE_SIZE;
	uint64_t ring = (uint64_t)rte_align32pow2(ct->n_entries) * sizeof(uint32_t);

	return keys + buckets + ring + (uint64_t)ct->n_entries * sizeof(ct->entries[0]) +
	       vxg_ct6_memsize(ct);
}
