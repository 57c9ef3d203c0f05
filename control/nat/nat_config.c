/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT's part of a generation (vxg_nat.h): each VPC's nat section, and one map of every
 * external address (floating IPs, SNAT addresses, addresses of port forwards) for the
 * inbound lookup, the proxy ARP answers and the hairpin check, with the (VPC, fixed IP) ->
 * floating IP index; the port forwards, sorted per VPC, with their per-worker counters.
 * The session tables are the daemon's (daemon.c attaches them).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "nat/nat_config.h"

static struct rte_hash *
nat_hash(const char *what, uint32_t entries, uint32_t key_len)
{
	static unsigned seq;
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters p = {
		.name = name,
		.entries = RTE_MAX(entries, 64u),
		.key_len = key_len,
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
	};

	/* generations overlap while one replaces the other: names must differ */
	snprintf(name, sizeof(name), "vxg_%s%u", what, seq++);
	return rte_hash_create(&p);
}

static int
nat_add(struct vxg_gen *g, const struct vxg_nat_addr *a)
{
	struct vxg_gen_nat_map *map = &g->nat;
	uint32_t i = map->n_addrs++, b = vxg_nat_bit(a->ext);

	map->addrs[i] = *a;
	map->ext_bits[b >> 6] |= 1ull << (b & 63);
	if (rte_hash_add_key_data(map->ext, &a->ext, (void *)(uintptr_t)i) < 0)
		return -ENOSPC;
	if (a->kind == VXG_NAT_FIP) {
		struct vxg_nat_fkey k = {.vpc = a->vpc, .ip = a->fixed};

		if (rte_hash_add_key_data(map->fixed, &k, (void *)(uintptr_t)i) < 0)
			return -ENOSPC;
	}
	return 0;
}

/* The VPC's forwards into fwds (sorted by address, protocol, first port) from `at`, and
 * their counters' rows. */
static int
fwd_cmp(const void *pa, const void *pb)
{
	const struct vxg_nat_fwd *a = pa, *b = pb;

	if (a->ext != b->ext)
		return rte_be_to_cpu_32(a->ext) < rte_be_to_cpu_32(b->ext) ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	return (a->port_min > b->port_min) - (a->port_min < b->port_min);
}

static void
fwd_fill(struct vxg_gen *g, unsigned v, const struct vxg_nat_cfg *nc, uint32_t at)
{
	struct vxg_gen_nat *gn = &g->vpcs[v].nat;

	gn->fwd_first = at;
	gn->fwd_n = nc->n_fwds;
	for (unsigned i = 0; i < nc->n_fwds; i++) {
		const struct vxg_pfwd_cfg *c = &nc->fwds[i];

		g->nat.fwds[at + i] = (struct vxg_nat_fwd){
			.ext = rte_cpu_to_be_32(c->ip),
			.to = rte_cpu_to_be_32(c->to_ip),
			.port_min = c->port_min,
			.port_max = c->port_max,
			.to_min = c->to_min,
			.proto = (uint8_t)c->proto,
			.vpc = (uint16_t)v,
			.to_port = (uint16_t)c->to,
		};
	}
	qsort(&g->nat.fwds[at], nc->n_fwds, sizeof(g->nat.fwds[0]), fwd_cmp);
}

/* Ports of the SNAT address that forwards hold, for SNAT to skip: bits at `bits`. */
static void
fwd_ports(struct vxg_gen *g, unsigned v, uint64_t *bits)
{
	struct vxg_gen_nat *gn = &g->vpcs[v].nat;
	bool any = false;

	for (uint32_t i = gn->fwd_first; gn->snat != 0 && i < gn->fwd_first + gn->fwd_n; i++) {
		const struct vxg_nat_fwd *f = &g->nat.fwds[i];

		if (f->ext != gn->snat)
			continue;
		for (uint32_t p = f->port_min; p <= f->port_max; p++)
			bits[p >> 6] |= 1ull << (p & 63);
		any = true;
	}
	gn->fwd_ports = any ? bits : NULL;
}

/* The address entries of VPC v: its SNAT address, floating IPs, then each address only
 * forwards use. */
static int
nat_add_vpc(struct vxg_gen *g, unsigned v, const struct vxg_nat_cfg *nc)
{
	const struct vxg_gen_nat *gn = &g->vpcs[v].nat;
	struct vxg_nat_addr a = {.vpc = (uint16_t)v, .ifindex = (uint8_t)nc->interface};

	for (uint32_t i = gn->fwd_first, n; i < gn->fwd_first + gn->fwd_n; i += n) {
		for (n = 1; i + n < gn->fwd_first + gn->fwd_n &&
			    g->nat.fwds[i + n].ext == g->nat.fwds[i].ext;
			n++)
			;
		if (g->nat.fwds[i].ext == gn->snat) {
			a.fwd_first = i;
			a.fwd_n = n;
			continue;
		}
		struct vxg_nat_addr b = a;

		b.kind = VXG_NAT_FWD;
		b.ext = g->nat.fwds[i].ext;
		b.fwd_first = i;
		b.fwd_n = n;
		if (nat_add(g, &b) < 0)
			return -ENOSPC;
	}
	if (nc->snat != 0) {
		a.kind = VXG_NAT_SNAT;
		a.ext = rte_cpu_to_be_32(nc->snat);
		if (nat_add(g, &a) < 0)
			return -ENOSPC;
	}
	a.fwd_first = a.fwd_n = 0;
	for (unsigned f = 0; f < nc->n_fips; f++) {
		a.kind = VXG_NAT_FIP;
		a.ext = rte_cpu_to_be_32(nc->fips[f].ip);
		a.fixed = rte_cpu_to_be_32(nc->fips[f].fixed_ip);
		if (nat_add(g, &a) < 0)
			return -ENOSPC;
	}
	return 0;
}

