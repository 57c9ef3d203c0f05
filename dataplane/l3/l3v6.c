/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router for IPv6, one packet at a time, for what its fast path (l3v6_fast.c)
 * declined: from a network, through the VPC's rte_fib6 to a next hop in one of its
 * networks (its MAC from the IPv6 router neighbours) or out of an external interface to
 * its gateway6 (resolved by Neighbour Solicitation too); in from an external interface,
 * routed (never translated) into the VPC whose /64 it is for. The hop limit expires,
 * no route and a packet bigger than the next hop's MTU turn the packet into an ICMPv6
 * error in place (rate-limited with IPv4's); IPv6 is never fragmented. Neighbour
 * Discovery and pings for the router's addresses, and packets whose next hop has no MAC
 * yet, go to the control thread.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l3/l3v6.h"
#include "pipeline.h"
#include "vxg_icmp6.h"
#include "vxg_l3.h"

/* ICMPv6 error from `src` back to the hop m came from, into network `in` (out: NULL)
 * or out of interface `ifx`. Without a token, or when RFC 4443 forbids it: dropped. */
static void
l3v6_icmp_error(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *in, const struct vxg_gen_if *ifx, uint8_t type, uint8_t code,
	uint32_t info, enum vxg_drop_reason r, enum vxg_event ev)
{
	const uint8_t *src = in != NULL ? in->gw6 : ifx->ip6.addr;

	if (!vxg_icmp6_error(m, type, code, info, src)) {
		vxg_drop(w, m, r);
		return;
	}
	if (!l3_icmp_return(w, m, in != NULL ? &in->gw_mac : &ifx->mac, r, ev))
		return;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_ICMP6, type, code, info, 0, 0, 0);
	if (ifx != NULL) {
		vxg_tx_enqueue(w, ifx->port_id, m);
		return;
	}
	vxg_meta(m)->lport = VXG_LPORT_SELF; /* the router's own: no group filters it */
	l3_to_net(o, m, in);
}

/* To the router itself: Neighbour Discovery, pings (and the rest, which control answers
 * as a host would), for gateway or link-local address `dst` of in. */
static inline bool
l3v6_for_gw(const struct vxg_gen_net *in, const uint8_t *dst)
{
	return vxg_ip6_eq(dst, in->gw6) || vxg_ip6_eq(dst, in->gw6_ll);
}

/* A next hop's MAC from the IPv6 router neighbours: sent, or to control to resolve. */
static void
l3v6_to_neigh(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *out, const uint8_t *nh_ip, uint32_t nh_ref)
{
	const struct vxg_l3_neigh6_table *t = w->gen->l3n6;
	union vxg_l3_nmac mac = {.u64 = 0};
	struct vxg_l3_nkey6 k;
	int32_t pos;

	vxg_l3n6_key(&k, out->vni, nh_ip);
	pos = l3v6_neigh_pos(w, t, &k);
	if (pos >= 0)
		mac.u64 = __atomic_load_n(&t->e[pos].mac.u64, __ATOMIC_ACQUIRE);
	if (vxg_traced(w, m))
		vxg_trace_neigh6(w, m, out->vni, nh_ip, mac.valid);
	l3v6_rewrite(m, &out->gw_mac, &mac.mac);
	if (likely(mac.valid)) {
		w->stats.events[VXG_EV_routed6]++;
		l3_to_net(o, m, out);
		return;
	}
	w->stats.events[VXG_EV_neigh6_miss]++;
	l3_punt(o, m, VXG_PUNT_NEIGH_MISS, out->vni, nh_ref);
}

/* Out of external interface nh->iface, to its gateway6: the sender's egress rules, the
 * gateway's MAC, the interface. Hop limit and MTU checked. */
static void
l3v6_to_interface(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_nh6 *nh, uint32_t nh_ref)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_l3_neigh6_table *t = g->l3n6;
	uint16_t lsrc = vxg_meta(m)->lport, none = 0;
	union vxg_l3_nmac mac = {.u64 = 0};
	struct vxg_l3_nkey6 k;
	unsigned verdict;
	int32_t pos;

	if (unlikely(g->sg_on) && lsrc != 0 && lsrc != VXG_LPORT_SELF) {
		vxg_sg_filter(w, &m, &lsrc, &none, 1, &verdict);
		if (verdict != VXG_DROP_MAX) {
			vxg_drop(w, m, (enum vxg_drop_reason)verdict);
			return;
		}
	}
	if (unlikely(g->qos_on) && !vxg_qos_port(w, lsrc, VXG_DIR_EGRESS, m)) {
		vxg_drop(w, m, VXG_DROP_qos_exceeded);
		return;
	}
	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m);
	vxg_l3n6_key(&k, VXG_L3N6_IF | nh->iface, nh->gateway);
	pos = l3v6_neigh_pos(w, t, &k);
	if (pos >= 0)
		mac.u64 = __atomic_load_n(&t->e[pos].mac.u64, __ATOMIC_ACQUIRE);
	if (vxg_traced(w, m))
		vxg_trace_neigh6(w, m, k.vni, nh->gateway, mac.valid);
	l3v6_rewrite(m, &nh->src_mac, &mac.mac);
	if (likely(mac.valid)) {
		w->stats.events[VXG_EV_routed6]++;
		vxg_tx_enqueue(w, nh->port_id, m);
		return;
	}
	w->stats.events[VXG_EV_neigh6_miss]++;
	l3_punt(o, m, VXG_PUNT_NEIGH_MISS, k.vni, nh_ref);
}

