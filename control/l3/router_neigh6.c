/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router neighbour table's control side, as router_neigh.c's for IPv4: entries
 * made static from the ports' fixed ip6s or learned from Neighbour Discovery, packets
 * held while a next hop is resolved, probes and ageing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "l3/router_neigh6.h"

#define DEL_BATCH 256

struct vxg_l3_neigh6_table *
vxg_l3n6_create(uint32_t cap, struct rte_rcu_qsbr *qsbr)
{
	static unsigned seq;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		.entries = cap,
		.key_len = sizeof(struct vxg_l3_nkey6),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct vxg_l3_neigh6_table *t = rte_zmalloc("vxg_l3n6", sizeof(*t), RTE_CACHE_LINE_SIZE);

	if (t == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	snprintf(name, sizeof(name), "vxg_l3n6_%u", seq++);
	t->h = rte_hash_create(&p);
	if (t->h == NULL)
		goto err;
	t->cap = (uint32_t)rte_hash_max_key_id(t->h) + 1;
	t->e = rte_zmalloc("vxg_l3n6_e", (size_t)t->cap * sizeof(*t->e), RTE_CACHE_LINE_SIZE);
	if (t->e == NULL) {
		rte_errno = ENOMEM;
		goto err;
	}
	t->qsbr = qsbr;
	return t;
err:
	vxg_l3n6_destroy(t);
	return NULL;
}

static void
l3n6_queue_free(struct vxg_l3_neigh6 *e)
{
	for (unsigned i = 0; i < e->nq; i++)
		rte_pktmbuf_free(e->q[i]);
	e->nq = 0;
}

void
vxg_l3n6_destroy(struct vxg_l3_neigh6_table *t)
{
	if (t == NULL)
		return;
	for (uint32_t i = 0; t->e != NULL && i < t->cap; i++)
		l3n6_queue_free(&t->e[i]);
	rte_hash_free(t->h);
	rte_free(t->e);
	rte_free(t);
}

struct vxg_l3_neigh6 *
vxg_l3n6_lookup(const struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip)
{
	struct vxg_l3_nkey6 k;
	int32_t pos;

	vxg_l3n6_key(&k, vni, ip);
	pos = rte_hash_lookup(t->h, &k);
	return pos >= 0 && t->e[pos].used ? &t->e[pos] : NULL;
}

/* A new entry, MAC unknown; NULL when full. */
static struct vxg_l3_neigh6 *
l3n6_add(struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip, uint64_t now_ms)
{
	struct vxg_l3_neigh6 *e;
	struct vxg_l3_nkey6 k;
	int32_t pos;

	vxg_l3n6_key(&k, vni, ip);
	pos = rte_hash_add_key(t->h, &k);
	if (pos < 0) {
		t->full++;
		return NULL;
	}
	e = &t->e[pos];
	if (!e->used) {
		memset(e, 0, sizeof(*e));
		e->key = k;
		e->used = true;
		e->state = VXG_L3N_INCOMPLETE;
		e->updated_ms = now_ms;
		e->next_probe_ms = now_ms;
	}
	return e;
}

/* Publish a MAC to the workers with one atomic store. */
static void
l3n6_set_mac(struct vxg_l3_neigh6 *e, const struct rte_ether_addr *mac, bool is_static)
{
	union vxg_l3_nmac m = {.u64 = 0};

	if (mac != NULL) {
		m.mac = *mac;
		m.valid = 1;
		m.is_static = is_static;
	}
	__atomic_store_n(&e->mac.u64, m.u64, __ATOMIC_RELEASE);
}

/* Unlink, wait for the workers, then clear and give the positions back. */
static void
l3n6_del_batch(struct vxg_l3_neigh6_table *t, const int32_t *pos, unsigned n)
{
	int32_t gone[DEL_BATCH];
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		if (rte_hash_del_key(t->h, &t->e[pos[i]].key) == pos[i])
			gone[k++] = pos[i];
	if (k == 0)
		return;
	if (t->qsbr != NULL)
		rte_rcu_qsbr_synchronize(t->qsbr, RTE_QSBR_THRID_INVALID);
	for (unsigned i = 0; i < k; i++) {
		struct vxg_l3_neigh6 *e = &t->e[gone[i]];

		t->unresolved_drops += e->nq;
		l3n6_queue_free(e);
		memset(e, 0, sizeof(*e));
		rte_hash_free_key_with_position(t->h, gone[i]);
	}
}

/* Delete every entry for which gone(e, arg) says so, in batches. Returns the count. */
static unsigned
l3n6_del_where(
	struct vxg_l3_neigh6_table *t, bool (*gone)(struct vxg_l3_neigh6 *e, void *arg), void *arg)
{
	int32_t del[DEL_BATCH];
	unsigned n = 0, total = 0;

	for (uint32_t i = 0; i < t->cap; i++) {
		if (!t->e[i].used || !gone(&t->e[i], arg))
			continue;
		del[n++] = (int32_t)i;
		if (n == DEL_BATCH) {
			l3n6_del_batch(t, del, n);
			total += n;
			n = 0;
		}
	}
	l3n6_del_batch(t, del, n);
	return total + n;
}

static int
l3n6_set_static(struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip,
	const struct rte_ether_addr *mac, uint32_t gen)
{
	struct vxg_l3_neigh6 *e = l3n6_add(t, vni, ip, 0);

	if (e == NULL)
		return -ENOSPC;
	e->state = VXG_L3N_STATIC;
	e->static_gen = gen;
	e->probes = 0;
	if (!e->mac.valid || !e->mac.is_static || !rte_is_same_ether_addr(&e->mac.mac, mac))
		l3n6_set_mac(e, mac, true);
	return 0;
}

/* The fixed ip6s of the ports of v's dual-stack networks. */
static int
l3n6_sync_vpc(struct vxg_l3_neigh6_table *t, const struct vxg_vpc_cfg *v, uint32_t gen)
{
	int ret = 0;

	for (unsigned p = 0; p < v->n_ports; p++) {
		const struct vxg_port_cfg *pc = &v->ports[p];
		const struct vxg_network_cfg *nc = &v->networks[pc->network];

		if (!nc->ip6.enabled)
			continue;
		for (unsigned i = 0; i < pc->n_ip6s; i++)
			if (l3n6_set_static(t, nc->vni, pc->ip6s[i].a, &pc->mac, gen) < 0)
				ret = -ENOSPC;
	}
	return ret;
}

static bool
l3n6_stale_static(struct vxg_l3_neigh6 *e, void *arg)
{
	return e->state == VXG_L3N_STATIC && e->static_gen != *(const uint32_t *)arg;
}

int
vxg_l3n6_sync_static(struct vxg_l3_neigh6_table *t, const struct vxg_config *cfg, uint32_t gen)
{
	int ret = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		if (l3n6_sync_vpc(t, &cfg->vpcs[v], gen) < 0)
			ret = -ENOSPC;
	l3n6_del_where(t, l3n6_stale_static, &gen);
	return ret;
}

struct vxg_l3_neigh6 *
vxg_l3n6_learn(struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip,
	const struct rte_ether_addr *mac, bool create, uint64_t now_ms)
{
	struct vxg_l3_neigh6 *e = vxg_l3n6_lookup(t, vni, ip);

	if (e == NULL && create)
		e = l3n6_add(t, vni, ip, now_ms);
	if (e == NULL || e->state == VXG_L3N_STATIC)
		return e;
	if (!e->mac.valid || !rte_is_same_ether_addr(&e->mac.mac, mac))
		l3n6_set_mac(e, mac, false);
	e->state = VXG_L3N_REACHABLE;
	e->probes = 0;
	e->updated_ms = now_ms;
	return e;
}

int
vxg_l3n6_miss(struct vxg_l3_neigh6_table *t, uint32_t vni, const uint8_t *ip, struct rte_mbuf *m,
	uint64_t now_ms)
{
	struct vxg_l3_neigh6 *e = vxg_l3n6_lookup(t, vni, ip);
	bool fresh = e == NULL;

	if (e != NULL && e->mac.valid)
		return 2;
	if (e == NULL && (e = l3n6_add(t, vni, ip, now_ms)) == NULL) {
		rte_pktmbuf_free(m);
		return -ENOSPC;
	}
	if (e->nq < VXG_L3_NEIGH_QLEN) {
		e->q[e->nq++] = m;
	} else {
		/* Keep the newest, as Linux does with its unresolved queue. */
		rte_pktmbuf_free(e->q[0]);
		memmove(&e->q[0], &e->q[1], (VXG_L3_NEIGH_QLEN - 1) * sizeof(e->q[0]));
		e->q[VXG_L3_NEIGH_QLEN - 1] = m;
		t->queue_drops++;
	}
	if (fresh) {
		e->next_probe_ms = now_ms + VXG_L3N_PROBE_MS;
		e->probes = 1;
		return 1;
	}
	return 0;
}

void
vxg_l3n6_flush(struct vxg_l3_neigh6 *e,
	void (*send)(struct rte_mbuf *m, const struct vxg_l3_neigh6 *e, void *arg), void *arg)
{
	unsigned n = e->nq;

	e->nq = 0;
	for (unsigned i = 0; i < n; i++)
		send(e->q[i], e, arg);
}

/* Advance one entry's timers; true when it should go. */
static bool
l3n6_tick(struct vxg_l3_neigh6 *e, uint64_t now_ms,
	void (*probe)(const struct vxg_l3_neigh6 *e, void *arg), void *arg)
{
	if (e->state == VXG_L3N_STATIC)
		return false;
	if (e->state == VXG_L3N_REACHABLE) {
		if (now_ms - e->updated_ms < VXG_L3N_REACHABLE_MS)
			return false;
		e->state = VXG_L3N_STALE;
		e->probes = 0;
		e->next_probe_ms = now_ms;
	}
	if (now_ms < e->next_probe_ms)
		return false;
	if (e->probes >= VXG_L3N_PROBES)
		return true;
	e->probes++;
	e->next_probe_ms = now_ms + VXG_L3N_PROBE_MS;
	probe(e, arg);
	return false;
}

struct l3n6_timer_arg {
	uint64_t now_ms;
	void (*probe)(const struct vxg_l3_neigh6 *e, void *arg);
	void *arg;
};

static bool
l3n6_timer_gone(struct vxg_l3_neigh6 *e, void *arg)
{
	const struct l3n6_timer_arg *a = arg;

	return l3n6_tick(e, a->now_ms, a->probe, a->arg);
}

unsigned
vxg_l3n6_timers(struct vxg_l3_neigh6_table *t, uint64_t now_ms,
	void (*probe)(const struct vxg_l3_neigh6 *e, void *arg), void *arg)
{
	struct l3n6_timer_arg a = {.now_ms = now_ms, .probe = probe, .arg = arg};

	return l3n6_del_where(t, l3n6_timer_gone, &a);
}

static bool
l3n6_learned_of(struct vxg_l3_neigh6 *e, void *arg)
{
	uint32_t vni = *(const uint32_t *)arg;

	return e->state != VXG_L3N_STATIC && (vni == 0 || e->key.vni == vni);
}

unsigned
vxg_l3n6_clear(struct vxg_l3_neigh6_table *t, uint32_t vni)
{
	return l3n6_del_where(t, l3n6_learned_of, &vni);
}

uint32_t
vxg_l3n6_count(const struct vxg_l3_neigh6_table *t)
{
	return (uint32_t)rte_hash_count(t->h);
}

uint64_t
vxg_l3n6_memsize(const struct vxg_l3_neigh6_table *t)
{
	/* rte_hash: key store and buckets, about twice the key size per entry. */
	return (uint64_t)t->cap * (sizeof(*t->e) + 2 * (sizeof(struct vxg_l3_nkey6) + 8));
}
