/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Compile the VTEP, the networks and the access VLANs of a config into a generation:
 * networks sorted by VNI, remote VTEPs sorted by address with their outer header
 * templates, and a VLAN -> network map per access interface. Control thread only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_malloc.h>

#include "core/port.h"
#include "vxg_gen.h"
#include "neigh/underlay_neigh.h"
#include "vxlan/vxlan_config.h"
#include "vxlan/vxlan_dyn.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_net(const void *a, const void *b)
{
	return cmp_u32(
		&((const struct vxg_gen_net *)a)->vni, &((const struct vxg_gen_net *)b)->vni);
}

/* The MAC of ip (host order) on interface ifi: its static neighbour, which always wins,
 * else what ARP learned (nt may be NULL), else NULL. */
static const struct rte_ether_addr *
neigh_lookup(
	const struct vxg_config *cfg, unsigned ifi, const struct vxg_neigh_table *nt, uint32_t ip)
{
	const struct vxg_if_cfg *ic = &cfg->interfaces[ifi];

	for (unsigned i = 0; i < ic->n_neighbours; i++)
		if (ic->neighbours[i].ip == ip)
			return &ic->neighbours[i].mac;
	return vxg_neigh_mac(nt, ifi, rte_cpu_to_be_32(ip));
}

/* Every field but the VNI, lengths, UDP source port and IPv4 checksum. */
static void
tmpl_fill(struct vxg_vxlan_tmpl *t, const struct vxg_config *cfg, const struct rte_ether_addr *src,
	const struct rte_ether_addr *dst, uint32_t dst_ip)
{
	const struct vxg_vtep_cfg *v = &cfg->vtep;

	memset(t, 0, sizeof(*t));
	t->eth.src_addr = *src;
	if (dst != NULL)
		t->eth.dst_addr = *dst;
	t->eth.ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	t->ip.version_ihl = RTE_IPV4_VHL_DEF;
	t->ip.fragment_offset = v->df ? RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
	t->ip.time_to_live = v->ttl;
	t->ip.next_proto_id = IPPROTO_UDP;
	t->ip.src_addr = rte_cpu_to_be_32(v->address);
	t->udp.dst_port = rte_cpu_to_be_16(v->udp_port);
	t->vx.vx_flags = VXG_VXLAN_I_FLAG;
	t->ip.dst_addr = rte_cpu_to_be_32(dst_ip);
	/* The checksum of every field but the total length, which the worker adds in (one's
	 * complement sums commute): no re-read of the header. The gateway's template, shared
	 * by the VTEPs only learned, has destination 0: the worker adds the destination too. */
	t->ip.hdr_checksum = rte_ipv4_cksum(&t->ip);
}

/* Network nc's dynamic flood set (EVPN), when cfg has EVPN on for it; NULL else. A set
 * left by a shadow that cfg turned off is not used. */
static const uint32_t *
dyn_flood(const struct vxg_config *cfg, const struct vxg_network_cfg *nc, unsigned *n)
{
	*n = 0;
	if (!cfg->vtep.evpn.enabled || !nc->evpn)
		return NULL;
	return vxg_vxlan_dyn_flood(nc->vni, n);
}

/* The distinct remote VTEP addresses of cfg (flood lists, port locations), of its
 * networks' dynamic flood sets and of EVPN's remote MACs, sorted. */
static int
vteps_collect(const struct vxg_config *cfg, uint32_t **out, unsigned *n_out)
{
	unsigned n = 0, cap = 0, n_dyn, n_ucast = 0;
	const uint32_t *ucast =
		cfg->vtep.evpn.enabled ? vxg_vxlan_dyn_flood(VXG_DYN_UCAST, &n_ucast) : NULL;
	uint32_t *ips;

	cap += n_ucast;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++) {
			dyn_flood(cfg, &cfg->vpcs[v].networks[i], &n_dyn);
			cap += cfg->vpcs[v].networks[i].n_flood + n_dyn;
		}
		cap += cfg->vpcs[v].n_ports;
	}
	ips = calloc(cap + 1, sizeof(*ips));
	if (ips == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vpc = &cfg->vpcs[v];

		for (unsigned i = 0; i < vpc->n_networks; i++) {
			const uint32_t *dyn = dyn_flood(cfg, &vpc->networks[i], &n_dyn);

			for (unsigned f = 0; f < vpc->networks[i].n_flood; f++)
				ips[n++] = vpc->networks[i].flood[f];
			for (unsigned f = 0; f < n_dyn; f++)
				ips[n++] = dyn[f];
		}
		for (unsigned p = 0; p < vpc->n_ports; p++)
			if (vpc->ports[p].loc == VXG_LOC_VTEP)
				ips[n++] = vpc->ports[p].vtep;
	}
	for (unsigned i = 0; i < n_ucast; i++)
		ips[n++] = ucast[i];
	qsort(ips, n, sizeof(*ips), cmp_u32);
	*n_out = 0;
	for (unsigned i = 0; i < n; i++)
		if (*n_out == 0 || ips[*n_out - 1] != ips[i])
			ips[(*n_out)++] = ips[i];
	*out = ips;
	return 0;
}