/* Each VPC's nat section, and its forwards into the map. */
static void
nat_vpcs(struct vxg_gen *g, const struct vxg_config *cfg)
{
	uint32_t at = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_nat_cfg *nc = &cfg->vpcs[v].nat;
		struct vxg_gen_nat *gn = &g->vpcs[v].nat;

		if (nc->interface == VXG_NONE)
			continue;
		gn->on = true;
		gn->ifindex = (uint8_t)nc->interface;
		gn->port_id = g->ifs[nc->interface].port_id;
		gn->snat = rte_cpu_to_be_32(nc->snat);
		gn->port_min = nc->port_min;
		gn->port_max = nc->port_max;
		g->nat_on = true;
		if (g->nat.fwds != NULL) {
			fwd_fill(g, v, nc, at);
			fwd_ports(g, v, &g->nat.fwd_ports[(size_t)v * 1024]);
		}
		at += nc->n_fwds;
	}
}

/* The forwards, their counters and SNAT's bitmaps of forwarded ports. */
static int
nat_fwd_alloc(struct vxg_gen *g, const struct vxg_config *cfg, uint32_t n_fwds)
{
	struct vxg_gen_nat_map *map = &g->nat;

	if (n_fwds == 0)
		return 0;
	map->n_fwds = n_fwds;
	map->ctr_rows = RTE_MAX(rte_lcore_count(), 1u);
	map->ctr_stride = RTE_ALIGN_CEIL(n_fwds, 2u);
	map->fwds = rte_zmalloc("vxg_nat_fwds", n_fwds * sizeof(map->fwds[0]), 0);
	map->ctr = rte_zmalloc("vxg_nat_fwd_ctr",
		(size_t)map->ctr_rows * map->ctr_stride * sizeof(map->ctr[0]), RTE_CACHE_LINE_SIZE);
	map->fwd_ports = rte_zmalloc("vxg_nat_fwd_ports", (size_t)cfg->n_vpcs * 8192, 0);
	return map->fwds == NULL || map->ctr == NULL || map->fwd_ports == NULL ? -ENOMEM : 0;
}

int
vxg_nat_build(struct vxg_gen *g, const struct vxg_config *cfg, char *err, size_t errlen)
{
	struct vxg_gen_nat_map *map = &g->nat;
	uint32_t n = 0, n_fips = 0, n_fwds = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		n += cfg->vpcs[v].nat.snat != 0;
		n_fips += cfg->vpcs[v].nat.n_fips;
		n_fwds += cfg->vpcs[v].nat.n_fwds;
	}
	n += n_fips + n_fwds;
	if (nat_fwd_alloc(g, cfg, n_fwds) < 0)
		goto nomem;
	nat_vpcs(g, cfg);
	if (n == 0)
		return 0;
	map->addrs = rte_zmalloc("vxg_nat_addrs", n * sizeof(map->addrs[0]), 0);
	map->ext = nat_hash("natx", n, sizeof(rte_be32_t));
	if (n_fips > 0)
		map->fixed = nat_hash("natf", n_fips, sizeof(struct vxg_nat_fkey));
	if (map->addrs == NULL || map->ext == NULL || (n_fips > 0 && map->fixed == NULL))
		goto nomem;
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		if (cfg->vpcs[v].nat.interface != VXG_NONE &&
			nat_add_vpc(g, v, &cfg->vpcs[v].nat) < 0)
			goto nomem;
	return 0;
nomem:
	snprintf(err, errlen, "NAT address tables: out of memory");
	return -ENOMEM;
}

void
vxg_nat_gen_free(struct vxg_gen *g)
{
	rte_hash_free(g->nat.ext);
	rte_hash_free(g->nat.fixed);
	rte_free(g->nat.addrs);
	rte_free(g->nat.fwds);
	rte_free(g->nat.ctr);
	rte_free(g->nat.fwd_ports);
}

unsigned
vxg_nat_proxy_addrs(const struct vxg_gen *g, unsigned ifindex, rte_be32_t *out, unsigned max)
{
	unsigned k = 0;

	for (uint32_t i = 0; i < g->nat.n_addrs; i++) {
		if (g->nat.addrs[i].ifindex != ifindex)
			continue;
		if (k < max)
			out[k] = g->nat.addrs[i].ext;
		k++;
	}
	return k;
}

bool
vxg_nat_is_proxy(const struct vxg_gen *g, unsigned ifindex, rte_be32_t ip)
{
	void *data;

	if (g->nat.ext == NULL || rte_hash_lookup_data(g->nat.ext, &ip, &data) < 0)
		return false;
	return g->nat.addrs[(uintptr_t)data].ifindex == ifindex;
}
