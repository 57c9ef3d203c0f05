/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router's control side (router6.h): Neighbour Discovery and pings for the
 * router's addresses on every dual-stack network and external interface, and the
 * resolution of next hops by Neighbour Solicitation while their packets wait.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>

#include "core/daemon.h"
#include "l3/router6.h"
#include "l3/router_neigh6.h"
#include "vxg_icmp6.h"

/* Thread-safety: control thread only. */
static struct {
	struct vxg_l3_neigh6_table *t;
	struct vxg_router6_stats stats;
} r6;

/* Where an IPv6 neighbour lives: a network (its router's addresses and MAC), or an
 * external interface (its address6 and MAC, and its port). */
struct r6_link {
	uint32_t vni; /* the neighbour key's */
	const struct vxg_gen_net *net; /* NULL: an interface */
	const struct vxg_gen_if *ifx;
	const uint8_t *addr, *ll; /* ours there */
	const struct rte_ether_addr *mac;
};

struct vxg_l3_neigh6_table *
vxg_router_neigh6(void)
{
	return r6.t;
}

const struct vxg_router6_stats *
vxg_router6_stats(void)
{
	return &r6.stats;
}

static bool
r6_link_of(const struct vxg_daemon *d, uint32_t vni, struct r6_link *l)
{
	memset(l, 0, sizeof(*l));
	l->vni = vni;
	if (vni & VXG_L3N6_IF) {
		uint32_t i = vni & ~VXG_L3N6_IF;

		if (i >= d->gen->n_ifs || !d->gen->ifs[i].ip6.on)
			return false;
		l->ifx = &d->gen->ifs[i];
		l->addr = l->ifx->ip6.addr;
		l->ll = l->ifx->ip6.ll;
		l->mac = &l->ifx->mac;
		return true;
	}
	l->net = vxg_net_by_vni(&d->gen->vx, vni);
	if (l->net == NULL || !l->net->has_gw6)
		return false;
	l->addr = l->net->gw6;
	l->ll = l->net->gw6_ll;
	l->mac = &l->net->gw_mac;
	return true;
}

/* Send m (Ethernet first) on link l: into its network as the gateway (or as port lport
 * for a held packet), or out of its interface. 0 or -errno. */
static int
r6_send(struct vxg_daemon *d, const struct r6_link *l, struct rte_mbuf *m, uint16_t lport)
{
	if (l->net != NULL)
		return vxg_inject_net(d, l->vni, m, lport);
	return vxg_ctl_tx(d, l->ifx->port_id, m);
}

static bool
r6_ours(const struct r6_link *l, const uint8_t *ip)
{
	return vxg_ip6_eq(ip, l->addr) || vxg_ip6_eq(ip, l->ll);
}

/* A neighbour on link l: link-local, or inside the network's /64 (the interface's
 * neighbours: any unicast address, its gateway among them). */
static bool
r6_on_link(const struct r6_link *l, const uint8_t *ip)
{
	if (ip[0] == 0xff || (ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80))
		return ip[0] == 0xfe;
	return l->net == NULL || memcmp(ip, l->addr, 8) == 0;
}

static void
r6_held_send(struct rte_mbuf *m, const struct vxg_l3_neigh6 *e, void *arg)
{
	struct vxg_daemon *d = arg;
	struct r6_link l;

	if (!r6_link_of(d, e->key.vni, &l)) {
		rte_pktmbuf_free(m);
		r6.stats.unknown++;
		return;
	}
	rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr = e->mac.mac;
	/* Still the sender's packet: its port's security groups apply. */
	if (r6_send(d, &l, m, vxg_meta(m)->lport) == 0)
		r6.stats.held_tx++;
}

static void
r6_learn(struct vxg_daemon *d, uint32_t vni, const uint8_t *ip, const struct rte_ether_addr *mac,
	bool create)
{
	struct vxg_l3_neigh6 *e = vxg_l3n6_learn(r6.t, vni, ip, mac, create, vxg_ctl_now_ms());

	if (e != NULL && e->mac.valid)
		vxg_l3n6_flush(e, r6_held_send, d);
}

/* A Neighbour Solicitation for e's address, from the address of ours with its scope:
 * to its solicited-node address, or unicast to the MAC a stale entry has. */
