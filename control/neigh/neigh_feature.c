/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The underlay neighbour feature's registration and control work: the frames workers
 * punt from the underlay and external interfaces (ARP and ping for our addresses), the
 * next hops a generation needs, probes and timers, and the generation rebuilt when a
 * resolved MAC changes.
 */
#include <errno.h>
#include <stdio.h>

#include "core/daemon.h"
#include "core/feature.h"
#include "neigh/neigh_feature.h"

#define TIMERS_EVERY_MS 100

/* Thread-safety: control thread only. */
static struct {
	struct vxg_neigh_table *table; /* survives reloads */
	uint64_t timers_ms; /* when the timers last ran */
	struct vxg_underlay_stats stats;
} un;

const struct vxg_neigh_table *
vxg_underlay_neigh(void)
{
	return un.table;
}

const struct vxg_underlay_stats *
vxg_underlay_stats(void)
{
	return &un.stats;
}

static bool
neigh_static(const struct vxg_config *cfg, unsigned ifi, uint32_t ip)
{
	const struct vxg_if_cfg *ic = &cfg->interfaces[ifi];

	for (unsigned i = 0; i < ic->n_neighbours; i++)
		if (ic->neighbours[i].ip == ip)
			return true;
	return false;
}

/* Keep resolving nh (host order) on interface ifi, unless a static neighbour gives it. */
static void
neigh_want_nexthop(const struct vxg_config *cfg, unsigned ifi, uint32_t nh, uint64_t now)
{
	if (neigh_static(cfg, ifi, nh))
		return;
	if (vxg_neigh_want(un.table, ifi, rte_cpu_to_be_32(nh), now) < 0)
		un.stats.neigh_full++;
}

/* Mark the next hops generation g (of cfg) needs for its VTEPs (and the underlay
 * gateway, for VTEPs learned but not configured); the others age out of the table. */
static void
neigh_want(const struct vxg_gen *g, const struct vxg_config *cfg)
{
	const struct vxg_gen_vxlan *vx = &g->vx;
	unsigned ul = cfg->vtep.underlay;
	uint64_t now = vxg_ctl_now_ms();

	vxg_neigh_unwant_all(un.table);
	/* External interfaces' gateways: the routers' default routes go there. */
	for (unsigned i = 0; i < cfg->n_interfaces; i++) {
		const struct vxg_if_cfg *ic = &cfg->interfaces[i];

		if (ic->role == VXG_ROLE_EXTERNAL && ic->gateway != 0)
			neigh_want_nexthop(cfg, i, ic->gateway, now);
	}
	if (!vx->enabled)
		return;
	for (unsigned i = 0; i < vx->n_vteps; i++)
		neigh_want_nexthop(cfg, ul, rte_be_to_cpu_32(vx->vteps[i].nexthop), now);
	if (cfg->interfaces[ul].gateway != 0)
		neigh_want_nexthop(cfg, ul, cfg->interfaces[ul].gateway, now);
}

static void
neigh_regen(struct vxg_daemon *d)
{
	if (vxg_daemon_regen(d) < 0)
		un.stats.regen_failed++;
	else
		un.stats.regens++;
}

static void
neigh_probe(unsigned ifi, rte_be32_t ip, void *arg)
{
	struct vxg_daemon *d = arg;
	const struct vxg_gen_if *gi = &d->gen->ifs[ifi];
	rte_be32_t sip = gi->addr != 0 ? gi->addr : d->gen->vtep_addr;
	struct rte_mbuf *m = rte_pktmbuf_alloc(d->pool);

	if (m == NULL || vxg_arp_request(m, &gi->mac, sip, ip) < 0) {
		rte_pktmbuf_free(m);
		d->ctl_tx_full++;
		return;
	}
	if (vxg_ctl_tx(d, gi->port_id, m) == 0)
		un.stats.arp_requests_tx++;
}

/* RFC 826 merge: any ARP updates a known sender; one addressed to us also creates it. */
static void
neigh_learn(struct vxg_daemon *d, uint16_t port_id, rte_be32_t sip,
	const struct rte_ether_addr *smac, bool create)
{
	uint8_t ifi = d->gen->if_of_port[port_id];
	int ret;

	if (sip == 0 || ifi == VXG_IF_NONE)
		return;
	ret = vxg_neigh_learn(un.table, ifi, sip, smac, create, vxg_ctl_now_ms());
	if (ret < 0)
		un.stats.neigh_full++;
	else if (ret > 0 && vxg_neigh_lookup(un.table, ifi, sip)->wanted)
		neigh_regen(d);
}

