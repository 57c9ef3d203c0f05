/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a VPC meets the outside (l3_edge.h). Out: the senders' egress rules, NAT for what
 * leaves by a VPC's NAT interface, then the interface. In: packets NAT translated in from
 * outside, routed into the VPC's networks only; expiry and too big with DF there draw an
 * ICMP error back out to the sender, quoting what the sender sent.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l3/l3_edge.h"
#include "l3/l3_forward.h"
#include "pipeline.h"
#include "vxg_icmp.h"
#include "vxg_ipv4.h"
#include "vxg_l3.h"
#include "vxg_nat.h"

static void l3_from_outside(
	struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t *vpc, uint16_t n);

/* What external interface `in` received (or, hairpin, what NAT out looped back in as if it
 * had): NAT in, then into the VPCs. */
static void
l3_outside_in(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n,
	bool hairpin)
{
	for (uint16_t first = 0; first < n; first += VXG_NAT_CHUNK) {
		struct vxg_nat_in_burst o;

		vxg_nat_in(w, in, &pkts[first], RTE_MIN(VXG_NAT_CHUNK, n - first), &o, hairpin);
		if (o.n > 0)
			l3_from_outside(w, o.pkts, o.vpc, o.n);
	}
}

/*
 * What NAT out turned towards one of our own NAT addresses goes back in as if the NAT
 * interface of the VPC it left (ifi[i], a generation interface index) had received it:
 * each run of one interface together, in order.
 */
static void
l3_hairpin(struct vxg_worker *w, const struct vxg_gen *g, struct rte_mbuf **loop,
	const uint8_t *ifi, uint16_t n)
{
	for (uint16_t i = 0; i < n;) {
		uint16_t j = i + 1;

		while (j < n && ifi[j] == ifi[i])
			j++;
		l3_outside_in(w, &g->ifs[ifi[i]], &loop[i], j - i, true);
		i = j;
	}
}

/*
 * Out of the VPC: the senders' egress rules (all there is to check), then NAT for what
 * leaves by a VPC's NAT interface, then the interface; what NAT turned towards one of
 * our own NAT addresses comes back in through the external side (hairpin).
 */
void
vxg_l3_ext_run(struct vxg_worker *w, const struct vxg_gen *g, struct vxg_l3_ext *x)
{
	struct rte_mbuf *nat[VXG_L3_EXT_MAX], *loop[VXG_L3_EXT_MAX];
	uint16_t nat_vpc[VXG_L3_EXT_MAX], nat_idx[VXG_L3_EXT_MAX], n_nat = 0, n_loop = 0;
	uint8_t res[VXG_L3_EXT_MAX], loop_if[VXG_L3_EXT_MAX];
	bool tx[VXG_L3_EXT_MAX];

	if (unlikely(g->sg_on)) {
		uint16_t lsrc[VXG_L3_EXT_MAX], none[VXG_L3_EXT_MAX];
		unsigned verdict[VXG_L3_EXT_MAX];

		for (uint16_t i = 0; i < x->n; i++) {
			lsrc[i] = vxg_meta(x->pkts[i])->lport;
			none[i] = 0;
		}
		vxg_sg_filter(w, x->pkts, lsrc, none, x->n, verdict);
		for (uint16_t i = 0; i < x->n; i++) {
			tx[i] = verdict[i] == VXG_DROP_MAX;
			if (!tx[i])
				vxg_drop(w, x->pkts[i], (enum vxg_drop_reason)verdict[i]);
		}
	} else {
		memset(tx, 1, sizeof(tx[0]) * x->n);
	}
	for (uint16_t i = 0; unlikely(g->qos_on) && i < x->n; i++)
		vxg_meta(x->pkts[i])->qos = 0; /* NAT names the meter of what it translates */
	for (uint16_t i = 0; g->nat_on && i < x->n; i++) {
		const struct vxg_gen_nat *gn = &g->vpcs[x->in[i]->vpc_idx].nat;

		if (!tx[i] || !gn->on || x->nh[i]->port_id != gn->port_id)
			continue;
		nat[n_nat] = x->pkts[i];
		nat_vpc[n_nat] = x->in[i]->vpc_idx;
		nat_idx[n_nat++] = i;
	}
	if (n_nat > 0) {
		vxg_nat_out(w, nat, nat_vpc, n_nat, res);
		for (uint16_t j = 0; j < n_nat; j++) {
			uint16_t i = nat_idx[j];

			tx[i] = res[j] == VXG_NAT_TX;
			if (res[j] != VXG_NAT_LOOP)
				continue;
			if (vxg_traced(w, x->pkts[i]))
				vxg_trace_ev(w, x->pkts[i], VXG_TR_NAT, VXG_TR_NAT_HAIRPIN, 0, 0, 0,
					0, 0);
			if (x->pkts[i]->l2_len > RTE_ETHER_HDR_LEN)
				vxg_vlan_pop(x->pkts[i]);
			loop_if[n_loop] = g->vpcs[nat_vpc[j]].nat.ifindex;
			loop[n_loop++] = x->pkts[i];
		}
	}
	for (uint16_t i = 0; i < x->n; i++)
		if (tx[i])
			vxg_l3_to_interface(w, x->pkts[i], x->nh[i]);
	if (n_loop > 0) {
		w->stats.events[VXG_EV_nat_hairpin] += n_loop;
		l3_hairpin(w, g, loop, loop_if, n_loop);
	}
	x->n = 0;
}

