/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT's part of a generation (vxg_nat.h): each VPC's nat section, and one map of every
 * external address (floating IPs and SNAT addresses) for the inbound lookup, the proxy
 * ARP answers and the hairpin check, with the (VPC, fixed IP) -> floating IP index.
 * The session tables are the daemon's (daemon.c attaches them).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
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

int
vxg_nat_build(struct vxg_gen *g, const struct vxg_config *cfg, char *err, size_t errlen)
{
	struct vxg_gen_nat_map *map = &g->nat;
	uint32_t n = 0, n_fips = 0;

	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		n += cfg->vpcs[v].nat.snat != 0;
		n_fips += cfg->vpcs[v].nat.n_fips;
	}
	n += n_fips;
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
	}
	if (n == 0)
		return 0;
	map->addrs = rte_zmalloc("vxg_nat_addrs", n * sizeof(map->addrs[0]), 0);
	map->ext = nat_hash("natx", n, sizeof(rte_be32_t));
	if (n_fips > 0)
		map->fixed = nat_hash("natf", n_fips, sizeof(struct vxg_nat_fkey));
	if (map->addrs == NULL || map->ext == NULL || (n_fips > 0 && map->fixed == NULL))
		goto nomem;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_nat_cfg *nc = &cfg->vpcs[v].nat;
		struct vxg_nat_addr a = {.vpc = (uint16_t)v, .ifindex = (uint8_t)nc->interface};

		if (nc->interface == VXG_NONE)
			continue;
		if (nc->snat != 0) {
			a.kind = VXG_NAT_SNAT;
			a.ext = rte_cpu_to_be_32(nc->snat);
			a.fixed = 0;
			if (nat_add(g, &a) < 0)
				goto nomem;
		}
		for (unsigned f = 0; f < nc->n_fips; f++) {
			a.kind = VXG_NAT_FIP;
			a.ext = rte_cpu_to_be_32(nc->fips[f].ip);
			a.fixed = rte_cpu_to_be_32(nc->fips[f].fixed_ip);
			if (nat_add(g, &a) < 0)
				goto nomem;
		}
	}
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
