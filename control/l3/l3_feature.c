/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC routers' control side and the l3 feature's registration: each generation's
 * route tables, the router neighbour table and its timers, and the answers to what
 * workers punt to a gateway.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>

#include <rte_ip.h>
#include <rte_malloc.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "core/gen.h"
#include "l3/l3_config.h"
#include "l3/l3_feature.h"
#include "l3/router6.h"
#include "l3/router_neigh6.h"
#include "neigh/neigh_feature.h"
#include "vxg_icmp.h"

#define TIMERS_EVERY_MS 200

/* Thread-safety: control thread only. */
static struct {
	struct vxg_l3_neigh_table *l3n; /* router neighbours, survive reloads */
	uint64_t timers_ms; /* when their timers last ran */
	struct vxg_router_stats stats;
} rt;

const struct vxg_l3_neigh_table *
vxg_router_neigh(void)
{
	return rt.l3n;
}

struct vxg_router_stats *
vxg_router_stats(void)
{
	return &rt.stats;
}

static const struct vxg_network_cfg *
router_net_cfg(const struct vxg_config *cfg, uint32_t vni)
{
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			if (cfg->vpcs[v].networks[i].vni == vni)
				return &cfg->vpcs[v].networks[i];
	return NULL;
}

static bool
router_in_net(const struct vxg_network_cfg *nc, rte_be32_t ip)
{
	uint32_t mask = nc->cidr.len ? ~0u << (32 - nc->cidr.len) : 0;

	return nc->cidr.len != 0 && (rte_be_to_cpu_32(ip) & mask) == nc->cidr.addr;
}

/* A packet held for e goes now that e has a MAC. */
static void
router_held_send(struct rte_mbuf *m, const struct vxg_l3_neigh *e, void *arg)
{
	struct vxg_daemon *d = arg;
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	eth->dst_addr = e->mac.mac;
	/* Still the sender's packet: its port's security groups apply. */
	if (vxg_inject_net(d, e->key.vni, m, vxg_meta(m)->lport) == 0)
		rt.stats.held_tx++;
}

void
vxg_router_learn(struct vxg_daemon *d, uint32_t vni, rte_be32_t ip,
	const struct rte_ether_addr *mac, bool create)
{
	struct vxg_l3_neigh *e;

	e = vxg_l3n_learn(rt.l3n, vni, ip, mac, create, vxg_ctl_now_ms());
	if (e != NULL && e->mac.valid)
		vxg_l3n_flush(e, router_held_send, d);
}

/* An ARP request from a gateway (broadcast, or unicast to a stale entry's MAC). */
static void
router_probe(const struct vxg_l3_neigh *e, void *arg)
{
	struct vxg_daemon *d = arg;
	const struct vxg_gen_net *net = vxg_net_by_vni(&d->gen->vx, e->key.vni);
	struct rte_mbuf *m;

	if (net == NULL || !net->has_gw)
		return;
	m = rte_pktmbuf_alloc(d->pool);
	if (m == NULL || vxg_arp_request(m, &net->gw_mac, net->gw_ip, e->key.ip) < 0) {
		rte_pktmbuf_free(m);
		d->inject_full++;
		return;
	}
	if (e->state == VXG_L3N_STALE && e->mac.valid)
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr = e->mac.mac;
	if (vxg_inject_net(d, e->key.vni, m, VXG_LPORT_SELF) == 0)
		rt.stats.arp_requests_tx++;
}

