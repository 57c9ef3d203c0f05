/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router's fast path: one packet at a time, while L2 input's fast path has its header
 * at hand (l2_fast.h), routed whole when the route, the next hop's MAC and its location
 * are in the worker's caches; out of an interface it waits in a batch for the end of the
 * burst (NAT, the interface), unless it is an established SNAT flow. What it declines, the
 * batched router (l3.c) takes.
 */
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l3/l3_edge.h"
#include "l3/l3_forward.h"
#include "l3/l3v6.h"
#include "nat/nat_out.h"
#include "pipeline.h"
#include "vxg_ipv4.h"
#include "vxg_l3.h"

/* An established SNAT flow out of its VPC's NAT interface: translated and sent, whole. */
static __rte_noinline bool
l3_fast_nat(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_nh *nh, const struct vxg_gen_net *in)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_gen_nat *gn = &g->vpcs[in->vpc_idx].nat;
	/* the sender's port, when its groups must pass the packet first */
	uint16_t lsrc =
		g->sg_on && l2_lport_filtered(g, vxg_meta(m)->lport) ? vxg_meta(m)->lport : 0;
	struct vxg_nat_fast nf;

	if (!gn->on || nh->port_id != gn->port_id)
		return false;
	if (!vxg_nat_fast_find(w, m, in->vpc_idx, &nf))
		return false;
	/* the sender's egress rules, on the conntrack hit path, before anything changes */
	if (lsrc != 0 && !vxg_sg_fast(w, m, lsrc, 0, f->now))
		return false;
	vxg_nat_fast_commit(w, m, &nf, f->now);
	if (unlikely(g->qos_on))
		vxg_meta(m)->qos = gn->qos[VXG_DIR_EGRESS];
	vxg_l3_to_interface(w, m, nh);
	return true;
}

bool
vxg_l3_fast_one(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *in)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_l3_neigh_table *t = g->l3n;
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct vxg_l3_vpc *l3 = &g->vpcs[in->vpc_idx].l3;
	const struct vxg_gen_net *out;
	const struct vxg_nh *nh;
	struct rte_ipv4_hdr *ip;
	rte_be16_t type = l3_ethertype(m);

	if (type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return type == RTE_BE16(RTE_ETHER_TYPE_IPV6) && vxg_l3v6_fast_one(w, f, m, in);
	/* What the batched path does something else with: ARP, broadcasts (DHCP), bad
	 * IPv4, TTL expiry, packets for the router itself, out of an interface, too big;
	 * and an IPv6-only router port. */
	if (t == NULL || unlikely(!in->has_gw) || rte_is_multicast_ether_addr(&eth->dst_addr) ||
		vxg_ipv4_check(m, m->l2_len) != VXG_IPV4_OK)
		return false;
	ip = l3_ip(m);
	if (ip->time_to_live <= 1)
		return false;
	if (in != f->in || ip->dst_addr != f->dst) {
		f->in = in;
		f->dst = ip->dst_addr;
		f->nhi = vxg_l3_lookup(l3, rte_be_to_cpu_32(ip->dst_addr));
	}
	if (f->nhi == VXG_L3_NO_ROUTE)
		return false;
	nh = &l3->nhs[f->nhi];
	/* (a packet declined further on loses what it recorded: l2_fast_one_traced) */
	if (vxg_traced(w, m))
		vxg_trace_route(w, m, l3, in->vpc_idx, f->nhi, ip->dst_addr, 0);
	if (nh->kind == VXG_NH_INTERFACE) {
		/* Out of the VPC, after NAT, at the end of the burst (vxg_l3_fast_flush). */
		if (!nh->resolved || rte_be_to_cpu_16(ip->total_length) > nh->mtu)
			return false;
		if (g->nat_on && l3_fast_nat(w, f, m, nh, in))
			return true;
		if (f->ext.n == VXG_L3_EXT_MAX)
			vxg_l3_fast_flush(w, f);
		f->ext.pkts[f->ext.n] = m;
		f->ext.nh[f->ext.n] = nh;
		f->ext.in[f->ext.n++] = in;
		return true;
	}
	if (nh->gnet == UINT16_MAX)
		return false;
	out = &g->vx.nets[nh->gnet];
	if ((nh->kind == VXG_NH_CONNECTED && ip->dst_addr == out->gw_ip) ||
		rte_be_to_cpu_16(ip->total_length) > out->mtu)
		return false;
	return l3_fast_tail(w, f, m, out, nh, ip->dst_addr);
}

void
vxg_l3_fast_flush(struct vxg_worker *w, struct vxg_l3_fast *f)
{
	if (f->sg.n > 0)
		l3_fast_sg_run(w, &f->sg);
	if (f->ext.n > 0)
		vxg_l3_ext_run(w, w->gen, &f->ext);
}