/* Multicast and packets to the gateway's addresses: control's (ND, pings); multicast
 * that is not ICMPv6 (MLD, mDNS...) stops here. True: m taken. */
static bool
l3v6_local(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in,
	const struct rte_ipv6_hdr *ip)
{
	if (ip->dst_addr[0] == 0xff) {
		if (ip->proto == VXG_IPPROTO_ICMPV6)
			l3_punt(o, m, VXG_PUNT_ROUTER, in->vni, 0);
		else
			vxg_drop(w, m, VXG_DROP_ip6_not_routable);
		return true;
	}
	if (!l3v6_for_gw(in, ip->dst_addr))
		return false;
	if (vxg_traced(w, m))
		vxg_trace_route6(w, m, &w->gen->vpcs[in->vpc_idx].l3v6, in->vpc_idx,
			VXG_L3_NO_ROUTE6, ip->dst_addr, VXG_TR_ROUTE_LOCAL);
	l3_punt(o, m, VXG_PUNT_ROUTER, in->vni, 0);
	return true;
}

void
vxg_l3v6_input(
	struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_l3_vpc6 *l3 = &g->vpcs[in->vpc_idx].l3v6;
	const struct vxg_gen_net *out;
	struct rte_ipv6_hdr *ip;
	const struct vxg_nh6 *nh;
	uint32_t nhi;

	if (unlikely(!in->has_gw6 || !l3->on || g->l3n6 == NULL)) {
		vxg_drop(w, m, VXG_DROP_l3_not_ip);
		return;
	}
	if (unlikely(!l3v6_valid(m))) {
		vxg_drop(w, m, VXG_DROP_ip6_bad_header);
		return;
	}
	ip = l3v6_ip(m);
	if (l3v6_local(w, o, m, in, ip))
		return;
	if (unlikely(l3v6_scoped(ip->dst_addr) || l3v6_scoped(ip->src_addr))) {
		vxg_drop(w, m, VXG_DROP_ip6_not_routable);
		return;
	}
	if (unlikely(ip->hop_limits <= 1)) {
		l3v6_icmp_error(w, o, m, in, NULL, VXG_ICMP6_TIME_EXCEEDED, 0, 0,
			VXG_DROP_hop_limit_exceeded, VXG_EV_icmp6_time_exceeded);
		return;
	}
	nhi = vxg_l3v6_lookup(l3, ip->dst_addr);
	nh = nhi != VXG_L3_NO_ROUTE6 ? &l3->nhs[nhi] : NULL;
	if (vxg_traced(w, m))
		vxg_trace_route6(w, m, l3, in->vpc_idx, nhi, ip->dst_addr, 0);
	if (unlikely(nh == NULL || (nh->kind != VXG_NH_INTERFACE && nh->gnet == UINT16_MAX))) {
		l3v6_icmp_error(w, o, m, in, NULL, VXG_ICMP6_DST_UNREACH, VXG_ICMP6_NO_ROUTE, 0,
			VXG_DROP_no_route6, VXG_EV_icmp6_unreachable);
		return;
	}
	if (unlikely(l3v6_len(ip) > nh->mtu)) {
		l3v6_icmp_error(w, o, m, in, NULL, VXG_ICMP6_PKT_TOO_BIG, 0, nh->mtu,
			VXG_DROP_pkt_too_big, VXG_EV_icmp6_pkt_too_big);
		return;
	}
	if (nh->kind == VXG_NH_INTERFACE) {
		l3v6_to_interface(w, o, m, nh, (uint32_t)in->vpc_idx << 16 | nhi);
		return;
	}
	out = &g->vx.nets[nh->gnet];
	if (nh->kind == VXG_NH_GATEWAY)
		l3v6_to_neigh(w, o, m, out, nh->gateway, (uint32_t)in->vpc_idx << 16 | nhi);
	else
		l3v6_to_neigh(w, o, m, out, ip->dst_addr, VXG_NH6_DST);
}

/* ---- In from outside ------------------------------------------------------------------ */

/* What leaves the router for packets in from outside: into networks, or to control. */
struct vxg_l3_outside6 {
	struct l3_out o;
	struct vxg_l2_burst l2;
};

