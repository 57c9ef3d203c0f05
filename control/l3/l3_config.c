/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Route tables: per VPC its connected networks and static routes, a short list when they
 * are few (VXG_L3_SMALL), else an rte_lpm. VPCs are isolated by having tables of their
 * own, so two of them may use one CIDR.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "core/port.h"
#include "vxg_gen.h"
#include "l3/l3_config.h"
#include "vxg_l3.h"
#include "neigh/underlay_neigh.h"

#define TBL8S 256 /* /25 and longer prefixes each need one */

static unsigned
network_of_ip(const struct vxg_vpc_cfg *v, uint32_t ip)
{
	for (unsigned i = 0; i < v->n_networks; i++) {
		const struct vxg_cidr *c = &v->networks[i].cidr;
		uint32_t mask = c->len ? ~0u << (32 - c->len) : 0;

		if (v->networks[i].gateway && (ip & mask) == c->addr)
			return i;
	}
	return VXG_NONE;
}

/* The next hop of a static route; the validator has made sure it exists. */
static struct vxg_nh
route_nh(const struct vxg_config *cfg, const struct vxg_vpc_cfg *v, const struct vxg_route_cfg *r)
{
	struct vxg_nh nh = {0};
	unsigned net;

	if (r->via != VXG_NONE) {
		const struct vxg_if_cfg *ic = &cfg->interfaces[r->via];

		nh.kind = VXG_NH_INTERFACE;
		nh.iface = r->via;
		nh.gateway = r->nexthop ? r->nexthop : ic->gateway;
		nh.mtu = ic->mtu;
		return nh;
	}
	net = network_of_ip(v, r->nexthop);
	nh.kind = VXG_NH_GATEWAY;
	nh.network = net == VXG_NONE ? UINT16_MAX : net;
	nh.gateway = r->nexthop;
	nh.mtu = net == VXG_NONE ? 0 : v->networks[net].mtu;
	return nh;
}

/* prefix (not /0) to next hop nh in l3's short list: in place of the same prefix (as
 * rte_lpm_add does), else before the first shorter one. */
static int
l3_small_add(struct vxg_l3_vpc *l3, struct vxg_cidr prefix, uint32_t nh)
{
	struct vxg_l3_pfx p = {.mask = ~0u << (32 - prefix.len), .nh = nh};
	unsigned at = 0;

	p.net = prefix.addr & p.mask;
	for (unsigned i = 0; i < l3->n_small; i++)
		if (l3->small[i].net == p.net && l3->small[i].mask == p.mask) {
			l3->small[i].nh = nh;
			return 0;
		}
	if (l3->n_small == VXG_L3_SMALL)
		return -ENOSPC;
	while (at < l3->n_small && l3->small[at].mask >= p.mask)
		at++;
	memmove(&l3->small[at + 1], &l3->small[at], (l3->n_small - at) * sizeof(p));
	l3->small[at] = p;
	l3->n_small++;
	return 0;
}

static int
l3_add(struct vxg_l3_vpc *l3, struct vxg_cidr prefix, struct vxg_nh nh)
{
	int ret;

	l3->nhs[l3->n_nhs] = nh;
	if (prefix.len == 0)
		l3->default_nh = l3->n_nhs;
	else if (l3->lpm == NULL && (ret = l3_small_add(l3, prefix, l3->n_nhs)) < 0)
		return ret;
	else if (l3->lpm != NULL &&
		 (ret = rte_lpm_add(l3->lpm, prefix.addr, prefix.len, l3->n_nhs)) < 0)
		return ret;
	l3->n_nhs++;
	l3->n_routes++;
	return 0;
}

/* VPC v's prefixes other than the default route (those a table holds). */
static uint32_t
l3_prefixes(const struct vxg_vpc_cfg *v)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < v->n_networks; i++)
		n += v->networks[i].gateway != 0 && v->networks[i].cidr.len > 0;
	for (unsigned i = 0; i < v->n_routes; i++)
		n += !v->routes[i].is6 && v->routes[i].prefix.len > 0;
	return n;
}

static int
l3_fill(const struct vxg_config *cfg, const struct vxg_vpc_cfg *v, struct vxg_l3_vpc *l3)
{
	int ret;

	for (unsigned i = 0; i < v->n_networks; i++) {
		const struct vxg_network_cfg *n = &v->networks[i];
		struct vxg_nh nh = {.kind = VXG_NH_CONNECTED, .network = i, .mtu = n->mtu};

		if (n->gateway == 0)
			continue; /* no router port: a pure L2 network */
		if ((ret = l3_add(l3, n->cidr, nh)) < 0)
			return ret;
	}
	for (unsigned i = 0; i < v->n_routes; i++) {
		struct vxg_nh nh;

		if (v->routes[i].is6)
			continue; /* IPv6 routes are not in this IPv4 table */
		nh = route_nh(cfg, v, &v->routes[i]);

		if (nh.kind == VXG_NH_GATEWAY && nh.network == UINT16_MAX)
			return -ENETUNREACH;
		if ((ret = l3_add(l3, v->routes[i].prefix, nh)) < 0)
			return ret;
	}
	return 0;
}