/* Proxy ARP (and pings of the SNAT address): what a feature answers for on the
 * external interface arg. */
static bool
neigh_proxy(const void *arg, rte_be32_t ip)
{
	const struct vxg_gen_if *gi = arg;
	const struct vxg_gen *g = container_of(gi - gi->index, const struct vxg_gen, ifs[0]);

	return vxg_features_arp_proxy(g, gi->index, ip);
}

/* Who we are on the port a frame came in on: its MAC, address and the VTEP address. */
static int
neigh_self(const struct vxg_daemon *d, uint16_t port_id, struct vxg_neigh_self *self)
{
	const struct vxg_gen *g = d->gen;
	uint8_t i = port_id < RTE_MAX_ETHPORTS ? g->if_of_port[port_id] : VXG_IF_NONE;

	if (i == VXG_IF_NONE)
		return -ENODEV;
	self->mac = g->ifs[i].mac;
	self->n_addrs = 0;
	self->addrs[self->n_addrs++] = g->ifs[i].addr;
	if (g->ifs[i].role == VXG_ROLE_UNDERLAY)
		self->addrs[self->n_addrs++] = g->vtep_addr;
	self->proxy = NULL;
	if (g->ifs[i].role == VXG_ROLE_EXTERNAL) {
		self->proxy = neigh_proxy;
		self->proxy_arg = &g->ifs[i];
	}
	return 0;
}

/* ARP or ICMP for an interface or VTEP address: answered here, from the port it came in. */
static void
neigh_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	struct vxg_neigh_self self;
	struct rte_ether_addr smac;
	rte_be32_t sip = 0;

	if (neigh_self(d, m->port, &self) < 0)
		goto drop;
	switch (vxg_neigh_answer(m, &self, &sip, &smac)) {
	case VXG_PUNT_ARP_REQUEST:
		un.stats.arp_requests_rx++;
		neigh_learn(d, m->port, sip, &smac, true);
		if (vxg_ctl_tx(d, m->port, m) == 0)
			un.stats.arp_replies_tx++;
		return;
	case VXG_PUNT_ARP_REPLY:
		un.stats.arp_replies_rx++;
		neigh_learn(d, m->port, sip, &smac, false);
		goto drop;
	case VXG_PUNT_ICMP_ECHO:
		un.stats.icmp_echo_rx++;
		if (vxg_ctl_tx(d, m->port, m) == 0)
			un.stats.icmp_echo_replies_tx++;
		return;
	case VXG_PUNT_IGNORED:
		neigh_learn(d, m->port, sip, &smac, false);
		break;
	}
drop:
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

static void
neigh_tick(struct vxg_daemon *d, uint64_t now_ms)
{
	if (now_ms - un.timers_ms < TIMERS_EVERY_MS)
		return;
	un.timers_ms = now_ms;
	if (vxg_neigh_timers(un.table, now_ms, neigh_probe, d) > 0)
		neigh_regen(d);
}

static int
neigh_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	un.table = vxg_neigh_table_create(d->cfg->dataplane.limits.neighbours);
	if (un.table == NULL) {
		snprintf(err, errlen,
			"cannot create the neighbour table of %u entries "
			"(dataplane.limits.neighbours): out of memory",
			d->cfg->dataplane.limits.neighbours);
		return -ENOMEM;
	}
	return 0;
}

static void
neigh_fini(struct vxg_daemon *d)
{
	vxg_neigh_table_destroy(un.table);
	un.table = NULL;
}

/* Every generation's next hops: a rebuild of the same config may have other VTEPs too
 * (EVPN's flood sets), and wanting an entry already there changes nothing. */
static void
neigh_published(struct vxg_daemon *d, const struct vxg_gen *g, const struct vxg_config *cfg,
	const struct vxg_gen *old, const struct vxg_config *ocfg)
{
	neigh_want(g, cfg);
}

/* After l2: the generation's VTEP templates (vxlan, order 300) read this table. */
static struct vxg_feature neigh_feature = {
	.name = "neigh",
	.order = 200,
	.punts = VXG_FEATURE_PUNT(VXG_PUNT_UNDERLAY),
	.init = neigh_init,
	.fini = neigh_fini,
	.published = neigh_published,
	.tick = neigh_tick,
	.punt = neigh_punt,
};

VXG_FEATURE_REGISTER(neigh_feature)