/* The VPC whose /64 dst is in, among those routing out of interface i6; UINT16_MAX. */
static inline uint16_t
l3v6_outside_vpc(const struct vxg_gen_if6 *i6, const uint8_t *dst)
{
	for (uint16_t i = 0; i < i6->n_in; i++)
		if (memcmp(i6->in[i].prefix, dst, 8) == 0)
			return i6->in[i].vpc;
	return UINT16_MAX;
}

/* ND and ICMPv6 for the interface's addresses: control's. True: m taken. */
static bool
l3v6_outside_local(struct vxg_l3_outside6 *x, struct rte_mbuf *m, const struct vxg_gen_if *in,
	const struct rte_ipv6_hdr *ip)
{
	if (ip->dst_addr[0] != 0xff && !vxg_ip6_eq(ip->dst_addr, in->ip6.addr) &&
		!vxg_ip6_eq(ip->dst_addr, in->ip6.ll))
		return false;
	if (ip->proto != VXG_IPPROTO_ICMPV6) {
		vxg_drop(x->o.w, m, VXG_DROP_ip6_not_routable);
		return true;
	}
	vxg_meta(m)->why = VXG_PUNT_EXT6;
	vxg_meta(m)->vni = 0;
	x->o.punt[x->o.n_punt++] = m;
	return true;
}

static void
l3v6_outside_one(struct vxg_worker *w, struct vxg_l3_outside6 *x, struct rte_mbuf *m,
	const struct vxg_gen_if *in)
{
	const struct vxg_gen *g = w->gen;
	struct rte_ipv6_hdr *ip = l3v6_ip(m);
	const struct vxg_l3_vpc6 *l3;
	const struct vxg_nh6 *nh;
	uint16_t vpc;
	uint32_t nhi;

	if (l3v6_outside_local(x, m, in, ip))
		return;
	vpc = l3v6_scoped(ip->src_addr) ? UINT16_MAX : l3v6_outside_vpc(&in->ip6, ip->dst_addr);
	if (vpc == UINT16_MAX || !g->vpcs[vpc].l3v6.on) {
		vxg_drop(w, m, VXG_DROP_ip6_no_vpc);
		return;
	}
	l3 = &g->vpcs[vpc].l3v6;
	nhi = vxg_l3v6_lookup(l3, ip->dst_addr);
	nh = nhi != VXG_L3_NO_ROUTE6 ? &l3->nhs[nhi] : NULL;
	if (vxg_traced(w, m))
		vxg_trace_route6(w, m, l3, vpc, nhi, ip->dst_addr, VXG_TR_ROUTE_OUTSIDE);
	/* into the VPC's networks only: a route back out would loop */
	if (nh == NULL || nh->kind == VXG_NH_INTERFACE || nh->gnet == UINT16_MAX ||
		vxg_ip6_eq(ip->dst_addr, g->vx.nets[nh->gnet].gw6)) {
		vxg_drop(w, m, VXG_DROP_no_route6);
		return;
	}
	if (ip->hop_limits <= 1) {
		l3v6_icmp_error(w, &x->o, m, NULL, in, VXG_ICMP6_TIME_EXCEEDED, 0, 0,
			VXG_DROP_hop_limit_exceeded, VXG_EV_icmp6_time_exceeded);
		return;
	}
	if (l3v6_len(ip) > nh->mtu) {
		l3v6_icmp_error(w, &x->o, m, NULL, in, VXG_ICMP6_PKT_TOO_BIG, 0, nh->mtu,
			VXG_DROP_pkt_too_big, VXG_EV_icmp6_pkt_too_big);
		return;
	}
	vxg_meta(m)->lport = 0; /* no port of ours sent it: the receiver's groups judge */
	l3v6_to_neigh(w, &x->o, m, &g->vx.nets[nh->gnet],
		nh->kind == VXG_NH_GATEWAY ? nh->gateway : ip->dst_addr,
		nh->kind == VXG_NH_GATEWAY ? (uint32_t)vpc << 16 | nhi : VXG_NH6_DST);
}

void
vxg_l3v6_outside_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	struct vxg_l3_outside6 x;

	x.o.w = w; /* not an initializer: that would clear punt[] for every burst */
	x.o.l2 = &x.l2;
	x.o.n_punt = 0;
	x.l2.n = 0;
	x.l2.from_overlay = false;
	x.l2.in_port = VXG_INJECT_NET;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		m->l2_len = RTE_ETHER_HDR_LEN;
		if (!in->ip6.on || w->gen->l3n6 == NULL) {
			vxg_drop(w, m, VXG_DROP_ethertype_unknown);
			continue;
		}
		if (!l3v6_valid(m)) {
			vxg_drop(w, m, VXG_DROP_ip6_bad_header);
			continue;
		}
		l3v6_outside_one(w, &x, m, in);
	}
	if (x.o.n_punt > 0)
		vxg_punt_burst(w, x.o.punt, x.o.n_punt);
	if (x.l2.n > 0)
		vxg_l2_output(w, &x.l2);
}
