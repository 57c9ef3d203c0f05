/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router: frames L2 found addressed to a network's gateway are routed through
 * their VPC's rte_lpm table to a next hop inside one of its networks (its MAC from the
 * router neighbour table, its location from the FDB) or out of an external interface.
 * TTL is decremented incrementally; expiry, no route and too-big-with-DF turn the packet
 * into an ICMP error in place (rate-limited); too big without DF is fragmented. What is
 * for the router itself (ARP, ping, DHCP) and packets whose next hop has no MAC yet go
 * to the control thread.
 *
 * This file is the batched router, for what the fast path (l3_fast.c) declined: classify,
 * look the routes up in bulk, turn what cannot go on into ICMP errors, hand the rest to
 * the last step (l3_forward.c) or out of the VPC (l3_edge.c).
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "ip6/ip6_svc.h"
#include "l3/l3_edge.h"
#include "l3/l3_forward.h"
#include "l3/l3v6.h"
#include "pipeline.h"
#include "vxg_icmp.h"
#include "vxg_ipv4.h"
#include "vxg_l3.h"

/*
 * Turn m into an ICMP error from the gateway of `in`, back to the hop it came from
 * (MACs swapped: the sender's MAC is on the ingress network). Without a token or when
 * RFC 1812 forbids the error, m is dropped under `r`.
 */
static void
l3_icmp_error(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *in, uint8_t type, uint8_t code, uint32_t info,
	enum vxg_drop_reason r, enum vxg_event ev)
{
	/* Whether an error may be sent at all first: a flood of packets no error may be
	 * about (from broadcast sources, say) must not spend the budget of real errors. */
	if (!vxg_icmp_error(m, type, code, info, rte_be_to_cpu_32(in->gw_ip))) {
		vxg_drop(w, m, r);
		return;
	}
	if (!l3_icmp_return(w, m, &in->gw_mac, r, ev))
		return;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_ICMP, type, code, 0, 0, 0, 0);
	vxg_meta(m)->lport = VXG_LPORT_SELF; /* the router's own: no group filters it */
	l3_to_net(o, m, in);
}

/* Local delivery: the router answers pings (and port-unreachable) and serves DHCP. */
static inline void
l3_local(struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in)
{
	bool dhcp = in->dhcp && vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT);

	l3_punt(o, m, dhcp ? VXG_PUNT_DHCP : VXG_PUNT_ROUTER, in->vni, 0);
}

/*
 * A packet to one of the router's own addresses meets its sender's egress rules, as in
 * Neutron: a port whose groups do not let ICMP out gets no echo reply from a gateway.
 * DHCP to the server always passes (as ARP does: it never comes here). One packet at a
 * time: these go to the control thread anyway. False: m dropped.
 */
static bool
l3_local_egress(struct vxg_worker *w, struct rte_mbuf *m)
{
	uint16_t lsrc = vxg_meta(m)->lport, none = 0;
	unsigned verdict;

	if (lsrc == 0 || lsrc == VXG_LPORT_SELF ||
		vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT))
		return true;
	vxg_sg_filter(w, &m, &lsrc, &none, 1, &verdict);
	if (likely(verdict == VXG_DROP_MAX))
		return true;
	vxg_drop(w, m, (enum vxg_drop_reason)verdict);
	return false;
}

/* Broadcasts reach the router only as ARP for its address or DHCP (see l2_check). */
static inline bool
l3_classify(
	struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	rte_be16_t type = l3_ethertype(m);
	int svc;

	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		svc = vxg_ip6_svc_kind(in, m, m->l2_len);
		if (svc >= 0) /* RS and DHCPv6, multicast or to the gateway: control's */
			l3_punt(o, m, (enum vxg_punt_why)svc, in->vni, 0);
		else
			vxg_l3v6_input(w, o, m, in);
		return false;
	}
	if (unlikely(!in->has_gw)) { /* an IPv6-only router port */
		vxg_drop(w, m, VXG_DROP_l3_not_ip);
		return false;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		l3_punt(o, m, VXG_PUNT_ROUTER, in->vni, 0);
		return false;
	}
	if (unlikely(type != RTE_BE16(RTE_ETHER_TYPE_IPV4))) {
		vxg_drop(w, m, VXG_DROP_l3_not_ip);
		return false;
	}
	switch (vxg_ipv4_check(m, m->l2_len)) {
	case VXG_IPV4_OK:
		break;
	case VXG_IPV4_BAD_CHECKSUM:
		vxg_drop(w, m, VXG_DROP_ip_bad_checksum);
		return false;
	default:
		vxg_drop(w, m, VXG_DROP_ip_bad_header);
		return false;
	}
	if (unlikely(rte_is_multicast_ether_addr(&eth->dst_addr))) {
		if (in->dhcp && vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT))
			l3_local(o, m, in);
		else
			vxg_drop(w, m, VXG_DROP_l3_broadcast);
		return false;
	}
	return true;
}

/* Bigger than mtu: with DF an ICMP error (true, m consumed), else false. */
static inline bool
l3_too_big_df(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *in, uint16_t mtu)
{
	const struct rte_ipv4_hdr *ip = l3_ip(m);

	if (likely(rte_be_to_cpu_16(ip->total_length) <= mtu) ||
		!(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)))
		return false;
	l3_icmp_error(w, o, m, in, VXG_ICMP_DEST_UNREACH, VXG_ICMP_FRAG_NEEDED, mtu,
		VXG_DROP_frag_needed, VXG_EV_icmp_frag_needed);
	return true;
}