static void
r6_probe(const struct vxg_l3_neigh6 *e, void *arg)
{
	struct vxg_daemon *d = arg;
	const struct rte_ether_addr *dmac = NULL;
	struct rte_mbuf *m;
	struct r6_link l;

	if (!r6_link_of(d, e->key.vni, &l))
		return;
	if (e->state == VXG_L3N_STALE && e->mac.valid)
		dmac = &e->mac.mac;
	m = rte_pktmbuf_alloc(d->pool);
	if (m == NULL || vxg_nd_build_ns(m, l.mac, e->key.ip[0] == 0xfe ? l.ll : l.addr, e->key.ip,
				 dmac) < 0) {
		rte_pktmbuf_free(m);
		d->inject_full++;
		return;
	}
	if (r6_send(d, &l, m, VXG_LPORT_SELF) == 0)
		r6.stats.ns_tx++;
}

/* An NS for one of our addresses: learn its sender, answer in m. */
static void
r6_ns(struct vxg_daemon *d, const struct r6_link *l, struct rte_mbuf *m, const struct vxg_nd *nd)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct rte_ether_addr smac = nd->has_lla ? nd->lla : eth->src_addr;
	uint32_t flags = VXG_ND_NA_SOLICITED | VXG_ND_NA_OVERRIDE;

	r6.stats.ns_rx++;
	if (nd->has_lla && r6_on_link(l, nd->src))
		r6_learn(d, l->vni, nd->src, &nd->lla, true);
	if (l->net != NULL)
		flags |= VXG_ND_NA_ROUTER;
	rte_pktmbuf_reset(m);
	if (vxg_nd_build_na(m, l->mac, nd->target, &smac, nd->src, nd->target, flags) < 0) {
		rte_pktmbuf_free(m);
		return;
	}
	if (r6_send(d, l, m, VXG_LPORT_SELF) == 0)
		r6.stats.na_tx++;
}

/* ICMPv6 to us (Ethernet first): ND, echo; the rest is freed. */
static void
r6_icmp(struct vxg_daemon *d, const struct r6_link *l, struct rte_mbuf *m)
{
	const struct rte_icmp_hdr *ic = vxg_icmp6_of(m, RTE_ETHER_HDR_LEN);
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
	struct vxg_nd nd;
	uint8_t dst[16];

	if (ic != NULL && (ic->icmp_type == VXG_ICMP6_NS || ic->icmp_type == VXG_ICMP6_NA)) {
		if (vxg_nd_parse(m, RTE_ETHER_HDR_LEN, &nd) < 0) {
			r6.stats.nd_bad++;
		} else if (nd.type == VXG_ICMP6_NS && r6_ours(l, nd.target)) {
			r6_ns(d, l, m, &nd);
			return;
		} else if (nd.type == VXG_ICMP6_NA) {
			r6.stats.na_rx++;
			if (r6_on_link(l, nd.target))
				r6_learn(d, l->vni, nd.target,
					nd.has_lla ? &nd.lla
						   : &rte_pktmbuf_mtod(m, struct rte_ether_hdr *)
							      ->src_addr,
					false);
		} else {
			r6.stats.nd_other++;
		}
	} else if (ic != NULL && ic->icmp_type == VXG_ICMP6_ECHO_REQUEST &&
		   r6_ours(l, ip->dst_addr)) {
		r6.stats.echo_rx++;
		memcpy(dst, ip->dst_addr, 16);
		if (vxg_icmp6_echo_reply(m, RTE_ETHER_HDR_LEN, dst)) {
			if (r6_send(d, l, m, VXG_LPORT_SELF) == 0)
				r6.stats.echo_tx++;
			return;
		}
	}
	rte_pktmbuf_free(m);
	d->punt_freed++;
}