static void
router_arp(struct vxg_daemon *d, struct rte_mbuf *m, const struct vxg_gen_net *net)
{
	const struct vxg_network_cfg *nc = router_net_cfg(d->cfg, net->vni);
	struct vxg_neigh_self self = {.mac = net->gw_mac, .n_addrs = 1, .addrs = {net->gw_ip}};
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;
	enum vxg_punt_kind k = vxg_neigh_answer(m, &self, &sip, &smac);
	/* Only senders inside the network are neighbours (no spoofing another subnet). */
	bool ok = sip != 0 && nc != NULL && router_in_net(nc, sip);

	if (k == VXG_PUNT_ARP_REQUEST) {
		rt.stats.arp_requests_rx++;
		if (ok)
			vxg_router_learn(d, net->vni, sip, &smac, true);
		if (vxg_inject_net(d, net->vni, m, VXG_LPORT_SELF) == 0)
			rt.stats.arp_replies_tx++;
		return;
	}
	if (k == VXG_PUNT_ARP_REPLY)
		rt.stats.arp_replies_rx++;
	if (ok)
		vxg_router_learn(d, net->vni, sip, &smac, false);
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

/* UDP to a gateway address: port unreachable, from the gateway. True: sent or counted. */
static bool
router_port_unreach(
	struct vxg_daemon *d, struct rte_mbuf *m, const struct vxg_gen_net *net, rte_be32_t dst)
{
	struct rte_ether_hdr *eth;

	m->l2_len = RTE_ETHER_HDR_LEN;
	if (!vxg_icmp_error(m, VXG_ICMP_DEST_UNREACH, 3 /* port */, 0, rte_be_to_cpu_32(dst)))
		return false;
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = net->gw_mac;
	if (vxg_inject_net(d, net->vni, m, VXG_LPORT_SELF) == 0)
		rt.stats.icmp_port_unreach_tx++;
	return true;
}

/* IPv4 to a gateway address: echo replies, and port unreachable for other UDP. */
static void
router_local(struct vxg_daemon *d, struct rte_mbuf *m, const struct vxg_gen_net *net)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
	struct vxg_neigh_self self = {.mac = net->gw_mac, .n_addrs = 1, .addrs = {ip->dst_addr}};
	rte_be32_t sip = 0;
	struct rte_ether_addr smac;

	if (ip->next_proto_id == IPPROTO_ICMP) {
		rt.stats.icmp_echo_rx++;
		if (vxg_neigh_answer(m, &self, &sip, &smac) == VXG_PUNT_ICMP_ECHO) {
			if (vxg_inject_net(d, net->vni, m, VXG_LPORT_SELF) == 0)
				rt.stats.icmp_echo_replies_tx++;
			return;
		}
	} else if (ip->next_proto_id == IPPROTO_UDP) {
		if (router_port_unreach(d, m, net, ip->dst_addr))
			return;
	}
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

static void
router_miss(struct vxg_daemon *d, struct rte_mbuf *m, uint32_t vni, rte_be32_t nh)
{
	int ret;

	rt.stats.neigh_miss_rx++;
	ret = vxg_l3n_miss(rt.l3n, vni, nh, m, vxg_ctl_now_ms());
	if (ret == 2) {
		router_held_send(m, vxg_l3n_lookup(rt.l3n, vni, nh), d);
	} else if (ret == 1) {
		router_probe(vxg_l3n_lookup(rt.l3n, vni, nh), d);
	}
}

const struct vxg_gen_net *
vxg_router_punt_net(struct vxg_daemon *d, struct rte_mbuf *m)
{
	const struct vxg_gen_net *net = vxg_net_by_vni(&d->gen->vx, vxg_meta(m)->vni);

	if (net == NULL || !net->has_gw || m->data_len < RTE_ETHER_HDR_LEN) {
		rt.stats.unknown_network++;
		rte_pktmbuf_free(m);
		return NULL;
	}
	return net;
}

/* A frame a worker punted from a VPC router (untagged, Ethernet first). */
static void
router_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	const struct vxg_meta meta = *vxg_meta(m);
	const struct vxg_gen_net *net;
	const struct rte_ether_hdr *eth;

	if (meta.why == VXG_PUNT_EXT6 ||
		(m->data_len >= RTE_ETHER_HDR_LEN &&
			rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->ether_type ==
				RTE_BE16(RTE_ETHER_TYPE_IPV6))) {
		vxg_router6_punt(d, m);
		return;
	}
	net = vxg_router_punt_net(d, m);
	if (net == NULL)
		return;
	if (meta.why == VXG_PUNT_NEIGH_MISS) {
		router_miss(d, m, meta.vni, meta.nexthop);
		return;
	}
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		router_arp(d, m, net);
	else
		router_local(d, m, net);
}