/* After the route lookup: local, TTL, no route, external, or a neighbour to look up. */
static void
l3_route_one(struct vxg_worker *w, const struct vxg_gen *g, struct l3_out *o, struct l3_chunk *c,
	struct rte_mbuf *m, const struct vxg_gen_net *in, uint32_t nhi)
{
	const struct vxg_l3_vpc *l3 = &g->vpcs[in->vpc_idx].l3;
	struct rte_ipv4_hdr *ip = l3_ip(m);
	const struct vxg_nh *nh;
	const struct vxg_gen_net *out;
	uint16_t k;

	nh = nhi != VXG_L3_NO_ROUTE ? &l3->nhs[nhi] : NULL;
	out = nh != NULL && nh->gnet != UINT16_MAX ? &g->vx.nets[nh->gnet] : NULL;
	if (vxg_traced(w, m))
		vxg_trace_route(w, m, l3, in->vpc_idx, nhi, ip->dst_addr,
			out != NULL && nh->kind == VXG_NH_CONNECTED && ip->dst_addr == out->gw_ip
				? VXG_TR_ROUTE_LOCAL
				: 0);
	if (out != NULL && nh->kind == VXG_NH_CONNECTED && ip->dst_addr == out->gw_ip) {
		if (likely(!g->sg_on) || l3_local_egress(w, m))
			l3_local(o, m, in);
		return;
	}
	if (unlikely(ip->time_to_live <= 1)) {
		l3_icmp_error(w, o, m, in, VXG_ICMP_TIME_EXCEEDED, 0, 0, VXG_DROP_ttl_exceeded,
			VXG_EV_icmp_time_exceeded);
		return;
	}
	if (unlikely(nh == NULL || (out == NULL && nh->kind != VXG_NH_INTERFACE))) {
		l3_icmp_error(w, o, m, in, VXG_ICMP_DEST_UNREACH, VXG_ICMP_NET_UNREACH, 0,
			VXG_DROP_no_route, VXG_EV_icmp_unreachable);
		return;
	}
	if (nh->kind == VXG_NH_INTERFACE) {
		if (unlikely(!nh->resolved)) {
			vxg_drop(w, m, VXG_DROP_nh_unresolved);
			return;
		}
		/* before NAT: the error quotes what the sender sent */
		if (l3_too_big_df(w, o, m, in, nh->mtu))
			return;
		k = c->ext.n++;
		c->ext.pkts[k] = m;
		c->ext.nh[k] = nh;
		c->ext.in[k] = in;
		return;
	}
	if (l3_too_big_df(w, o, m, in, out->mtu))
		return;
	k = c->n++;
	c->pkts[k] = m;
	c->out[k] = out;
	c->keys[k].vni = out->vni;
	c->keys[k].ip = nh->kind == VXG_NH_GATEWAY ? rte_cpu_to_be_32(nh->gateway) : ip->dst_addr;
	c->keys[k].pad = 0;
}

static void
l3_chunk_run(
	struct vxg_worker *w, struct vxg_l2_burst *b, uint16_t first, uint16_t n, struct l3_out *o)
{
	const struct vxg_gen *g = w->gen;
	struct rte_mbuf *pkts[L3_CHUNK];
	const struct vxg_gen_net *in[L3_CHUNK];
	uint32_t dst[L3_CHUNK], nh[L3_CHUNK];
	struct l3_chunk c;
	uint16_t k = 0;
	bool one_vpc = true;

	for (uint16_t i = first; i < first + n; i++) {
		if (!l3_classify(w, o, b->pkts[i], b->net[i]))
			continue;
		pkts[k] = b->pkts[i];
		in[k] = b->net[i];
		dst[k] = rte_be_to_cpu_32(l3_ip(pkts[k])->dst_addr);
		one_vpc &= in[k]->vpc_idx == in[0]->vpc_idx;
		k++;
	}
	if (k == 0)
		return;
	if (one_vpc) {
		vxg_l3_lookup_bulk(&g->vpcs[in[0]->vpc_idx].l3, dst, nh, k);
	} else {
		for (uint16_t i = 0; i < k; i++)
			vxg_l3_lookup_bulk(&g->vpcs[in[i]->vpc_idx].l3, &dst[i], &nh[i], 1);
	}
	c.n = 0;
	c.ext.n = 0;
	for (uint16_t i = 0; i < k; i++)
		l3_route_one(w, g, o, &c, pkts[i], in[i], nh[i]);
	if (c.ext.n > 0)
		vxg_l3_ext_run(w, g, &c.ext);
	if (c.n == 0)
		return;
	vxg_l3_chunk_forward(w, g, &c, o);
}

void
vxg_l3_input(struct vxg_worker *w, struct vxg_l2_burst *b)
{
	struct vxg_l2_burst out;
	struct l3_out o;

	o.w = w; /* not an initializer: that would clear punt[] for every burst */
	o.l2 = &out;
	o.n_punt = 0;
	out.n = 0;
	out.from_overlay = false;
	out.in_port = VXG_INJECT_NET;
	for (uint16_t first = 0; first < b->n; first += L3_CHUNK)
		l3_chunk_run(w, b, first, RTE_MIN(L3_CHUNK, b->n - first), &o);
	if (o.n_punt > 0)
		vxg_punt_burst(w, o.punt, o.n_punt);
	if (out.n > 0)
		vxg_l2_output(w, &out);
}
