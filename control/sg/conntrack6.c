/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Conntrack's control side for IPv6 flows: the VPC's IPv6 table (vxg_ct6.h), made when
 * the VPC first has IPv6 and then kept with its IPv4 table: resized, aged, cleared and
 * destroyed with it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "sg/conntrack6.h"
#include "vxg_pcache.h"

#define DEL_BATCH 1024

static struct vxg_ct6 *
ct6_table(uint32_t limit)
{
	static unsigned seq;
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = hname,
		.entries = limit,
		.key_len = sizeof(struct vxg_ct6_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD,
	};
	struct vxg_ct6 *ct = rte_zmalloc("vxg_ct6", sizeof(*ct), RTE_CACHE_LINE_SIZE);

	if (ct == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(hname, sizeof(hname), "vxg_ct6_%u", seq++);
	if ((ct->h = rte_hash_create(&p)) == NULL)
		goto err;
	ct->n_entries = (uint32_t)rte_hash_max_key_id(ct->h) + 1;
	ct->entries = rte_zmalloc("vxg_ct6_entries", (size_t)ct->n_entries * sizeof(*ct->entries),
		RTE_CACHE_LINE_SIZE);
	if (ct->entries == NULL) {
		rte_errno = ENOMEM;
		goto err;
	}
	ct->limit = limit;
	return ct;
err:
	vxg_ct6_destroy(ct);
	return NULL;
}

void
vxg_ct6_destroy(struct vxg_ct6 *ct)
{
	if (ct == NULL)
		return;
	rte_hash_free(ct->h);
	rte_free(ct->entries);
	rte_free(ct);
}

int
vxg_ct_enable_v6(struct vxg_ct *ct)
{
	struct vxg_ct6 *t;

	if (ct->v6 != NULL)
		return 0;
	if ((t = ct6_table(ct->limit)) == NULL)
		return -rte_errno;
	/* release: workers that see the pointer see the table's contents */
	__atomic_store_n(&ct->v6, t, __ATOMIC_RELEASE);
	return 0;
}

/* As conntrack.c's ct_del_batch: unlink, wait for the workers, clear, free. */
static unsigned
ct6_del_batch(const struct vxg_ct *parent, struct vxg_ct6 *ct, const int32_t *pos, unsigned n)
{
	unsigned k = 0;
	int32_t gone[DEL_BATCH];

	for (unsigned i = 0; i < n; i++)
		if (rte_hash_del_key(ct->h, &ct->entries[pos[i]].key) == pos[i])
			gone[k++] = pos[i];
	if (k == 0)
		return 0;
	vxg_pcache_bump();
	if (parent->qsbr != NULL)
		rte_rcu_qsbr_synchronize(parent->qsbr, RTE_QSBR_THRID_INVALID);
	for (unsigned i = 0; i < k; i++) {
		memset(&ct->entries[gone[i]], 0, sizeof(ct->entries[0]));
		rte_hash_free_key_with_position(ct->h, gone[i]);
	}
	return k;
}

/* Delete the live entries expired at `now` (all: every live one) among `count`
 * positions from *cursor. */
static unsigned
ct6_sweep(const struct vxg_ct *parent, uint32_t *cursor, uint32_t count, bool all, uint32_t now)
{
	struct vxg_ct6 *ct = parent->v6;
	int32_t del[DEL_BATCH];
	unsigned n = 0, total = 0;
	uint32_t i = *cursor;

	for (uint32_t k = 0; k < count && k < ct->n_entries; k++, i++) {
		const struct vxg_ct6_entry *e;

		if (i >= ct->n_entries)
			i = 0;
		e = &ct->entries[i];
		if (__atomic_load_n(&e->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE ||
			!(all || vxg_ct6_expired(e, now)))
			continue;
		del[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			total += ct6_del_batch(parent, ct, del, n);
			n = 0;
		}
	}
	*cursor = i >= ct->n_entries ? 0 : i;
	return total + ct6_del_batch(parent, ct, del, n);
}

unsigned
vxg_ct6_age(struct vxg_ct *ct, uint32_t now, uint32_t budget)
{
	if (ct->v6 == NULL)
		return 0;
	return ct6_sweep(ct, &ct->v6->age_cursor, budget, false, now);
}

unsigned
vxg_ct6_clear(struct vxg_ct *ct)
{
	uint32_t from = 0;

	if (ct->v6 == NULL)
		return 0;
	return ct6_sweep(ct, &from, ct->v6->n_entries, true, 0);
}

/* As conntrack.c's ct_copy_pass. */
static void
ct6_copy_pass(struct vxg_ct6 *to, const struct vxg_ct6 *from, bool replied, uint32_t now,
	uint32_t *kept, uint32_t *dropped)
{
	for (uint32_t i = 0; i < from->n_entries; i++) {
		const struct vxg_ct6_entry *e = &from->entries[i];
		uint8_t state = __atomic_load_n(&e->state, __ATOMIC_ACQUIRE);
		int32_t pos;

		if (state == VXG_CT_NONE || vxg_ct_state_replied(state) != replied ||
			vxg_ct6_expired(e, now))
			continue;
		if (*kept >= to->limit || (pos = rte_hash_add_key(to->h, &e->key)) < 0) {
			(*dropped)++;
			continue;
		}
		to->entries[pos] = *e;
		to->entries[pos].state = state;
		(*kept)++;
	}
}

int
vxg_ct6_resize(struct vxg_ct *to, const struct vxg_ct *old, uint32_t now, uint32_t *dropped)
{
	uint32_t kept = 0;
	int ret;

	if (old->v6 == NULL)
		return 0;
	if ((ret = vxg_ct_enable_v6(to)) < 0)
		return ret;
	ct6_copy_pass(to->v6, old->v6, true, now, &kept, dropped);
	ct6_copy_pass(to->v6, old->v6, false, now, &kept, dropped);
	return 0;
}

uint32_t
vxg_ct6_count(const struct vxg_ct *ct)
{
	int32_t n;

	if (ct->v6 == NULL)
		return 0;
	n = rte_hash_count(ct->v6->h);
	return n < 0 ? 0 : (uint32_t)n;
}

uint64_t
vxg_ct6_memsize(const struct vxg_ct *ct)
{
	const struct vxg_ct6 *t = ct->v6;
	uint64_t keys, buckets, ring;

	if (t == NULL)
		return 0;
	keys = (uint64_t)t->n_entries * (sizeof(struct vxg_ct6_key) + 8);
	buckets = (uint64_t)rte_align32pow2(t->limit) / 8 * RTE_CACHE_LINE_SIZE;
	ring = (uint64_t)rte_align32pow2(t->n_entries) * sizeof(uint32_t);
	return keys + buckets + ring + (uint64_t)t->n_entries * sizeof(t->entries[0]);
}