static void
l3_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (now_ms - rt.timers_ms < TIMERS_EVERY_MS)
		return;
	rt.timers_ms = now_ms;
	vxg_l3n_timers(rt.l3n, now_ms, router_probe, d);
	vxg_router6_timers(d, now_ms);
}

static int
l3_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	rt.l3n = vxg_l3n_create(d->cfg->dataplane.limits.neighbours, d->qsbr);
	if (rt.l3n == NULL) {
		snprintf(err, errlen,
			"cannot create the router neighbour table of %u entries "
			"(dataplane.limits.neighbours): %s",
			d->cfg->dataplane.limits.neighbours, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (vxg_l3n_sync_static(rt.l3n, d->cfg, 1) < 0) {
		snprintf(
			err, errlen, "the ports' addresses do not fit dataplane.limits.neighbours");
		return -ENOSPC;
	}
	return vxg_router6_init(d, err, errlen);
}

static void
l3_fini(struct vxg_daemon *d)
{
	vxg_router6_fini();
	vxg_l3n_destroy(rt.l3n);
	rt.l3n = NULL;
}

static int
l3_build(struct vxg_daemon *d, struct vxg_gen *g, const struct vxg_config *cfg, char *err,
	size_t errlen)
{
	/* a rebuild of the live config (a neighbour, an EVPN flood set): its route tables */
	struct vxg_gen *same = cfg == d->cfg ? d->gen : NULL;

	g->l3n = rt.l3n;
	g->l3n6 = vxg_router_neigh6();
	if (vxg_l3_build(g, cfg, d->ifs, vxg_underlay_neigh(), same) < 0 ||
		vxg_l3_build6(g, cfg, d->ifs, same) < 0) {
		snprintf(err, errlen, "%sout of memory", VXG_GEN_BUILD_ERR);
		return -ENOMEM;
	}
	return 0;
}

/* g was never published: route tables it took over from the live generation go back. */
static void
l3_abort(struct vxg_daemon *d, struct vxg_gen *g)
{
	for (unsigned v = 0;
		d->gen != NULL && g->vpcs != NULL && v < g->n_vpcs && v < d->gen->n_vpcs; v++) {
		struct vxg_gen_vpc *live = &d->gen->vpcs[v], *mine = &g->vpcs[v];

		if (live->l3.lent && live->l3.lpm == mine->l3.lpm) {
			live->l3.lent = false;
			mine->l3.lent = true;
		}
		if (live->l3v6.lent && live->l3v6.fib == mine->l3v6.fib) {
			live->l3v6.lent = false;
			mine->l3v6.lent = true;
		}
	}
}

static void
l3_gen_free(struct vxg_gen *g)
{
	for (unsigned i = 0; g->vpcs != NULL && i < g->n_vpcs; i++)
		vxg_l3_free(&g->vpcs[i].l3);
	vxg_l3_gen_free6(g);
	rte_free(g->vpcs);
}

static int
l3_reload(struct vxg_daemon *d, const struct vxg_config *nc, const struct vxg_gen *g, char *err,
	size_t errlen)
{
	if (vxg_l3n_sync_static(rt.l3n, nc, (uint32_t)g->id) < 0) {
		snprintf(err, errlen,
			"the router neighbour table is full: some ports' addresses are not in it");
		return -ENOSPC;
	}
	if (vxg_router6_sync(nc, (uint32_t)g->id) < 0) {
		snprintf(err, errlen,
			"the IPv6 router neighbour table is full: some ports' IPv6 addresses are "
			"not in it");
		return -ENOSPC;
	}
	return 0;
}

/* show memory: the live generation's route tables, and the router neighbour table. An
 * rte_lpm (a VPC of more than VXG_L3_SMALL prefixes) costs 2^24 tbl24 entries of 4 bytes,
 * plus its tbl8 groups; a short list is in the generation's VPC itself. */
static unsigned
l3_memory(const struct vxg_daemon *d, struct vxg_mem_row *rows)
{
	const struct vxg_l3_neigh_table *l3n = rt.l3n;
	const struct vxg_l3_neigh6_table *l3n6 = vxg_router_neigh6();
	uint64_t routes = 0, routes6 = 0;

	for (unsigned v = 0; d->gen != NULL && v < d->gen->n_vpcs; v++) {
		const struct vxg_l3_vpc *l3 = &d->gen->vpcs[v].l3;

		if (l3->lpm != NULL)
			routes += (4ull << 24) + 256ull * 256 * 4;
		routes += l3->n_nhs * sizeof(*l3->nhs);
		/* rte_fib6's trie with 2-byte next hops: tbl24 and its tbl8 groups */
		if (d->gen->vpcs[v].l3v6.fib != NULL)
			routes6 += (2ull << 24) + d->gen->vpcs[v].l3v6.n_tbl8 * 512ull;
		routes6 += d->gen->vpcs[v].l3v6.n_nhs * sizeof(struct vxg_nh6);
	}
	rows[0] = (struct vxg_mem_row){"routes", routes, -1};
	rows[1] = (struct vxg_mem_row){"router neighbours", l3n ? vxg_l3n_memsize(l3n) : 0, -1};
	rows[2] = (struct vxg_mem_row){"routes (IPv6)", routes6, -1};
	rows[3] = (struct vxg_mem_row){
		"router neighbours (IPv6)", l3n6 ? vxg_l3n6_memsize(l3n6) : 0, -1};
	return 4;
}

/* One table of router neighbours for every VPC per address family: its use against its
 * size (the IPv6 one is as big), labelled `family` so that a sum over it is the whole. */
static unsigned
l3_metrics(const struct vxg_daemon *d, struct vxg_metric *rows, unsigned max)
{
	static const char help[] = "Entries of the VPC routers' neighbour table of the family, of "
				   "every VPC";
	static const char help_limit[] = "Size of the router neighbour table of the family "
					 "(dataplane.limits.neighbours)";
	const struct vxg_l3_neigh6_table *l3n6 = vxg_router_neigh6();
	unsigned n = 0;

	n = vxg_metric_add(rows, max, n, "vxgate_router_neighbours", help,
		rt.l3n ? vxg_l3n_count(rt.l3n) : 0, "family", "ipv4", NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_router_neighbours", help,
		l3n6 ? vxg_l3n6_count(l3n6) : 0, "family", "ipv6", NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_router_neighbours_limit", help_limit,
		d->cfg->dataplane.limits.neighbours, "family", "ipv4", NULL);
	n = vxg_metric_add(rows, max, n, "vxgate_router_neighbours_limit", help_limit,
		d->cfg->dataplane.limits.neighbours, "family", "ipv6", NULL);
	return n;
}

/* After vxlan: routes between its networks; the external gateways' MACs come from the
 * underlay neighbours. */
static struct vxg_feature l3_feature = {
	.name = "l3",
	.order = 400,
	.punts = VXG_FEATURE_PUNT(VXG_PUNT_ROUTER) | VXG_FEATURE_PUNT(VXG_PUNT_NEIGH_MISS) |
		 VXG_FEATURE_PUNT(VXG_PUNT_EXT6),
	.init = l3_init,
	.fini = l3_fini,
	.build = l3_build,
	.abort = l3_abort,
	.gen_free = l3_gen_free,
	.reload = l3_reload,
	.tick = l3_tick,
	.punt = router_punt,
	.memory = l3_memory,
	.metrics = l3_metrics,
};

VXG_FEATURE_REGISTER(l3_feature)