int
vxg_l3_compile(const struct vxg_config *cfg, unsigned vpc, struct vxg_l3_vpc *out, char *err,
	size_t errlen)
{
	static unsigned seq;
	const struct vxg_vpc_cfg *v = &cfg->vpcs[vpc];
	uint32_t max = v->n_networks + v->n_routes;
	struct rte_lpm_config lc = {.max_rules = max ? max : 1, .number_tbl8s = TBL8S};
	bool big = l3_prefixes(v) > VXG_L3_SMALL;
	char name[RTE_LPM_NAMESIZE];
	int ret;

	memset(out, 0, sizeof(*out));
	out->routed = true;
	out->default_nh = VXG_L3_NO_ROUTE;
	out->nhs = calloc(max ? max : 1, sizeof(*out->nhs));
	if (out->nhs == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	if (big) {
		snprintf(name, sizeof(name), "vxg_lpm%u", seq++);
		out->lpm = rte_lpm_create(name, (int)rte_socket_id(), &lc);
		if (out->lpm == NULL) {
			ret = -rte_errno;
			goto err;
		}
	}
	if ((ret = l3_fill(cfg, v, out)) < 0)
		goto err;
	return 0;
err:
	snprintf(err, errlen, "vpc %s: cannot build its route table (%u prefixes): %s", v->name,
		max, strerror(-ret));
	vxg_l3_free(out);
	return ret;
}

void *
vxg_l3_nhs_dup(const void *nhs, uint32_t n, size_t size)
{
	void *copy = malloc((n ? n : 1) * size);

	if (copy != NULL)
		memcpy(copy, nhs, n * size);
	return copy;
}

int
vxg_l3_take(struct vxg_l3_vpc *l3, struct vxg_l3_vpc *from)
{
	struct vxg_nh *nhs = vxg_l3_nhs_dup(from->nhs, from->n_nhs, sizeof(*nhs));

	if (nhs == NULL)
		return -ENOMEM;
	*l3 = *from;
	l3->lent = false;
	l3->nhs = nhs;
	from->lent = true;
	return 0;
}

void
vxg_l3_free(struct vxg_l3_vpc *l3)
{
	if (!l3->lent)
		rte_lpm_free(l3->lpm);
	free(l3->nhs);
	memset(l3, 0, sizeof(*l3));
}

/* The MAC of ip (host order) on interface ifi: a static neighbour, else a learned one. */
static const struct rte_ether_addr *
l3_if_neigh(
	const struct vxg_config *cfg, unsigned ifi, const struct vxg_neigh_table *nt, uint32_t ip)
{
	const struct vxg_if_cfg *ic = &cfg->interfaces[ifi];

	for (unsigned i = 0; i < ic->n_neighbours; i++)
		if (ic->neighbours[i].ip == ip)
			return &ic->neighbours[i].mac;
	return nt != NULL ? vxg_neigh_mac(nt, ifi, rte_cpu_to_be_32(ip)) : NULL;
}

/* What the worker needs of each next hop beyond what the route says. */
static void
l3_nh_bind(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_vpc_cfg *v,
	const struct vxg_iface *ifs, const struct vxg_neigh_table *nt, struct vxg_nh *nh)
{
	const struct vxg_gen_net *gn;
	const struct rte_ether_addr *mac;

	nh->gnet = UINT16_MAX;
	if (nh->kind == VXG_NH_INTERFACE) {
		nh->port_id = ifs[nh->iface].port_id;
		nh->src_mac = ifs[nh->iface].mac;
		mac = nh->gateway ? l3_if_neigh(cfg, nh->iface, nt, nh->gateway) : NULL;
		nh->resolved = mac != NULL;
		if (mac != NULL)
			nh->dst_mac = *mac;
		return;
	}
	gn = vxg_net_by_vni(&g->vx, v->networks[nh->network].vni);
	if (gn != NULL)
		nh->gnet = gn->index;
}

static bool
l3_routed(const struct vxg_vpc_cfg *v)
{
	for (unsigned i = 0; i < v->n_networks; i++)
		if (v->networks[i].gateway != 0)
			return true;
	return false;
}

int
vxg_l3_build(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	const struct vxg_neigh_table *nt, struct vxg_gen *same)
{
	char err[256];
	int ret;

	g->vpcs = rte_zmalloc("vxg_vpcs", (cfg->n_vpcs + 1) * sizeof(*g->vpcs), 0);
	if (g->vpcs == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		struct vxg_gen_vpc *gv = &g->vpcs[v];

		snprintf(gv->name, sizeof(gv->name), "%s", cfg->vpcs[v].name);
		g->n_vpcs++;
		if (!l3_routed(&cfg->vpcs[v]))
			continue; /* pure L2: no table for a router nobody can reach */
		if (same != NULL && same->n_vpcs == cfg->n_vpcs)
			ret = vxg_l3_take(&gv->l3, &same->vpcs[v].l3);
		else
			ret = vxg_l3_compile(cfg, v, &gv->l3, err, sizeof(err));
		if (ret < 0)
			return ret;
		/* (taken over: the neighbours may have changed, the next hops are bound again) */
		for (uint32_t i = 0; i < gv->l3.n_nhs; i++)
			l3_nh_bind(g, cfg, &cfg->vpcs[v], ifs, nt, &gv->l3.nhs[i]);
	}
	return 0;
}