/*
 * Turn m, which NAT translated in (vxg_nat_in) into VPC vpc, into an ICMP error back to its sender,
 * as a router with NAT sends one: from the address of the external interface m came in on,
 * quoting the packet as the sender sent it (vxg_nat_in_unquote translates the quote back:
 * the sender must recognise its own packet), out of that interface to the hop it came from
 * (MACs swapped). A packet that came round from inside (hairpin: it came in on no external
 * interface, its sender is one of ours), an interface without an address, RFC 1812's
 * exceptions and the rate limit (the router's) leave m dropped under r.
 */
static void
l3_outside_icmp_error(struct vxg_worker *w, struct rte_mbuf *m, uint16_t vpc, uint8_t type,
	uint8_t code, uint32_t info, enum vxg_drop_reason r, enum vxg_event ev)
{
	const struct vxg_gen *g = w->gen;
	uint8_t x = m->port < RTE_MAX_ETHPORTS ? g->if_of_port[m->port] : VXG_IF_NONE;
	const struct vxg_gen_if *ifx = x != VXG_IF_NONE ? &g->ifs[x] : NULL;

	if (ifx == NULL || ifx->role != VXG_ROLE_EXTERNAL || ifx->addr == 0 ||
		!vxg_icmp_error(m, type, code, info, rte_be_to_cpu_32(ifx->addr)) ||
		!vxg_nat_in_unquote(g, vpc, m, m->l2_len)) {
		vxg_drop(w, m, r);
		return;
	}
	if (!l3_icmp_return(w, m, &ifx->mac, r, ev))
		return;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_ICMP, type, code, 0, 0, 0, 0);
	vxg_tx_enqueue(w, ifx->port_id, m);
}

/* Translated packets in from a NAT interface: into the VPC's networks only (a route back
 * out would loop). Expiry and too big with DF draw an ICMP error back out to the sender
 * (l3_outside_icmp_error). */
static void
l3_outside_chunk(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n,
	struct l3_out *o, struct vxg_l3_fast *f)
{
	const struct vxg_gen *g = w->gen;
	uint32_t dst[L3_CHUNK], nhi[L3_CHUNK];
	bool fast = g->vx.fdb != NULL && g->l3n != NULL;
	struct l3_chunk c;

	bool one_vpc = true;

