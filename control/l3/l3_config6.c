/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * IPv6 route tables: one rte_fib6 per dual-stack VPC holding its connected /64s and its
 * IPv6 static routes (`nexthop` inside a network, or `via` an external interface, whose
 * gateway6 vxgate resolves by Neighbour Solicitation), and each external interface's
 * IPv6 side: its address and the /64s of the VPCs that route out of it, which is where
 * what comes in from outside may go.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "core/port.h"
#include "l3/l3_config.h"
#include "vxg_gen.h"
#include "vxg_l3.h"

/* tbl8 groups a prefix of len may take: one per byte past the first three. */
#define TBL8_PER_ROUTE 13

static bool
ip6_in(const uint8_t *ip, const struct vxg_cidr6 *c)
{
	unsigned bytes = c->len / 8, bits = c->len % 8;

	if (memcmp(ip, c->addr.a, bytes) != 0)
		return false;
	return bits == 0 || ((ip[bytes] ^ c->addr.a[bytes]) >> (8 - bits)) == 0;
}

/* The dual-stack network of v whose /64 holds ip, or VXG_NONE. */
static unsigned
network6_of_ip(const struct vxg_vpc_cfg *v, const uint8_t *ip)
{
	for (unsigned i = 0; i < v->n_networks; i++)
		if (v->networks[i].ip6.enabled && ip6_in(ip, &v->networks[i].ip6.cidr))
			return i;
	return VXG_NONE;
}

static struct vxg_nh6
route6_nh(const struct vxg_config *cfg, const struct vxg_vpc_cfg *v, const struct vxg_route_cfg *r)
{
	static const struct vxg_ip6 none;
	struct vxg_nh6 nh = {.gnet = UINT16_MAX};
	unsigned net;

	memcpy(nh.prefix, r->prefix6.addr.a, VXG_IP6_LEN);
	nh.prefix_len = r->prefix6.len;
	if (r->via != VXG_NONE) {
		const struct vxg_if_cfg *ic = &cfg->interfaces[r->via];
		bool own = memcmp(&r->nexthop6, &none, sizeof(none)) != 0;

		nh.kind = VXG_NH_INTERFACE;
		nh.iface = (uint8_t)r->via;
		memcpy(nh.gateway, own ? r->nexthop6.a : ic->gateway6.a, VXG_IP6_LEN);
		nh.mtu = ic->mtu;
		return nh;
	}
	net = network6_of_ip(v, r->nexthop6.a);
	nh.kind = VXG_NH_GATEWAY;
	nh.network = net == VXG_NONE ? UINT16_MAX : (uint16_t)net;
	memcpy(nh.gateway, r->nexthop6.a, VXG_IP6_LEN);
	nh.mtu = net == VXG_NONE ? 0 : v->networks[net].mtu;
	return nh;
}

/* The length of short-list prefix p (its mask's bits). */
static unsigned
l3v6_len(const struct vxg_l3_pfx6 *p)
{
	return (unsigned)(__builtin_popcountll(p->mask[0]) + __builtin_popcountll(p->mask[1]));
}

/* nh's prefix to next hop i in l3's short list: in place of the same prefix (as
 * rte_fib6_add does), else before the first shorter one. */
