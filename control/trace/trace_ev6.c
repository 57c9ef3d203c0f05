/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace: the IPv6 router's events described (trace_ev6.h): the route an IPv6
 * packet took, its next hop's neighbour, the ICMPv6 error it became.
 */
#include <stdio.h>
#include <string.h>

#include "config/fields.h"
#include "trace/trace_ev6.h"
#include "vxg_gen.h"
#include "vxg_l3.h"

static struct tr_s
ip6_s(const uint8_t *a)
{
	struct vxg_ip6 ip;
	struct tr_s r;

	memcpy(ip.a, a, sizeof(ip.a));
	vxg_ip6_format(&ip, r.s, sizeof(r.s));
	return r;
}

/* IPv6 route nhi of VPC vpc in the live generation, when the record went through one of
 * the live config (next hops are its own: l3v6_config.c). NULL when unknown. */
static const struct vxg_nh6 *
route6_nh(const struct tr_ctx *c, uint16_t vpc, uint32_t nhi)
{
	const struct vxg_gen *g = c->d->gen;

	if (!c->names || vpc >= g->n_vpcs || nhi >= g->vpcs[vpc].l3v6.n_nhs ||
		g->vpcs[vpc].l3v6.nhs == NULL)
		return NULL;
	return &g->vpcs[vpc].l3v6.nhs[nhi];
}

/* Route6's prefix, next hop and where it goes (network or interface). */
static void
ev_route6_nh(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	uint8_t kind = e->code & (uint8_t)~VXG_TR_ROUTE_OUTSIDE;
	const struct vxg_nh6 *nh =
		(e->a & 0xffff) != 0 ? route6_nh(c, e->h, (e->a & 0xffff) - 1) : NULL;
	const struct vxg_gen *g = c->d->gen;
	struct vxg_cidr6 p;

	if (nh == NULL) {
		tr_text(o, "route #%u (%s)", e->a & 0xffff, route_kind(e->code));
		if (kind == VXG_TR_ROUTE_INTERFACE)
			tr_text(o, " out of %s", iface_s(c, (uint16_t)(e->a >> 16)).s);
		return;
	}
	memcpy(p.addr.a, nh->prefix, sizeof(p.addr.a));
	p.len = nh->prefix_len;
	tr_str(o, "prefix", "%s", config_cidr6_str(p).s);
	tr_text(o, "route %s (%s)", config_cidr6_str(p).s, route_kind(e->code));
	if (kind != VXG_TR_ROUTE_CONNECTED) {
		struct tr_s via = ip6_s(nh->gateway);

		tr_str(o, "next_hop", "%s", via.s);
		tr_text(o, ", next hop %s", via.s);
	}
	if (kind == VXG_TR_ROUTE_INTERFACE) {
		struct tr_s ifn = iface_s(c, (uint16_t)(e->a >> 16));

		tr_str(o, "interface", "%s", ifn.s);
		tr_text(o, " out of %s", ifn.s);
	} else if (nh->gnet < g->vx.n_nets) {
		struct tr_s net = net_s(c, g->vx.nets[nh->gnet].vni);

		tr_str(o, "network", "%s", net.s);
		tr_text(o, " in %s", net.s);
	}
}

void
ev_route6(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	uint8_t kind = e->code & (uint8_t)~VXG_TR_ROUTE_OUTSIDE;
	struct tr_s vpc = vpc_s(c, e->h), dst = ip6_s(e->ip6);

	o->stage = "l3";
	o->event = "route6";
	tr_str(o, "vpc", "%s", vpc.s);
	tr_str(o, "dst", "%s", dst.s);
	tr_str(o, "kind", "%s", route_kind(e->code));
	tr_bool(o, "from_outside", (e->code & VXG_TR_ROUTE_OUTSIDE) != 0);
	if (kind == VXG_TR_ROUTE_LOCAL) {
		tr_text(o, "%s: to the router itself (VPC %s)", dst.s, vpc.s);
		return;
	}
	if (kind == VXG_TR_ROUTE_NONE) {
		tr_text(o, "%s: no IPv6 route in VPC %s", dst.s, vpc.s);
		return;
	}
	tr_text(o, "%s%s: ", e->code & VXG_TR_ROUTE_OUTSIDE ? "from outside, " : "", dst.s);
	ev_route6_nh(c, e, o);
}

/* The IPv6 neighbour looked up: in a network, or behind an external interface. */
void
ev_neigh6(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s ip = ip6_s(e->ip6), where;

	if (e->a & VXG_L3N6_IF) {
		unsigned i = e->a & ~VXG_L3N6_IF;

		snprintf(where.s, sizeof(where.s), "%s",
			i < c->d->n_ifs ? c->d->ifs[i].name : "an interface");
		tr_str(o, "interface", "%s", where.s);
	} else {
		where = net_s(c, e->a);
		tr_str(o, "network", "%s", where.s);
	}
	o->stage = "l3";
	o->event = "neighbour6";
	tr_str(o, "ip", "%s", ip.s);
	tr_str(o, "result", "%s", e->code ? "hit" : "miss");
	if (e->code)
		tr_text(o, "neighbour %s on %s: known, MAC rewritten", ip.s, where.s);
	else
		tr_text(o,
			"neighbour %s on %s: unknown, the control thread holds the packet and "
			"asks (NS)",
			ip.s, where.s);
}

/* ICMPv6 errors (RFC 4443) the router made of the packet. */
void
ev_icmp6(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	const char *what = e->code == 1   ? "destination unreachable"
			   : e->code == 2 ? "packet too big"
			   : e->code == 3 ? "time exceeded"
					  : "error";

	o->stage = "l3";
	o->event = "icmp6_error";
	tr_num(o, "type", e->code);
	tr_num(o, "code", e->h);
	tr_text(o, "became ICMPv6 %s (type %u code %u", what, e->code, e->h);
	if (e->code == 2) {
		tr_num(o, "mtu", e->a);
		tr_text(o, ", MTU %u", e->a);
	}
	tr_text(o, "), back to the sender");
}