	for (uint16_t i = 0; i < n; i++) {
		dst[i] = rte_be_to_cpu_32(l3_ip(pkts[i])->dst_addr);
		one_vpc &= vpc[i] == vpc[0];
	}
	if (one_vpc) {
		vxg_l3_lookup_bulk(&g->vpcs[vpc[0]].l3, dst, nhi, n);
	} else {
		for (uint16_t i = 0; i < n; i++)
			vxg_l3_lookup_bulk(&g->vpcs[vpc[i]].l3, &dst[i], &nhi[i], 1);
	}
	c.n = 0;
	for (uint16_t i = 0; i < n; i++) {
		const struct vxg_l3_vpc *l3 = &g->vpcs[vpc[i]].l3;
		struct rte_mbuf *m = pkts[i];
		struct rte_ipv4_hdr *ip = l3_ip(m);
		const struct vxg_nh *nh = nhi[i] != VXG_L3_NO_ROUTE ? &l3->nhs[nhi[i]] : NULL;
		const struct vxg_gen_net *out =
			nh != NULL && nh->gnet != UINT16_MAX ? &g->vx.nets[nh->gnet] : NULL;
		uint16_t k;

		if (vxg_traced(w, m))
			vxg_trace_route(
				w, m, l3, vpc[i], nhi[i], ip->dst_addr, VXG_TR_ROUTE_OUTSIDE);
		if (unlikely(out == NULL || nh->kind == VXG_NH_INTERFACE ||
			     ip->dst_addr == out->gw_ip)) {
			vxg_drop(w, m, VXG_DROP_no_route);
			continue;
		}
		if (unlikely(ip->time_to_live <= 1)) {
			l3_outside_icmp_error(w, m, vpc[i], VXG_ICMP_TIME_EXCEEDED, 0, 0,
				VXG_DROP_ttl_exceeded, VXG_EV_icmp_time_exceeded);
			continue;
		}
		if (unlikely(rte_be_to_cpu_16(ip->total_length) > out->mtu &&
			     (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)))) {
			l3_outside_icmp_error(w, m, vpc[i], VXG_ICMP_DEST_UNREACH,
				VXG_ICMP_FRAG_NEEDED, out->mtu, VXG_DROP_frag_needed,
				VXG_EV_icmp_frag_needed);
			continue;
		}
		if (fast && rte_be_to_cpu_16(ip->total_length) <= out->mtu &&
			l3_fast_tail(w, f, m, out, nh, ip->dst_addr))
			continue;
		k = c.n++;
		c.pkts[k] = m;
		c.out[k] = out;
		c.keys[k].vni = out->vni;
		c.keys[k].ip =
			nh->kind == VXG_NH_GATEWAY ? rte_cpu_to_be_32(nh->gateway) : ip->dst_addr;
		c.keys[k].pad = 0;
	}
	if (c.n == 0)
		return;
	vxg_l3_chunk_forward(w, g, &c, o);
}

/* QoS of the packets NAT translated in: the meter of their floating IP or SNAT (NAT set
 * vxg_meta(m)->qos). Those over it are dropped, the rest packed: how many are left. */
static __rte_noinline uint16_t
l3_outside_qos(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t *vpc, uint16_t n)
{
	uint16_t k = 0;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint16_t id = vxg_meta(m)->qos;

		if (id != 0 && !vxg_qos_frame(w, id, m)) {
			vxg_drop(w, m, VXG_DROP_qos_exceeded);
			continue;
		}
		pkts[k] = m;
		vpc[k++] = vpc[i];
	}
	return k;
}

/* The packets NAT translated in, for VPC vpc[i] (generation index): into its networks. */
static void
l3_from_outside(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t *vpc, uint16_t n)
{
	struct vxg_l2_burst out;
	struct vxg_l3_fast f;
	struct l3_out o;

	o.w = w; /* not an initializer: that would clear punt[] for every burst */
	o.l2 = &out;
	o.n_punt = 0;
	out.n = 0;
	out.from_overlay = false;
	out.in_port = VXG_INJECT_NET;
	vxg_l3_fast_init(&f, vxg_worker_now(w));
	if (unlikely(w->gen->qos_on) && (n = l3_outside_qos(w, pkts, vpc, n)) == 0)
		return;
	for (uint16_t first = 0; first < n; first += L3_CHUNK)
		l3_outside_chunk(
			w, &pkts[first], &vpc[first], RTE_MIN(L3_CHUNK, n - first), &o, &f);
	if (f.sg.n > 0)
		vxg_l3_fast_sg_flush(w, &f.sg);
	if (o.n_punt > 0)
		vxg_punt_burst(w, o.punt, o.n_punt);
	if (out.n > 0)
		vxg_l2_output(w, &out);
}

void
vxg_l3_outside_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	l3_outside_in(w, in, pkts, n, false);
}
