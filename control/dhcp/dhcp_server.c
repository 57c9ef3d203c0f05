/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DHCP server's decisions for one network (RFC 2131 4.3). The lease file is in
 * dhcp_lease_file.c.
 *
 * Declared ports always get their fixed address, as Neutron's DHCP does; unknown MACs get
 * one from the range when there is one, else no answer (dnsmasq's static mode). Fixed
 * addresses are outside the pool, so a DISCOVER flood cannot take them. The server is
 * authoritative for its networks: a client asking for an address it may not have is NAKed
 * at once rather than left to time out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp/dhcp_server.h"

/* ---- Pool indexes --------------------------------------------------------------------- */

/*
 * A MAC -> index table: open addressing, linear probing, deletion by backward shift (no
 * tombstones, so a DISCOVER flood that comes and goes leaves no long probes). A slot holds
 * index + 1 (0: empty); the key is read from the indexed array, keys + index * stride.
 */
struct mac_table {
	uint32_t *slot;
	uint32_t mask;
	const uint8_t *keys;
	size_t stride;
};

static int
mac_table_init(struct mac_table *t, unsigned n, const void *keys, size_t stride)
{
	uint32_t size = 16;

	while (size < 2 * n)
		size *= 2;
	t->slot = calloc(size, sizeof(*t->slot));
	t->mask = size - 1;
	t->keys = keys;
	t->stride = stride;
	return t->slot == NULL ? -ENOMEM : 0;
}

static const struct rte_ether_addr *
mac_table_key(const struct mac_table *t, uint32_t slot_val)
{
	return (const struct rte_ether_addr *)(t->keys + (size_t)(slot_val - 1) * t->stride);
}

static uint32_t
mac_hash(const struct rte_ether_addr *mac)
{
	uint64_t k = 0;

	memcpy(&k, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return (uint32_t)((k * 0x9e3779b97f4a7c15ull) >> 32);
}

/* The index of mac, or -1. */
static int64_t
mac_table_lookup(const struct mac_table *t, const struct rte_ether_addr *mac)
{
	if (t->slot == NULL)
		return -1;
	for (uint32_t i = mac_hash(mac) & t->mask; t->slot[i] != 0; i = (i + 1) & t->mask)
		if (rte_is_same_ether_addr(mac_table_key(t, t->slot[i]), mac))
			return t->slot[i] - 1;
	return -1;
}

/* idx must not be in the table yet; the table has room (twice the entries it may hold). */
static void
mac_table_add(struct mac_table *t, uint32_t idx)
{
	uint32_t i = mac_hash(mac_table_key(t, idx + 1)) & t->mask;

	while (t->slot[i] != 0)
		i = (i + 1) & t->mask;
	t->slot[i] = idx + 1;
}

/* idx must be in the table, under the key it was added with. */
static void
mac_table_del(struct mac_table *t, uint32_t idx)
{
	uint32_t i = mac_hash(mac_table_key(t, idx + 1)) & t->mask, j;

	while (t->slot[i] != idx + 1)
		i = (i + 1) & t->mask;
	/* Pull back each later entry of the run that may no longer be found past the hole. */
	for (j = (i + 1) & t->mask; t->slot[j] != 0; j = (j + 1) & t->mask) {
		uint32_t home = mac_hash(mac_table_key(t, t->slot[j])) & t->mask;

		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slot[i] = t->slot[j];
			i = j;
		}
	}
	t->slot[i] = 0;
}

/* Up to 2^31 addresses (a /1 range): six levels of 64. */
#define POOL_LEVELS 6

/*
 * Thread-safety: control thread only, like the rest of the server. Allocated by
 * vxg_dhcp_net_init() (the range's parts only with a range), freed by vxg_dhcp_net_fini().
 *
 * Invariants, kept by lease_set() alone:
 * - free: level 0 has a bit per lease slot, set iff the slot is DHCP_LEASE_FREE and not
 *   reserved; level k + 1 a bit per word of level k, set iff that word is not 0.
 * - by_mac: exactly the OFFERED and BOUND leases, at most one per MAC.
 * - heap: exactly the leases not FREE, a min-heap on expires; pos[i] is lease i's place in
 *   it (UINT32_MAX: none). pool_expire() frees what ran out before each decision, so
 *   that "free" there means what lease_free() says.
 */
struct dhcp_pool {
	uint64_t *free[POOL_LEVELS];
	unsigned n_levels;
	uint64_t *reserved; /* a bit per lease slot */
	struct mac_table by_mac; /* keys: leases[].mac */
	struct mac_table by_fixed; /* keys: fixed[].mac; the first of a MAC's bindings */
	uint32_t *heap;
	uint32_t *pos;
	uint32_t heap_len;
};

static void
bit_set(uint64_t *w, uint32_t i)
{
	w[i / 64] |= UINT64_C(1) << (i % 64);
}

static bool
bit_test(const uint64_t *w, uint32_t i)
{
	return (w[i / 64] >> (i % 64)) & 1;
}

static void
free_add(struct dhcp_pool *p, uint32_t i)
{
	for (unsigned k = 0; k < p->n_levels; k++, i /= 64) {
		bool was_empty = p->free[k][i / 64] == 0;

		bit_set(p->free[k], i);
		if (!was_empty)
			return;
	}
}

static void
free_del(struct dhcp_pool *p, uint32_t i)
{
	for (unsigned k = 0; k < p->n_levels; k++, i /= 64) {
		p->free[k][i / 64] &= ~(UINT64_C(1) << (i % 64));
		if (p->free[k][i / 64] != 0)
			return;
	}
}

/* The lowest free slot, or -1. */
static int64_t
free_first(const struct dhcp_pool *p)
{
	uint64_t i = 0;

	for (unsigned k = p->n_levels; k-- > 0;) {
		uint64_t w = p->free[k][i];

		if (w == 0)
			return -1; /* only the top word can be 0 here */
		i = i * 64 + (unsigned)__builtin_ctzll(w);
	}
	return (int64_t)i;
}

static bool
heap_less(const struct dhcp_net *n, uint32_t a, uint32_t b)
{
	return n->leases[a].expires < n->leases[b].expires;
}

static void
heap_put(struct dhcp_pool *p, uint32_t at, uint32_t idx)
{
	p->heap[at] = idx;
	p->pos[idx] = at;
}

static void
heap_fix(const struct dhcp_net *n, uint32_t at)
{
	struct dhcp_pool *p = n->pool;
	uint32_t idx = p->heap[at];

	while (at > 0 && heap_less(n, idx, p->heap[(at - 1) / 2])) {
		heap_put(p, at, p->heap[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	for (;;) {
		uint32_t c = 2 * at + 1;

		if (c >= p->heap_len)
			break;
		if (c + 1 < p->heap_len && heap_less(n, p->heap[c + 1], p->heap[c]))
			c++;
		if (!heap_less(n, p->heap[c], idx))
			break;
		heap_put(p, at, p->heap[c]);
		at = c;
	}
	heap_put(p, at, idx);
}

static void
heap_del(const struct dhcp_net *n, uint32_t idx)
{
	struct dhcp_pool *p = n->pool;
	uint32_t at = p->pos[idx], last = p->heap[--p->heap_len];

	p->pos[idx] = UINT32_MAX;
	if (last == idx)
		return;
	heap_put(p, at, last);
	heap_fix(n, at);
}

static bool
slot_reserved(const struct dhcp_net *n, uint32_t i)
{
	return bit_test(n->pool->reserved, i);
}

static bool
state_held(enum dhcp_lease_state st)
{
	return st == DHCP_LEASE_OFFERED || st == DHCP_LEASE_BOUND;
}

/* Every change of a pool lease goes through here, which keeps the indexes true. */
static void
lease_set(struct dhcp_net *n, struct dhcp_lease *l, enum dhcp_lease_state st,
	const struct rte_ether_addr *mac, time_t expires)
{
	struct dhcp_pool *p = n->pool;
	uint32_t i = (uint32_t)(l - n->leases);

	if (state_held(l->state))
		mac_table_del(&p->by_mac, i);
	if (l->state == DHCP_LEASE_FREE && !slot_reserved(n, i))
		free_del(p, i);
	l->state = st;
	l->mac = *mac;
	l->expires = expires;
	if (state_held(st))
		mac_table_add(&p->by_mac, i);
	if (st == DHCP_LEASE_FREE && !slot_reserved(n, i))
		free_add(p, i);
	if (st == DHCP_LEASE_FREE && p->pos[i] != UINT32_MAX) {
		heap_del(n, i);
	} else if (st != DHCP_LEASE_FREE) {
		if (p->pos[i] == UINT32_MAX)
			heap_put(p, p->heap_len++, i);
		heap_fix(n, p->pos[i]);
	}
}

static void
lease_release(struct dhcp_net *n, struct dhcp_lease *l)
{
	lease_set(n, l, DHCP_LEASE_FREE, &l->mac, l->expires);
}

/* Free what ran out by now: the heap's top, until one that has not. */
static void
pool_expire(struct dhcp_net *n, time_t now)
{
	struct dhcp_pool *p = n->pool;

	while (p != NULL && p->heap_len > 0 && n->leases[p->heap[0]].expires <= now)
		lease_release(n, &n->leases[p->heap[0]]);
}

static void
pool_free(struct dhcp_pool *p)
{
	if (p == NULL)
		return;
	for (unsigned k = 0; k < POOL_LEVELS; k++)
		free(p->free[k]);
	free(p->reserved);
	free(p->by_mac.slot);
	free(p->by_fixed.slot);
	free(p->heap);
	free(p->pos);
	free(p);
}

/* The indexes of a range of n_leases addresses. */
static int
pool_alloc(struct dhcp_net *n)
{
	struct dhcp_pool *p = n->pool;
	uint64_t bits = n->n_leases;

	do {
		if ((p->free[p->n_levels++] = calloc((bits + 63) / 64, sizeof(uint64_t))) == NULL)
			return -ENOMEM;
		bits = (bits + 63) / 64;
	} while (bits > 1 && p->n_levels < POOL_LEVELS);
	p->reserved = calloc((n->n_leases + 63) / 64, sizeof(uint64_t));
	p->heap = calloc(n->n_leases, sizeof(*p->heap));
	p->pos = malloc(n->n_leases * sizeof(*p->pos));
	if (p->reserved == NULL || p->heap == NULL || p->pos == NULL)
		return -ENOMEM;
	memset(p->pos, 0xff, n->n_leases * sizeof(*p->pos));
	return mac_table_init(&p->by_mac, n->n_leases, &n->leases[0].mac, sizeof(*n->leases));
}

static void
pool_reserve(struct dhcp_net *n, uint32_t ip)
{
	if (ip >= n->range_start && ip <= n->range_end)
		bit_set(n->pool->reserved, ip - n->range_start);
}

int
vxg_dhcp_net_init(struct dhcp_net *n)
{
	n->n_leases = n->range_start ? n->range_end - n->range_start + 1 : 0;
	n->leases = NULL;
	if ((n->pool = calloc(1, sizeof(*n->pool))) == NULL)
		return -ENOMEM;
	if (mac_table_init(&n->pool->by_fixed, n->n_fixed, n->fixed ? &n->fixed[0].mac : NULL,
		    sizeof(*n->fixed)) < 0)
		goto err;
	/* The first of two bindings of one MAC wins, as it did in a scan of the list. */
	for (unsigned i = n->n_fixed; i-- > 0;)
		if (mac_table_lookup(&n->pool->by_fixed, &n->fixed[i].mac) < 0)
			mac_table_add(&n->pool->by_fixed, i);
	if (n->n_leases == 0)
		return 0;
	n->leases = calloc(n->n_leases, sizeof(*n->leases));
	if (n->leases == NULL || pool_alloc(n) < 0)
		goto err;
	pool_reserve(n, n->gateway);
	for (unsigned i = 0; i < n->n_reserved; i++)
		pool_reserve(n, n->reserved[i]);
	for (unsigned i = 0; i < n->n_leases; i++) {
		n->leases[i].ip = n->range_start + i;
		if (!slot_reserved(n, i))
			free_add(n->pool, i);
	}
	return 0;
err:
	vxg_dhcp_net_fini(n);
	return -ENOMEM;
}

void
vxg_dhcp_net_fini(struct dhcp_net *n)
{
	pool_free(n->pool);
	n->pool = NULL;
	free(n->leases);
	n->leases = NULL;
	n->n_leases = 0;
}

/* What vxg_dhcp_net_init() allocated, and the fixed and reserved arrays it was given, as
 * sized by their allocations (all of it at init: a range costs the same empty or full). */
uint64_t
vxg_dhcp_net_memsize(const struct dhcp_net *n)
{
	const struct dhcp_pool *p = n->pool;
	uint64_t bytes = (uint64_t)n->n_leases * sizeof(*n->leases) +
			 (uint64_t)n->n_fixed * sizeof(*n->fixed) +
			 (uint64_t)n->n_reserved * sizeof(*n->reserved);
	uint64_t bits = n->n_leases;

	if (p == NULL)
		return bytes;
	bytes += sizeof(*p) + ((uint64_t)p->by_fixed.mask + 1) * sizeof(*p->by_fixed.slot);
	if (n->n_leases == 0)
		return bytes;
	for (unsigned k = 0; k < p->n_levels; k++, bits = (bits + 63) / 64)
		bytes += (bits + 63) / 64 * sizeof(uint64_t);
	bytes += ((uint64_t)n->n_leases + 63) / 64 * sizeof(uint64_t); /* reserved */
	bytes += (uint64_t)n->n_leases * (sizeof(*p->heap) + sizeof(*p->pos));
	return bytes + ((uint64_t)p->by_mac.mask + 1) * sizeof(*p->by_mac.slot);
}

/* ---- Lookups -------------------------------------------------------------------------- */

const struct dhcp_fixed *
vxg_dhcp_fixed_lookup(const struct dhcp_net *n, const struct rte_ether_addr *mac)
{
	int64_t i = n->pool ? mac_table_lookup(&n->pool->by_fixed, mac) : -1;

	return i < 0 ? NULL : &n->fixed[i];
}

static struct dhcp_lease *
lease_of_ip(struct dhcp_net *n, uint32_t ip)
{
	if (n->n_leases == 0 || ip < n->range_start || ip > n->range_end)
		return NULL;
	return &n->leases[ip - n->range_start];
}

bool
vxg_dhcp_reserved(const struct dhcp_net *n, uint32_t ip)
{
	if (ip == n->gateway)
		return true;
	if (n->n_leases == 0 || ip < n->range_start || ip > n->range_end)
		return false;
	return slot_reserved(n, ip - n->range_start);
}

/* A slot whose holder's time ran out is free again. */
static bool
lease_free(const struct dhcp_lease *l, time_t now)
{
	return l->state == DHCP_LEASE_FREE || l->expires <= now;
}

static struct dhcp_lease *
lease_of_mac(struct dhcp_net *n, const struct rte_ether_addr *mac, time_t now)
{
	int64_t i = n->n_leases ? mac_table_lookup(&n->pool->by_mac, mac) : -1;

	if (i < 0 || lease_free(&n->leases[i], now))
		return NULL;
	return &n->leases[i];
}

/* The address for a DISCOVER: the client's current one, the one it asks for, the lowest
 * free. */
static struct dhcp_lease *
pool_pick(struct dhcp_net *n, const struct dhcp_request *req, time_t now)
{
	struct dhcp_lease *l = lease_of_mac(n, &req->chaddr, now);
	int64_t i;

	if (l != NULL)
		return l;
	l = lease_of_ip(n, req->requested_ip);
	if (l != NULL && lease_free(l, now) && !vxg_dhcp_reserved(n, l->ip))
		return l;
	if (n->n_leases == 0 || (i = free_first(n->pool)) < 0)
		return NULL;
	return &n->leases[i];
}

static void
lease_hold(struct dhcp_net *n, struct dhcp_lease *l, const struct dhcp_request *req,
	enum dhcp_lease_state st, time_t until)
{
	/* One address per client: whatever else it held goes back to the pool. */
	int64_t mine = mac_table_lookup(&n->pool->by_mac, &req->chaddr);

	if (mine >= 0 && &n->leases[mine] != l)
		lease_release(n, &n->leases[mine]);
	lease_set(n, l, st, &req->chaddr, until);
	snprintf(l->hostname, sizeof(l->hostname), "%s", req->hostname);
}

static bool
reply_lease(const struct dhcp_net *n, struct dhcp_reply *r, uint8_t type, uint32_t ip)
{
	*r = n->tmpl;
	r->msg_type = type;
	r->yiaddr = ip;
	r->lease = n->lease_time;
	return true;
}

static bool
reply_nak(const struct dhcp_net *n, struct dhcp_reply *r, const char *why)
{
	memset(r, 0, sizeof(*r));
	r->msg_type = DHCP_NAK;
	r->server_id = n->tmpl.server_id;
	r->message = why;
	return true;
}

static bool
on_discover(struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r)
{
	const struct dhcp_fixed *f = vxg_dhcp_fixed_lookup(n, &req->chaddr);
	struct dhcp_lease *l;

	if (f != NULL)
		return reply_lease(n, r, DHCP_OFFER, f->ip);
	if ((l = pool_pick(n, req, now)) == NULL)
		return false; /* no range, or every address taken */
	if (l->state != DHCP_LEASE_BOUND || lease_free(l, now))
		lease_hold(n, l, req, DHCP_LEASE_OFFERED, now + DHCP_OFFER_HOLD);
	return reply_lease(n, r, DHCP_OFFER, l->ip);
}

/* The address a REQUEST wants: option 50 while selecting or rebooting, else ciaddr. */
static uint32_t
request_ip(const struct dhcp_request *req)
{
	return req->requested_ip ? req->requested_ip : req->ciaddr;
}

static bool
on_request(struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r)
{
	const struct dhcp_fixed *f = vxg_dhcp_fixed_lookup(n, &req->chaddr);
	uint32_t ip = request_ip(req);
	struct dhcp_lease *l, *mine;

	if (req->server_id && req->server_id != n->tmpl.server_id) {
		/* The client took another server's offer: let ours go. */
		if ((mine = lease_of_mac(n, &req->chaddr, now)) &&
			mine->state == DHCP_LEASE_OFFERED)
			lease_release(n, mine);
		return false;
	}
	if (ip == 0)
		return false;
	if ((ip & n->mask) != n->network)
		return reply_nak(n, r, "address not on this network");
	if (f != NULL)
		return f->ip == ip ? reply_lease(n, r, DHCP_ACK, ip)
				   : reply_nak(n, r, "this port has a fixed address");
	l = lease_of_ip(n, ip);
	if (l == NULL || vxg_dhcp_reserved(n, ip))
		return reply_nak(n, r, "address not in the pool");
	if (!lease_free(l, now) && !rte_is_same_ether_addr(&l->mac, &req->chaddr))
		return reply_nak(n, r, "address in use");
	if (l->state == DHCP_LEASE_DECLINED && !lease_free(l, now))
		return reply_nak(n, r, "address declined");
	lease_hold(n, l, req, DHCP_LEASE_BOUND, now + n->lease_time);
	return reply_lease(n, r, DHCP_ACK, ip);
}

static void
on_decline(struct dhcp_net *n, const struct dhcp_request *req, time_t now)
{
	struct dhcp_lease *l = lease_of_ip(n, req->requested_ip);

	struct rte_ether_addr nobody = {{0}};

	if (l != NULL && rte_is_same_ether_addr(&l->mac, &req->chaddr))
		lease_set(n, l, DHCP_LEASE_DECLINED, &nobody, now + DHCP_DECLINE_HOLD);
}

static void
on_release(struct dhcp_net *n, const struct dhcp_request *req, time_t now)
{
	struct dhcp_lease *l = lease_of_ip(n, req->ciaddr);

	if (l != NULL && !lease_free(l, now) && rte_is_same_ether_addr(&l->mac, &req->chaddr))
		lease_release(n, l);
}

bool
vxg_dhcp_handle(
	struct dhcp_net *n, const struct dhcp_request *req, time_t now, struct dhcp_reply *r)
{
	pool_expire(n, now);
	switch (req->msg_type) {
	case DHCP_DISCOVER:
		return on_discover(n, req, now, r);
	case DHCP_REQUEST:
		return on_request(n, req, now, r);
	case DHCP_DECLINE:
		on_decline(n, req, now);
		return false;
	case DHCP_RELEASE:
		on_release(n, req, now);
		return false;
	case DHCP_INFORM:
		/* Configuration only: no address, no lease (RFC 2131 3.4). */
		*r = n->tmpl;
		r->msg_type = DHCP_ACK;
		r->yiaddr = 0;
		r->lease = 0;
		return true;
	}
	return false;
}

bool
vxg_dhcp_lease_restore(struct dhcp_net *n, const struct dhcp_lease *from)
{
	struct dhcp_lease *l = lease_of_ip(n, from->ip);
	int64_t other;

	if (l == NULL || from->state == DHCP_LEASE_FREE || vxg_dhcp_reserved(n, l->ip) ||
		vxg_dhcp_fixed_lookup(n, &from->mac) != NULL)
		return false;
	other = state_held(from->state) ? mac_table_lookup(&n->pool->by_mac, &from->mac) : -1;
	if (other >= 0 && &n->leases[other] != l) {
		if (n->leases[other].expires >= from->expires)
			return false;
		lease_release(n, &n->leases[other]);
	}
	lease_set(n, l, from->state, &from->mac, from->expires);
	snprintf(l->hostname, sizeof(l->hostname), "%s", from->hostname);
	return true;
}