static int
vteps_build(struct vxg_gen_vxlan *vx, const struct vxg_config *cfg, const struct vxg_iface *ul,
	const struct vxg_neigh_table *nt)
{
	unsigned ifi = cfg->vtep.underlay;
	const struct vxg_if_cfg *ic = &cfg->interfaces[cfg->vtep.underlay];
	const struct rte_ether_addr *mac;
	uint32_t *ips, mask = vx->mask;
	unsigned n;
	int ret;

	if ((ret = vteps_collect(cfg, &ips, &n)) < 0)
		return ret;
	vx->vteps = rte_zmalloc("vxg_vteps", (n + 1) * sizeof(*vx->vteps), RTE_CACHE_LINE_SIZE);
	if (vx->vteps == NULL) {
		free(ips);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		struct vxg_gen_vtep *t = &vx->vteps[i];
		bool onlink = (ips[i] & mask) == (ic->address & mask);
		uint32_t nh = onlink || ic->gateway == 0 ? ips[i] : ic->gateway;

		mac = neigh_lookup(cfg, ifi, nt, nh);
		t->ip = rte_cpu_to_be_32(ips[i]);
		t->nexthop = rte_cpu_to_be_32(nh);
		t->resolved = mac != NULL;
		tmpl_fill(&t->tmpl, cfg, &ul->mac, mac, ips[i]);
	}
	vx->n_vteps = n;
	free(ips);
	vx->ctr = rte_zmalloc("vxg_vtep_ctr", (size_t)RTE_MAX_LCORE * (n + 1) * sizeof(*vx->ctr),
		RTE_CACHE_LINE_SIZE);
	if (vx->ctr == NULL)
		return -ENOMEM;
	mac = ic->gateway ? neigh_lookup(cfg, ifi, nt, ic->gateway) : NULL;
	vx->gw_resolved = mac != NULL;
	tmpl_fill(&vx->gw_tmpl, cfg, &ul->mac, mac, 0);
	return 0;
}

static void
flood_add(const struct vxg_gen_vxlan *vx, struct vxg_gen_net *gn, uint32_t ip)
{
	const struct vxg_gen_vtep *t = vxg_vtep_by_ip(vx, rte_cpu_to_be_32(ip));
	uint16_t idx;

	if (t == NULL)
		return; /* no vtep: section, so no remote VTEP */
	idx = (uint16_t)(t - vx->vteps);
	for (unsigned i = 0; i < gn->n_flood; i++)
		if (gn->flood[i] == idx)
			return;
	gn->flood[gn->n_flood++] = idx;
}

/* Head-end replication targets: the config's flood list, then the network's dynamic set
 * (EVPN) less what the list already has. */
static int
flood_build(const struct vxg_gen_vxlan *vx, struct vxg_gen_net *gn, const struct vxg_config *cfg,
	const struct vxg_network_cfg *nc)
{
	unsigned n_dyn;
	const uint32_t *dyn = dyn_flood(cfg, nc, &n_dyn);

	gn->flood = rte_zmalloc("vxg_flood", (nc->n_flood + n_dyn + 1) * sizeof(*gn->flood), 0);
	if (gn->flood == NULL)
		return -ENOMEM;
	for (unsigned f = 0; f < nc->n_flood; f++)
		flood_add(vx, gn, nc->flood[f]);
	for (unsigned f = 0; f < n_dyn; f++)
		if (dyn[f] != rte_be_to_cpu_32(vx->addr)) /* never to ourselves */
			flood_add(vx, gn, dyn[f]);
	return 0;
}

static int
net_build(struct vxg_gen_vxlan *vx, struct vxg_gen_net *gn, const struct vxg_vpc_cfg *vpc,
	unsigned ni, const struct vxg_config *cfg, const struct vxg_iface *ifs)
{
	const struct vxg_network_cfg *nc = &vpc->networks[ni];

	gn->vni = nc->vni;
	gn->vx_vni = rte_cpu_to_be_32(nc->vni << 8);
	gn->mtu = nc->mtu;
	gn->has_gw = nc->gateway != 0;
	gn->gw_mac = nc->gw_mac;
	vxg_fdb_key_set(&gn->gw_key, nc->vni, &nc->gw_mac);
	gn->has_gw6 = nc->ip6.enabled;
	if (gn->has_gw6) {
		memcpy(gn->gw6, nc->ip6.gateway.a, sizeof(gn->gw6));
		vxg_ip6_ll_from_mac(gn->gw6_ll, &nc->gw_mac);
	}
	if (!gn->has_gw && !gn->has_gw6)
		gn->gw_key.pad[0] = UINT16_MAX;
	gn->gw_ip = rte_cpu_to_be_32(nc->gateway);
	gn->vpc_idx = (uint16_t)(vpc - cfg->vpcs);
	gn->dhcp = nc->dhcp.enabled && nc->gateway != 0;
	gn->ip6_svc = gn->has_gw6;
	snprintf(gn->name, sizeof(gn->name), "%s", nc->name);
	snprintf(gn->vpc, sizeof(gn->vpc), "%s", vpc->name);
	if (flood_build(vx, gn, cfg, nc) < 0)
		return -ENOMEM;
	gn->access = rte_zmalloc("vxg_access", (vpc->n_ports + 1) * sizeof(*gn->access), 0);
	if (gn->access == NULL)
		return -ENOMEM;
	/* Each (interface, VLAN) where a port of this network lives, once. */
	for (unsigned p = 0; p < vpc->n_ports; p++) {
		const struct vxg_port_cfg *pc = &vpc->ports[p];
		struct vxg_gen_access a;
		bool dup = false;

		if (pc->network != ni || pc->loc != VXG_LOC_INTERFACE)
			continue;
		a.port_id = ifs[pc->interface].port_id;
		a.vlan = pc->vlan;
		for (unsigned i = 0; i < gn->n_access; i++)
			dup |= gn->access[i].port_id == a.port_id && gn->access[i].vlan == a.vlan;
		if (!dup)
			gn->access[gn->n_access++] = a;
	}
	return 0;
}