/* UDP to a gateway address (traceroute's last probe): port unreachable, as a host. */
static void
r6_local(struct vxg_daemon *d, const struct r6_link *l, struct rte_mbuf *m)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
	struct rte_ether_hdr *eth;
	uint8_t src[16];

	if (ip->proto == VXG_IPPROTO_ICMPV6) {
		r6_icmp(d, l, m);
		return;
	}
	memcpy(src, ip->dst_addr, 16);
	m->l2_len = RTE_ETHER_HDR_LEN;
	if (ip->proto != IPPROTO_UDP || !r6_ours(l, src) ||
		!vxg_icmp6_error(m, VXG_ICMP6_DST_UNREACH, VXG_ICMP6_PORT_UNREACH, 0, src)) {
		rte_pktmbuf_free(m);
		d->punt_freed++;
		return;
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = *l->mac;
	if (r6_send(d, l, m, VXG_LPORT_SELF) == 0)
		r6.stats.port_unreach_tx++;
}

/* A routed packet whose next hop has no MAC: hold it, and ask. */
static void
r6_miss(struct vxg_daemon *d, struct rte_mbuf *m, uint32_t vni, uint32_t ref)
{
	const struct rte_ipv6_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, RTE_ETHER_HDR_LEN);
	const uint8_t *nh = ip->dst_addr;
	uint8_t addr[16];
	int ret;

	r6.stats.miss_rx++;
	if (ref != VXG_NH6_DST) {
		/* the route's next hop, in the live generation (a reload in between may have
		 * moved it: then the packet goes, as one whose next hop never answered) */
		uint16_t vpc = (uint16_t)(ref >> 16), i = (uint16_t)ref;

		if (vpc >= d->gen->n_vpcs || i >= d->gen->vpcs[vpc].l3v6.n_nhs) {
			r6.stats.unknown++;
			rte_pktmbuf_free(m);
			return;
		}
		memcpy(addr, d->gen->vpcs[vpc].l3v6.nhs[i].gateway, 16);
		nh = addr;
	} else {
		memcpy(addr, nh, 16);
		nh = addr;
	}
	ret = vxg_l3n6_miss(r6.t, vni, nh, m, vxg_ctl_now_ms());
	if (ret == 2)
		r6_held_send(m, vxg_l3n6_lookup(r6.t, vni, nh), d);
	else if (ret == 1)
		r6_probe(vxg_l3n6_lookup(r6.t, vni, nh), d);
}

void
vxg_router6_punt(struct vxg_daemon *d, struct rte_mbuf *m)
{
	const struct vxg_meta meta = *vxg_meta(m);
	uint32_t vni = meta.vni;
	struct r6_link l;

	if (meta.why == VXG_PUNT_EXT6) {
		uint8_t i = m->port < RTE_MAX_ETHPORTS ? d->gen->if_of_port[m->port] : VXG_IF_NONE;

		vni = i == VXG_IF_NONE ? VXG_L3N6_IF | 0xffff : VXG_L3N6_IF | i;
	}
	if (m->data_len < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr) ||
		!r6_link_of(d, vni, &l)) {
		r6.stats.unknown++;
		rte_pktmbuf_free(m);
		return;
	}
	if (meta.why == VXG_PUNT_NEIGH_MISS)
		r6_miss(d, m, vni, meta.nexthop);
	else
		r6_local(d, &l, m);
}

void
vxg_router6_timers(struct vxg_daemon *d, uint64_t now_ms)
{
	vxg_l3n6_timers(r6.t, now_ms, r6_probe, d);
}

int
vxg_router6_sync(const struct vxg_config *cfg, uint32_t gen)
{
	return vxg_l3n6_sync_static(r6.t, cfg, gen);
}

int
vxg_router6_init(struct vxg_daemon *d, char *err, size_t errlen)
{
	r6.t = vxg_l3n6_create(d->cfg->dataplane.limits.neighbours, d->qsbr);
	if (r6.t == NULL) {
		snprintf(err, errlen,
			"cannot create the IPv6 router neighbour table of %u entries "
			"(dataplane.limits.neighbours): %s",
			d->cfg->dataplane.limits.neighbours, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	if (vxg_router6_sync(d->cfg, 1) < 0) {
		snprintf(err, errlen,
			"the ports' IPv6 addresses do not fit dataplane.limits.neighbours");
		return -ENOSPC;
	}
	return 0;
}

void
vxg_router6_fini(void)
{
	vxg_l3n6_destroy(r6.t);
	r6.t = NULL;
}