static int
l3v6_small_add(struct vxg_l3_vpc6 *l3, const struct vxg_nh6 *nh, uint32_t i)
{
	struct vxg_l3_pfx6 p = {.nh = i};
	uint8_t mask[VXG_IP6_LEN] = {0}, net[VXG_IP6_LEN];
	unsigned at = 0;

	for (unsigned b = 0; b < nh->prefix_len; b++)
		mask[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	for (unsigned b = 0; b < VXG_IP6_LEN; b++)
		net[b] = nh->prefix[b] & mask[b];
	memcpy(p.mask, mask, sizeof(mask));
	memcpy(p.net, net, sizeof(net));
	for (unsigned k = 0; k < l3->n_small; k++)
		if (memcmp(l3->small[k].net, p.net, 16) == 0 &&
			memcmp(l3->small[k].mask, p.mask, 16) == 0) {
			l3->small[k].nh = i;
			return 0;
		}
	if (l3->n_small == VXG_L3_SMALL6)
		return -ENOSPC;
	while (at < l3->n_small && l3v6_len(&l3->small[at]) >= nh->prefix_len)
		at++;
	memmove(&l3->small[at + 1], &l3->small[at], (l3->n_small - at) * sizeof(p));
	l3->small[at] = p;
	l3->n_small++;
	return 0;
}

static int
l3v6_add(struct vxg_l3_vpc6 *l3, const struct vxg_nh6 *nh)
{
	int ret;

	if (l3->n_nhs >= VXG_L3_NO_ROUTE6)
		return -ENOSPC;
	l3->nhs[l3->n_nhs] = *nh;
	ret = l3->fib != NULL ? rte_fib6_add(l3->fib, nh->prefix, nh->prefix_len, l3->n_nhs)
			      : l3v6_small_add(l3, nh, l3->n_nhs);
	if (ret < 0)
		return ret;
	l3->n_nhs++;
	return 0;
}

static int
l3v6_fill(const struct vxg_config *cfg, const struct vxg_vpc_cfg *v, struct vxg_l3_vpc6 *l3)
{
	int ret;

	for (unsigned i = 0; i < v->n_networks; i++) {
		const struct vxg_network_cfg *n = &v->networks[i];
		struct vxg_nh6 nh = {.kind = VXG_NH_CONNECTED,
			.network = (uint16_t)i,
			.mtu = n->mtu,
			.gnet = UINT16_MAX,
			.prefix_len = n->ip6.cidr.len};

		if (!n->ip6.enabled)
			continue;
		memcpy(nh.prefix, n->ip6.cidr.addr.a, VXG_IP6_LEN);
		if ((ret = l3v6_add(l3, &nh)) < 0)
			return ret;
	}
	for (unsigned i = 0; i < v->n_routes; i++) {
		struct vxg_nh6 nh;

		if (!v->routes[i].is6)
			continue;
		nh = route6_nh(cfg, v, &v->routes[i]);
		if (nh.kind == VXG_NH_GATEWAY && nh.network == UINT16_MAX)
			return -ENETUNREACH;
		if ((ret = l3v6_add(l3, &nh)) < 0)
			return ret;
	}
	return 0;
}

/* Prefixes the VPC's IPv6 table holds: its dual-stack networks and IPv6 routes. */
static unsigned
l3v6_count(const struct vxg_vpc_cfg *v, unsigned *nets)
{
	unsigned n = 0;

	*nets = 0;
	for (unsigned i = 0; i < v->n_networks; i++)
		*nets += v->networks[i].ip6.enabled;
	for (unsigned i = 0; i < v->n_routes; i++)
		n += v->routes[i].is6;
	return n + *nets;
}

int
vxg_l3_compile6(const struct vxg_config *cfg, unsigned vpc, struct vxg_l3_vpc6 *out, char *err,
	size_t errlen)
{
	static unsigned seq;
	const struct vxg_vpc_cfg *v = &cfg->vpcs[vpc];
	unsigned nets, max = l3v6_count(v, &nets);
	struct rte_fib6_conf fc = {
		.type = RTE_FIB6_TRIE,
		.default_nh = VXG_L3_NO_ROUTE6,
		.max_routes = (int)max,
		.trie = {.nh_sz = RTE_FIB6_TRIE_2B, .num_tbl8 = max * TBL8_PER_ROUTE},
	};
	char name[32];
	int ret;

	memset(out, 0, sizeof(*out));
	if (nets == 0)
		return 0; /* IPv4 only: no table */
	out->on = true;
	out->nhs = calloc(max, sizeof(*out->nhs));
	if (out->nhs == NULL) {
		ret = -ENOMEM;
		goto err;
	}
	if (max > VXG_L3_SMALL6) {
		snprintf(name, sizeof(name), "vxg_fib6_%u", seq++);
		out->fib = rte_fib6_create(name, (int)rte_socket_id(), &fc);
		out->n_tbl8 = fc.trie.num_tbl8;
		if (out->fib == NULL) {
			ret = -rte_errno;
			goto err;
		}
	}
	if ((ret = l3v6_fill(cfg, v, out)) < 0)
		goto err;
	return 0;
err:
	snprintf(err, errlen, "vpc %s: cannot build its IPv6 route table (%u prefixes): %s",
		v->name, max, strerror(-ret));
	vxg_l3_free6(out);
	return ret;
}

int
vxg_l3_take6(struct vxg_l3_vpc6 *l3, struct vxg_l3_vpc6 *from)
{
	struct vxg_nh6 *nhs = NULL;

	if (from->on && (nhs = vxg_l3_nhs_dup(from->nhs, from->n_nhs, sizeof(*nhs))) == NULL)
		return -ENOMEM;
	*l3 = *from;
	l3->lent = false;
	l3->nhs = nhs;
	from->lent = from->on;
	return 0;
}

void
vxg_l3_free6(struct vxg_l3_vpc6 *l3)
{
	if (!l3->lent)
		rte_fib6_free(l3->fib);
	free(l3->nhs);
	memset(l3, 0, sizeof(*l3));
}

/* The worker's part of each next hop: the egress network, or the interface's port. */
static void
l3v6_bind(struct vxg_gen *g, const struct vxg_vpc_cfg *v, const struct vxg_iface *ifs,
	struct vxg_nh6 *nh)
{
	const struct vxg_gen_net *gn;

	nh->gnet = UINT16_MAX;
	if (nh->kind == VXG_NH_INTERFACE) {
		nh->port_id = ifs[nh->iface].port_id;
		nh->src_mac = ifs[nh->iface].mac;
		return;
	}
	gn = vxg_net_by_vni(&g->vx, v->networks[nh->network].vni);
	if (gn != NULL)
		nh->gnet = gn->index;
}

/* Does VPC v route IPv6 out of interface ifi? */
static bool
vpc_routes_out6(const struct vxg_vpc_cfg *v, unsigned ifi)
{
	for (unsigned i = 0; i < v->n_routes; i++)
		if (v->routes[i].is6 && v->routes[i].via == ifi)
			return true;
	return false;
}

/* External interface ifi's IPv6 side: its addresses and the /64s that may come in. */
static int
l3v6_iface(struct vxg_gen_if6 *i6, const struct vxg_config *cfg, unsigned ifi,
	const struct rte_ether_addr *mac)
{
	static const struct vxg_ip6 none;
	const struct vxg_if_cfg *ic = &cfg->interfaces[ifi];
	unsigned n = 0;

	if (ic->role != VXG_ROLE_EXTERNAL || memcmp(&ic->address6, &none, sizeof(none)) == 0)
		return 0;
	i6->on = true;
	memcpy(i6->addr, ic->address6.a, VXG_IP6_LEN);
	memcpy(i6->gateway, ic->gateway6.a, VXG_IP6_LEN);
	vxg_ip6_ll_from_mac(i6->ll, mac);
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			n += cfg->vpcs[v].networks[i].ip6.enabled;
	i6->in = rte_zmalloc("vxg_if6_in", (n + 1) * sizeof(*i6->in), 0);
	if (i6->in == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vc = &cfg->vpcs[v];

		if (!vpc_routes_out6(vc, ifi))
			continue;
		for (unsigned i = 0; i < vc->n_networks; i++) {
			if (!vc->networks[i].ip6.enabled)
				continue;
			memcpy(i6->in[i6->n_in].prefix, vc->networks[i].ip6.cidr.addr.a, 8);
			i6->in[i6->n_in++].vpc = (uint16_t)v;
		}
	}
	return 0;
}

int
vxg_l3_build6(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	struct vxg_gen *same)
{
	char err[256];
	int ret;

	for (unsigned i = 0; i < g->n_ifs; i++)
		if ((ret = l3v6_iface(&g->ifs[i].ip6, cfg, i, &ifs[i].mac)) < 0)
			return ret;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		struct vxg_l3_vpc6 *l3 = &g->vpcs[v].l3v6;

		if (same != NULL && same->n_vpcs == cfg->n_vpcs)
			ret = vxg_l3_take6(l3, &same->vpcs[v].l3v6);
		else
			ret = vxg_l3_compile6(cfg, v, l3, err, sizeof(err));
		if (ret < 0)
			return ret;
		for (uint32_t i = 0; i < l3->n_nhs; i++)
			l3v6_bind(g, &cfg->vpcs[v], ifs, &l3->nhs[i]);
	}
	return 0;
}

void
vxg_l3_gen_free6(struct vxg_gen *g)
{
	for (unsigned i = 0; i < g->n_ifs; i++)
		rte_free(g->ifs[i].ip6.in);
	for (unsigned v = 0; g->vpcs != NULL && v < g->n_vpcs; v++)
		vxg_l3_free6(&g->vpcs[v].l3v6);
}
