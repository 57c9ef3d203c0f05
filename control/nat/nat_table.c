/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router SNAT session tables, control side: one lock-free table per VPC, ageing in small
 * budgets, `clear nat sessions`, carrying sessions into a resized table on reload, and
 * the lines of `show nat sessions`.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "sg/conntrack.h"
#include "nat/nat_table.h"
#include "config/fields.h"
#include "vxg_ct.h"
#include "vxg_pcache.h"

/* Sessions deleted per RCU grace period. */
#define DEL_BATCH 1024

typedef bool nat_pred_t(const struct vxg_nat_sess *s, void *arg);

/* A lock-free hash of `limit` 16-byte keys with a unique name ("vxg_nat_o3"). */
static struct rte_hash *
nat_hash_create(const char *what, unsigned seq, uint32_t limit)
{
	char hname[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = hname,
		.entries = limit,
		.key_len = sizeof(struct vxg_nat_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF |
			      RTE_HASH_EXTRA_FLAGS_MULTI_WRITER_ADD,
	};

	snprintf(hname, sizeof(hname), "vxg_nat_%s%u", what, seq);
	return rte_hash_create(&p);
}

struct vxg_nat_table *
vxg_nat_table_create(const char *name, uint32_t limit, rte_be32_t addr, uint16_t port_min,
	uint16_t port_max, uint16_t ifindex, struct rte_rcu_qsbr *qsbr)
{
	/* VPC names are reused across reloads, and rte_hash names must be unique. */
	static unsigned seq;
	struct vxg_nat_table *t;

	if (limit == 0 || port_min == 0 || port_min > port_max) {
		rte_errno = EINVAL;
		return NULL;
	}
	t = rte_zmalloc("vxg_nat_table", sizeof(*t), RTE_CACHE_LINE_SIZE);
	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	t->out_h = nat_hash_create("o", seq, limit);
	if (t->out_h == NULL)
		goto err;
	t->in_h = nat_hash_create("i", seq++, limit);
	if (t->in_h == NULL)
		goto err;
	/* With per-lcore free-slot caches (multi-writer), positions go beyond `limit`. */
	t->n_sess = (uint32_t)rte_hash_max_key_id(t->out_h) + 1;
	t->sess = rte_zmalloc(
		"vxg_nat_sess", (size_t)t->n_sess * sizeof(*t->sess), RTE_CACHE_LINE_SIZE);
	t->n_in = (uint32_t)rte_hash_max_key_id(t->in_h) + 1;
	t->in_out = rte_zmalloc(
		"vxg_nat_in_out", (size_t)t->n_in * sizeof(*t->in_out), RTE_CACHE_LINE_SIZE);
	t->owner = rte_zmalloc("vxg_nat_owner", 3 * 65536 * sizeof(*t->owner), RTE_CACHE_LINE_SIZE);
	t->ep = rte_zmalloc("vxg_nat_ep", VXG_NAT_EP_SLOTS * sizeof(*t->ep), RTE_CACHE_LINE_SIZE);
	if (t->sess == NULL || t->in_out == NULL || t->owner == NULL || t->ep == NULL) {
		rte_errno = ENOMEM;
		goto err;
	}
	t->limit = limit;
	t->addr = addr;
	t->port_min = port_min;
	t->port_max = port_max;
	t->ifindex = ifindex;
	t->qsbr = qsbr;
	snprintf(t->name, sizeof(t->name), "%s", name);
	return t;
err:
	vxg_nat_table_destroy(t);
	return NULL;
}

void
vxg_nat_table_destroy(struct vxg_nat_table *t)
{
	if (t == NULL)
		return;
	rte_hash_free(t->out_h);
	rte_hash_free(t->in_h);
	rte_free(t->sess);
	rte_free(t->in_out);
	rte_free(t->owner);
	rte_free(t->ep);
	rte_free(t);
}

/* An entry a worker gave up (vxg_nat.h): its out key is deleted, it has no in key, only
 * its position is left to free. */
static bool
nat_is_dead(const struct vxg_nat_sess *s)
{
	/* acquire: the worker deleted the out key before it marked the entry */
	return __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == VXG_CT_NONE &&
	       (__atomic_load_n(&s->flags, __ATOMIC_ACQUIRE) & VXG_NAT_F_DEAD);
}

/* Unlink both keys of the session at pos. The in key's position to free, or -1 when it
 * was not (or no longer) the session's. False if the out key is not the session's. A
 * dead entry has nothing to unlink. */
static bool
nat_unlink(struct vxg_nat_table *t, int32_t pos, int32_t *in_pos)
{
	const struct vxg_nat_sess *s = &t->sess[pos];
	struct vxg_nat_key k;

	*in_pos = -1;
	if (nat_is_dead(s))
		return true;
	if (rte_hash_del_key(t->out_h, &s->out) != pos)
		return false;
	vxg_nat_in_key(&k, &s->out, s->ext_addr, s->ext_port);
	/* Never free a position some other session's in key holds. */
	if (rte_hash_del_key(t->in_h, &k) == s->in_pos)
		*in_pos = s->in_pos;
	return true;
}

/*
 * Delete the sessions (and dead entries) at `pos`: unlink both keys, wait until no worker
 * can still hold a position from a lookup made before (or from the out key a worker
 * deleted), then clear the entries and give the positions back. Returns how many
 * sessions were deleted, dead entries not counted.
 */
static unsigned
nat_del_batch(struct vxg_nat_table *t, const int32_t *pos, unsigned n)
{
	int32_t gone[DEL_BATCH], gone_in[DEL_BATCH];
	unsigned k = 0, dead = 0;

	for (unsigned i = 0; i < n; i++) {
		dead += nat_is_dead(&t->sess[pos[i]]);
		if (nat_unlink(t, pos[i], &gone_in[k]))
			gone[k++] = pos[i];
	}
	if (k == 0)
		return 0;
	vxg_pcache_bump(); /* the workers' position caches forget them too */
	if (t->qsbr != NULL)
		rte_rcu_qsbr_synchronize(t->qsbr, RTE_QSBR_THRID_INVALID);
	for (unsigned i = 0; i < k; i++) {
		memset(&t->sess[gone[i]], 0, sizeof(t->sess[0]));
		rte_hash_free_key_with_position(t->out_h, gone[i]);
		if (gone_in[i] >= 0)
			rte_hash_free_key_with_position(t->in_h, gone_in[i]);
	}
	return k - dead;
}

/*
 * Delete the live sessions for which pred is true among `count` positions from `*cursor`
 * (wrapping), which is left where the walk stopped, and free the dead entries met on the
 * way. Returns how many sessions were deleted.
 */
static unsigned
nat_sweep(struct vxg_nat_table *t, uint32_t *cursor, uint32_t count, nat_pred_t *pred, void *arg)
{
	int32_t del[DEL_BATCH];
	unsigned n = 0, total = 0;
	uint32_t i = *cursor;

	for (uint32_t k = 0; k < count && k < t->n_sess; k++, i++) {
		const struct vxg_nat_sess *s;
		bool live;

		if (i >= t->n_sess)
			i = 0;
		s = &t->sess[i];
		/* acquire: the key and the rest were written before the state */
		live = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != VXG_CT_NONE;
		if (live ? !pred(s, arg) : !nat_is_dead(s))
			continue;
		del[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			total += nat_del_batch(t, del, n);
			n = 0;
		}
	}
	*cursor = i >= t->n_sess ? 0 : i;
	return total + nat_del_batch(t, del, n);
}

/* As vxg_ct_expired: signed, a worker may have refreshed `seen` past the caller's now. */
static bool
nat_is_expired(const struct vxg_nat_sess *s, void *arg)
{
	uint32_t now = *(const uint32_t *)arg;
	uint8_t state = __atomic_load_n(&s->state, __ATOMIC_RELAXED);

	return (int32_t)(now - s->seen) > (int32_t)vxg_ct_timeout(state);
}

static bool
nat_any(const struct vxg_nat_sess *s, void *arg)
{
	return true;
}

unsigned
vxg_nat_age(struct vxg_nat_table *t, uint32_t now, uint32_t budget)
{
	return nat_sweep(t, &t->age_cursor, budget, nat_is_expired, &now);
}

unsigned
vxg_nat_clear(struct vxg_nat_table *t)
{
	uint32_t from = 0;

	return nat_sweep(t, &from, t->n_sess, nat_any, NULL);
}

unsigned
vxg_nat_delete_if(
	struct vxg_nat_table *t, bool (*pred)(const struct vxg_nat_sess *, void *), void *arg)
{
	uint32_t from = 0;

	return nat_sweep(t, &from, t->n_sess, pred, arg);
}

/* Add session s (in `state`) to `to`, both keys, as a worker would have. False when a
 * key does not fit (nothing is left behind). */
static bool
nat_copy_one(struct vxg_nat_table *to, const struct vxg_nat_sess *s, uint8_t state)
{
	struct vxg_nat_sess *n;
	struct vxg_nat_key ik;
	int32_t pos, in_pos;

	pos = rte_hash_add_key(to->out_h, &s->out);
	if (pos < 0)
		return false;
	vxg_nat_in_key(&ik, &s->out, s->ext_addr, s->ext_port);
	in_pos = rte_hash_add_key(to->in_h, &ik);
	if (in_pos < 0) {
		/* No worker reads `to` yet: the position can go back at once. */
		rte_hash_del_key(to->out_h, &s->out);
		rte_hash_free_key_with_position(to->out_h, pos);
		return false;
	}
	n = &to->sess[pos];
	/* A racy copy of what workers refresh (seen, flags): a packet behind at worst. */
	*n = *s;
	n->in_pos = in_pos;
	n->state = state;
	to->in_out[in_pos] = pos;
	vxg_nat_remember(to, n, pos);
	return true;
}

/*
 * Copy into `to` the live, unexpired sessions of `from` that are replied (or not), while
 * `to` has room for them (*kept of to->limit); count the others in *dropped.
 */
static void
nat_copy_pass(struct vxg_nat_table *to, const struct vxg_nat_table *from, bool replied,
	uint32_t now, uint32_t *kept, uint32_t *dropped)
{
	for (uint32_t i = 0; i < from->n_sess; i++) {
		const struct vxg_nat_sess *s = &from->sess[i];
		/* acquire: the keys and the rest were written before the state */
		uint8_t state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

		if (state == VXG_CT_NONE || vxg_ct_state_replied(state) != replied ||
			nat_is_expired(s, &now))
			continue;
		if (*kept < to->limit && nat_copy_one(to, s, state))
			(*kept)++;
		else
			(*dropped)++;
	}
}

struct vxg_nat_table *
vxg_nat_table_resize(
	const struct vxg_nat_table *old, uint32_t limit, uint32_t now, uint32_t *dropped)
{
	struct vxg_nat_table *t = vxg_nat_table_create(
		old->name, limit, old->addr, old->port_min, old->port_max, old->ifindex, old->qsbr);
	uint32_t kept = 0;

	*dropped = 0;
	if (t == NULL)
		return NULL;
	/* Established and replied sessions first: they are what a shrink must keep. */
	nat_copy_pass(t, old, true, now, &kept, dropped);
	nat_copy_pass(t, old, false, now, &kept, dropped);
	return t;
}

uint32_t
vxg_nat_count(const struct vxg_nat_table *t)
{
	int32_t n = rte_hash_count(t->out_h);

	return n < 0 ? 0 : (uint32_t)n;
}

/* As vxg_ct_memsize: keys, buckets (8 slots, 2 per key) and the free slot ring of each
 * hash, the entries. */
static uint64_t
nat_hash_memsize(const struct rte_hash *h, uint32_t limit)
{
	uint32_t slots = (uint32_t)rte_hash_max_key_id(h) + 1;
	uint64_t keys = (uint64_t)slots * (sizeof(struct vxg_nat_key) + 16);
	uint64_t ring = (uint64_t)rte_align32pow2(slots) * sizeof(uint32_t);

	return keys + ring + (uint64_t)rte_align32pow2(limit) / 8 * RTE_CACHE_LINE_SIZE;
}

uint64_t
vxg_nat_memsize(const struct vxg_nat_table *t)
{
	return nat_hash_memsize(t->out_h, t->limit) + nat_hash_memsize(t->in_h, t->limit) +
	       (uint64_t)t->n_sess * sizeof(t->sess[0]) + (uint64_t)t->n_in * sizeof(t->in_out[0]);
}

int
vxg_nat_sess_format(const struct vxg_nat_table *t, const struct vxg_nat_sess *s, uint32_t now,
	char *buf, size_t len)
{
	uint8_t proto = s->out.proto, state = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	bool ports = proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP;
	const char *sep = ports ? ":" : NULL, *idsep = proto == IPPROTO_ICMP ? " id " : sep;
	char pname[16], src[24], dst[32], ext[32];
	bool fwd = s->flags & VXG_NAT_F_FWD;
	int32_t age = (int32_t)(now - s->seen), left;

	if (age < 0)
		age = 0;
	left = (int32_t)vxg_ct_timeout(state) - age;
	if (left < 0)
		left = 0;
	vxg_proto_format(proto, pname, sizeof(pname));
	vxg_endpoint_format(s->out.src, sep, s->out.sport, src, sizeof(src));
	/* ICMP echo (both ports are the identifier): shown once, after the remote end, as
	 * `show conntrack` has it */
	vxg_endpoint_format(s->out.dst, idsep, s->out.dport, dst, sizeof(dst));
	vxg_endpoint_format(s->ext_addr, idsep, s->ext_port, ext, sizeof(ext));
	return snprintf(buf, len, "%s %s -> %s as %s %s age %d expires %d%s", pname, src, dst, ext,
		vxg_ct_state_name(state), (int)age, (int)left, fwd ? " forward" : "");
}