static int
nets_build(struct vxg_gen_vxlan *vx, const struct vxg_config *cfg, const struct vxg_iface *ifs)
{
	unsigned n = 0;
	int ret;

	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		n += cfg->vpcs[v].n_networks;
	vx->nets = rte_zmalloc("vxg_nets", (n + 1) * sizeof(*vx->nets), RTE_CACHE_LINE_SIZE);
	if (vx->nets == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++) {
			ret = net_build(vx, &vx->nets[vx->n_nets], &cfg->vpcs[v], i, cfg, ifs);
			vx->n_nets++;
			if (ret < 0)
				return ret;
		}
	}
	qsort(vx->nets, vx->n_nets, sizeof(*vx->nets), cmp_net);
	for (unsigned i = 0; i < vx->n_nets; i++)
		vx->nets[i].index = i;
	return 0;
}

/* Access interfaces: which network each VLAN (0: untagged) carries. */
static int
vlans_build(struct vxg_gen *g, const struct vxg_config *cfg)
{
	for (unsigned i = 0; i < g->n_ifs; i++) {
		if (g->ifs[i].role != VXG_ROLE_ACCESS)
			continue;
		g->ifs[i].vlan_net = rte_malloc("vxg_vlans", 4096 * sizeof(uint16_t), 0);
		if (g->ifs[i].vlan_net == NULL)
			return -ENOMEM;
		memset(g->ifs[i].vlan_net, 0xff, 4096 * sizeof(uint16_t));
	}
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vpc = &cfg->vpcs[v];

		for (unsigned p = 0; p < vpc->n_ports; p++) {
			const struct vxg_port_cfg *pc = &vpc->ports[p];
			const struct vxg_gen_net *gn;

			if (pc->loc != VXG_LOC_INTERFACE || g->ifs[pc->interface].vlan_net == NULL)
				continue;
			gn = vxg_net_by_vni(&g->vx, vpc->networks[pc->network].vni);
			g->ifs[pc->interface].vlan_net[pc->vlan] = gn->index;
		}
	}
	return 0;
}

int
vxg_vxlan_build(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	struct vxg_fdb *fdb, const struct vxg_neigh_table *nt)
{
	struct vxg_gen_vxlan *vx = &g->vx;
	const struct vxg_vtep_cfg *v = &cfg->vtep;
	int ret;

	vx->fdb = fdb;
	vx->enabled = v->enabled;
	if (v->enabled) {
		const struct vxg_if_cfg *ic = &cfg->interfaces[v->underlay];

		vx->learning = v->learning;
		vx->ageing = v->ageing;
		vx->addr = rte_cpu_to_be_32(v->address);
		vx->udp_port = rte_cpu_to_be_16(v->udp_port);
		vx->src_port_min = v->src_port_min;
		vx->src_port_range = v->src_port_max - v->src_port_min + 1;
		vx->udp_csum = v->udp_csum;
		vx->port_id = ifs[v->underlay].port_id;
		vx->mtu = ic->mtu;
		vx->mask = ic->prefixlen ? ~0u << (32 - ic->prefixlen) : 0;
		if ((ret = vteps_build(vx, cfg, &ifs[v->underlay], nt)) < 0)
			return ret;
	}
	if ((ret = nets_build(vx, cfg, ifs)) < 0)
		return ret;
	return vlans_build(g, cfg);
}

void
vxg_vxlan_free(struct vxg_gen_vxlan *vx)
{
	for (unsigned i = 0; vx->nets != NULL && i < vx->n_nets; i++) {
		rte_free(vx->nets[i].flood);
		rte_free(vx->nets[i].access);
	}
	rte_free(vx->nets);
	rte_free(vx->vteps);
	rte_free(vx->ctr);
	vx->nets = NULL;
	vx->vteps = NULL;
	vx->ctr = NULL;
}
