/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace records in text and JSON (trace_format.h): each event is first described
 * once (stage, event, named fields and a sentence), then printed in the form asked for.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "config/fields.h"
#include "sg/conntrack.h"
#include "trace/trace_packet.h"
#include "trace/trace_ev.h"
#include "trace/trace_ev6.h"
#include "trace/trace_format.h"
#include "vxg_meta.h"
#include "vxg_stats.h"

/* ---- Names ----------------------------------------------------------------------------- */

static struct tr_s
ip_s(rte_be32_t a)
{
	struct tr_s r;

	vxg_ip_format(rte_be_to_cpu_32(a), r.s, sizeof(r.s));
	return r;
}

/* "10.0.0.1:80", or the address alone for port 0 (nothing translated there). */
static struct tr_s
endpoint_s(rte_be32_t a, rte_be16_t port)
{
	struct tr_s r;

	vxg_endpoint_format(a, port != 0 ? ":" : NULL, port, r.s, sizeof(r.s));
	return r;
}

static struct tr_s
mac_s(const struct rte_ether_addr *m)
{
	struct tr_s r;

	rte_ether_format_addr(r.s, sizeof(r.s), m);
	return r;
}

/* The declared port in slot lport - 1: its name; "-" for none. */
static struct tr_s
port_s(const struct tr_ctx *c, uint16_t lport)
{
	const struct vxg_gen *g = c->d->gen;
	const struct vxg_gen_lport *lp;
	struct tr_s r;

	snprintf(r.s, sizeof(r.s), "%s", lport == 0 ? "-" : "vxgate");
	if (lport == 0 || lport == VXG_LPORT_SELF)
		return r;
	snprintf(r.s, sizeof(r.s), "port slot %u", lport - 1);
	if (!c->names || g == NULL || g->lports == NULL || lport > g->n_lports)
		return r;
	lp = &g->lports[lport - 1];
	if (lp->flags != 0 && lp->vpc_idx < c->d->cfg->n_vpcs &&
		lp->vpc_port < c->d->cfg->vpcs[lp->vpc_idx].n_ports)
		snprintf(r.s, sizeof(r.s), "%s",
			c->d->cfg->vpcs[lp->vpc_idx].ports[lp->vpc_port].name);
	return r;
}

/* The prefix of route nhi (next hops are the connected networks with a gateway, then the
 * static IPv4 routes, in config order: l3_config.c). False when unknown. */
static bool
route_prefix(const struct tr_ctx *c, uint16_t vpc, uint32_t nhi, struct vxg_cidr *p)
{
	const struct vxg_vpc_cfg *v;

	if (!c->names || vpc >= c->d->cfg->n_vpcs)
		return false;
	v = &c->d->cfg->vpcs[vpc];
	for (unsigned i = 0; i < v->n_networks; i++) {
		if (v->networks[i].gateway == 0)
			continue;
		if (nhi-- == 0) {
			*p = v->networks[i].cidr;
			return true;
		}
	}
	for (unsigned i = 0; i < v->n_routes; i++) {
		if (v->routes[i].is6)
			continue;
		if (nhi-- == 0) {
			*p = v->routes[i].prefix;
			return true;
		}
	}
	return false;
}

/* Rule 1 + ref of VPC vpc: "web rule 2 (ingress tcp 80)"; 0 "no rule". */
static struct tr_s
rule_s(const struct tr_ctx *c, uint16_t vpc, uint32_t res)
{
	const struct vxg_sg_vpc *sv;
	const struct vxg_sg_rule_ref *rf;
	const struct vxg_rule_cfg *rc;
	char proto[16];
	struct tr_s r;

	snprintf(r.s, sizeof(r.s), res == 0 ? "no rule" : "rule #%u", res);
	if (res == 0 || !c->names || vpc >= c->d->gen->n_vpcs)
		return r;
	sv = &c->d->gen->vpcs[vpc].sg;
	if (res > sv->n_refs)
		return r;
	rf = &sv->refs[res - 1];
	if (rf->sg == UINT16_MAX) {
		snprintf(r.s, sizeof(r.s), "the default egress rule (allow all)");
		return r;
	}
	rc = &c->d->cfg->vpcs[vpc].sgs[rf->sg].rules[rf->rule];
	vxg_proto_format(rc->proto, proto, sizeof(proto));
	snprintf(r.s, sizeof(r.s), "%s rule %u (%s %s)", c->d->cfg->vpcs[vpc].sgs[rf->sg].name,
		rf->rule + 1, rc->dir == VXG_DIR_EGRESS ? "egress" : "ingress", proto);
	return r;
}

/* ---- Events -------------------------------------------------------------------------- */

static void
ev_rx(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s ifn = iface_s(c, e->h);
	const char *role = vxg_role_name((enum vxg_if_role)e->code);

	o->stage = "rx";
	tr_str(o, "interface", "%s", ifn.s);
	tr_str(o, "role", "%s", role);
	tr_num(o, "length", e->b);
	tr_text(o, "interface %s (%s), %u bytes", ifn.s, role, e->b);
}

static void
ev_eth(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s net = net_s(c, e->a);

	o->stage = "eth";
	switch (e->code) {
	case VXG_TR_ETH_ACCESS:
		o->event = "access";
		tr_num(o, "vlan", e->h);
		tr_str(o, "network", "%s", net.s);
		tr_num(o, "vni", e->a);
		if (e->h != 0)
			tr_text(o, "VLAN %u: network %s (VNI %u)", e->h, net.s, e->a);
		else
			tr_text(o, "untagged: network %s (VNI %u)", net.s, e->a);
		break;
	case VXG_TR_ETH_EXTERNAL:
		o->event = "external";
		tr_text(o, "IPv4 from outside: to NAT");
		break;
	default:
		o->event = "for_us";
		tr_text(o, "ARP or ICMP for one of our addresses: to the control thread");
	}
}

static void
ev_decap(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s net = net_s(c, e->a), vtep = ip_s(e->b);

	o->stage = "vxlan";
	o->event = "decap";
	tr_num(o, "vni", e->a);
	tr_str(o, "network", "%s", net.s);
	tr_str(o, "vtep", "%s", vtep.s);
	tr_text(o, "decapsulated: VNI %u (%s) from VTEP %s", e->a, net.s, vtep.s);
}

static void
ev_psec(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s port = port_s(c, e->h);
	const char *v = e->code < VXG_DROP_MAX ? vxg_drop_names[e->code] : "pass";

	o->stage = "l2";
	o->event = "port_security";
	tr_str(o, "port", "%s", port.s);
	tr_str(o, "verdict", "%s", v);
	if (e->code >= VXG_DROP_MAX)
		tr_text(o, "port security: passes (sender %s)", port.s);
	else
		tr_text(o, "port security: fails, %s (sender %s)", v, port.s);
}

static void
ev_learn(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	static const char *const res[] = {"learned", "moved", "known", "static", "full"};
	const char *r = e->code < RTE_DIM(res) ? res[e->code] : "?";

	o->stage = "l2";
	o->event = "learn";
	tr_str(o, "result", "%s", r);
	tr_text(o, "source MAC %s%s", r,
		e->code == VXG_TR_LEARN_FULL ? ": not learned, the FDB is full" : "");
}

static void
ev_l2(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s net = net_s(c, e->a), mac = mac_s(&e->mac);

	o->stage = "l2";
	if (e->code == VXG_TR_L2_ROUTER) {
		o->event = "to_router";
		tr_str(o, "network", "%s", net.s);
		tr_text(o, "to the gateway of %s: routed", net.s);
		return;
	}
	o->event = "fdb";
	tr_str(o, "mac", "%s", mac.s);
	tr_str(o, "network", "%s", net.s);
	tr_str(o, "result", "%s", e->code == VXG_TR_L2_HIT ? "hit" : "miss");
	if (e->code != VXG_TR_L2_HIT) {
		tr_text(o, "FDB: %s unknown in %s: flood", mac.s, net.s);
	} else if (e->b != 0) {
		struct tr_s vtep = ip_s(e->b);

		tr_str(o, "vtep", "%s", vtep.s);
		tr_text(o, "FDB: %s behind VTEP %s", mac.s, vtep.s);
	} else {
		struct tr_s ifn = iface_s(c, e->h);

		tr_str(o, "interface", "%s", ifn.s);
		tr_num(o, "vlan", e->c);
		tr_text(o, "FDB: %s on %s", mac.s, ifn.s);
		if (e->c != 0)
			tr_text(o, " VLAN %u", e->c);
	}
}

static void
ev_flood(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s net = net_s(c, e->a);

	o->stage = "l2";
	o->event = "flood";
	tr_str(o, "network", "%s", net.s);
	tr_num(o, "targets", e->b);
	tr_bool(o, "security_groups", e->code != 0);
	tr_text(o, "flood in %s to %u target%s%s", net.s, e->b, e->b == 1 ? "" : "s",
		e->code ? ", each judged by its ports' groups" : "");
}

/* Where a route goes: the egress network or interface. */
static void
ev_route_where(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	const struct vxg_gen *g = c->d->gen;
	const struct vxg_nh *nh;

	if (e->d != 0 || (e->code & ~VXG_TR_ROUTE_OUTSIDE) == VXG_TR_ROUTE_INTERFACE) {
		struct tr_s ifn = iface_s(c, e->d);

		tr_str(o, "interface", "%s", ifn.s);
		tr_text(o, " out of %s", ifn.s);
		return;
	}
	if (!c->names || e->c == 0 || e->h >= g->n_vpcs || e->c > g->vpcs[e->h].l3.n_nhs)
		return;
	nh = &g->vpcs[e->h].l3.nhs[e->c - 1];
	if (nh->gnet < g->vx.n_nets) {
		struct tr_s net = net_s(c, g->vx.nets[nh->gnet].vni);

		tr_str(o, "network", "%s", net.s);
		tr_text(o, " in %s", net.s);
	}
}

static void
ev_route(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	uint8_t kind = e->code & (uint8_t)~VXG_TR_ROUTE_OUTSIDE;
	struct tr_s vpc = vpc_s(c, e->h), dst = ip_s(e->a), via = ip_s(e->b);
	struct vxg_cidr p;

	o->stage = "l3";
	o->event = "route";
	tr_str(o, "vpc", "%s", vpc.s);
	tr_str(o, "dst", "%s", dst.s);
	tr_str(o, "kind", "%s", route_kind(e->code));
	tr_bool(o, "from_outside", (e->code & VXG_TR_ROUTE_OUTSIDE) != 0);
	if (kind == VXG_TR_ROUTE_LOCAL) {
		tr_text(o, "%s: to the router itself (VPC %s)", dst.s, vpc.s);
		return;
	}
	if (kind == VXG_TR_ROUTE_NONE) {
		tr_text(o, "%s: no route in VPC %s", dst.s, vpc.s);
		return;
	}
	tr_text(o, "%s%s: ", e->code & VXG_TR_ROUTE_OUTSIDE ? "from outside, " : "", dst.s);
	if (e->c != 0 && route_prefix(c, e->h, e->c - 1u, &p)) {
		tr_str(o, "prefix", "%s", config_cidr_str(p).s);
		tr_text(o, "route %s (%s)", config_cidr_str(p).s, route_kind(e->code));
	} else {
		tr_text(o, "route #%u (%s)", e->c, route_kind(e->code));
	}
	tr_str(o, "next_hop", "%s", via.s);
	tr_text(o, ", next hop %s", via.s);
	ev_route_where(c, e, o);
}

static void
ev_neigh(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s ip = ip_s(e->b), net = net_s(c, e->a), mac = mac_s(&e->mac);

	o->stage = "l3";
	o->event = "neighbour";
	tr_str(o, "ip", "%s", ip.s);
	tr_str(o, "network", "%s", net.s);
	tr_str(o, "result", "%s", e->code ? "hit" : "miss");
	if (e->code) {
		tr_str(o, "mac", "%s", mac.s);
		tr_text(o, "neighbour %s in %s is %s", ip.s, net.s, mac.s);
	} else {
		tr_text(o,
			"neighbour %s in %s: unknown, the control thread holds the packet and "
			"asks (ARP)",
			ip.s, net.s);
	}
}

static void
ev_icmp(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	const char *what = e->code == 11 ? "time exceeded"
			   : e->h == 4   ? "fragmentation needed"
					 : "destination unreachable";

	o->stage = "l3";
	o->event = "icmp_error";
	tr_num(o, "type", e->code);
	tr_num(o, "code", e->h);
	tr_text(o, "became ICMP %s (type %u code %u), back to the sender", what, e->code, e->h);
}

static void
ev_frag(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	o->stage = "l3";
	o->event = "fragmented";
	tr_num(o, "fragments", e->a);
	tr_text(o, "fragmented into %u (each exit below)", e->a);
}

static const char *
sg_conntrack(uint8_t code)
{
	static const char *const ct[] = {"none", "established", "reply", "related", "new", "none",
		"none", "blocked", "full", "none"};

	code &= (uint8_t)~VXG_TR_SG_CACHED;
	return code < RTE_DIM(ct) ? ct[code] : "?";
}

/* A tracked connection's packet (established, reply, related, blocked). */
static void
ev_sg_ct(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	const char *ct = sg_conntrack(e->code), *state = vxg_ct_state_name((uint8_t)e->a);
	bool blocked = (e->code & ~VXG_TR_SG_CACHED) == VXG_TR_SG_BLOCKED;

	o->event = "conntrack";
	tr_str(o, "verdict", "%s", blocked ? "deny" : "allow");
	tr_str(o, "conntrack", "%s", ct);
	tr_str(o, "state", "%s", state);
	tr_bool(o, "cached", (e->code & VXG_TR_SG_CACHED) != 0);
	if (blocked)
		tr_text(o, "denied: its connection (%s) was cut by a reload's rules", state);
	else
		tr_text(o, "allowed: %s packet of a tracked connection (%s)%s", ct, state,
			e->code & VXG_TR_SG_CACHED ? ", from the worker's cache" : "");
}

/* One side's rule: UINT32_MAX when that side has no groups. */
static void
ev_sg_rule(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o, const char *key,
	uint32_t res)
{
	struct tr_s r;

	if (res == UINT32_MAX)
		return;
	r = rule_s(c, e->h, res);
	tr_str(o, key, "%s", r.s);
	tr_text(o, "; %s: %s", key, r.s);
}

static void
ev_sg(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	uint8_t code = e->code & (uint8_t)~VXG_TR_SG_CACHED;
	struct tr_s from = port_s(c, e->c), to = port_s(c, e->d);

	o->stage = "sg";
	tr_str(o, "from", "%s", from.s);
	tr_str(o, "to", "%s", to.s);
	if ((code >= VXG_TR_SG_ESTABLISHED && code <= VXG_TR_SG_RELATED) ||
		code == VXG_TR_SG_BLOCKED) {
		ev_sg_ct(c, e, o);
		return;
	}
	if (code == VXG_TR_SG_PASS || code == VXG_TR_SG_BAD) {
		o->event = code == VXG_TR_SG_PASS ? "pass" : "unreadable";
		tr_str(o, "verdict", "%s", code == VXG_TR_SG_PASS ? "allow" : "deny");
		tr_text(o, "%s",
			code == VXG_TR_SG_PASS ? "ARP or a later fragment: no rule applies"
					       : "denied: not IPv4 enough to classify");
		return;
	}
	o->event = "rules";
	tr_str(o, "verdict", "%s",
		code == VXG_TR_SG_NEW || code == VXG_TR_SG_ALLOW ? "allow" : "deny");
	tr_str(o, "conntrack", "%s", sg_conntrack(code));
	tr_text(o, "%s",
		code == VXG_TR_SG_NEW     ? "allowed, new connection tracked"
		: code == VXG_TR_SG_ALLOW ? "allowed (not tracked)"
		: code == VXG_TR_SG_FULL  ? "allowed, but the conntrack table is full: dropped"
					  : "denied");
	tr_text(o, " (%s -> %s)", from.s, to.s);
	ev_sg_rule(c, e, o, "egress_rule", e->a);
	ev_sg_rule(c, e, o, "ingress_rule", e->b);
}

static void
ev_nat(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	static const char *const ev[] = {"snat", "snat", "snat_in", "fip_out", "fip_in",
		"icmp_error", "icmp_error", "hairpin", "local", "forward"};
	struct tr_s before = endpoint_s(e->a, e->c), after = endpoint_s(e->b, e->d);

	o->stage = "nat";
	o->event = e->code < RTE_DIM(ev) ? ev[e->code] : "?";
	if (e->code == VXG_TR_NAT_HAIRPIN) {
		tr_text(o, "to one of our NAT addresses: back in, as from outside (hairpin)");
		return;
	}
	if (e->code == VXG_TR_NAT_LOCAL) {
		tr_text(o, "a ping of the SNAT address: the router answers it");
		return;
	}
	tr_str(o, "before", "%s", before.s);
	tr_str(o, "after", "%s", after.s);
	if (e->code == VXG_TR_NAT_SNAT_NEW || e->code == VXG_TR_NAT_SNAT)
		tr_str(o, "session", "%s", e->code == VXG_TR_NAT_SNAT_NEW ? "new" : "existing");
	tr_text(o, "%s %s -> %s",
		e->code <= VXG_TR_NAT_SNAT       ? "source"
		: e->code == VXG_TR_NAT_FIP_OUT  ? "source (floating IP)"
		: e->code == VXG_TR_NAT_FIP_IN   ? "destination (floating IP)"
		: e->code == VXG_TR_NAT_SNAT_IN  ? "destination (SNAT reply)"
		: e->code == VXG_TR_NAT_FWD_NEW  ? "destination (port forward)"
		: e->code == VXG_TR_NAT_ICMP_OUT ? "ICMP error and its quote, out:"
						 : "ICMP error and its quote, in:",
		before.s, after.s);
	if (e->code == VXG_TR_NAT_SNAT_NEW || e->code == VXG_TR_NAT_FWD_NEW)
		tr_text(o, ", new session");
}

static void
ev_encap(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	struct tr_s vtep = ip_s(e->a);

	o->stage = "vxlan";
	o->event = "encap";
	tr_str(o, "vtep", "%s", vtep.s);
	tr_num(o, "vni", e->b);
	tr_text(o, "encapsulated to VTEP %s, VNI %u", vtep.s, e->b);
}

static void
ev_exit(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	static const char *const why[] = {
		"underlay", "router", "dhcp", "neigh_miss", "external6", "rs", "dhcp6", "host"};

	if (e->kind == VXG_TR_TX) {
		struct tr_s ifn = iface_s(c, e->h);

		o->stage = "tx";
		tr_str(o, "interface", "%s", ifn.s);
		tr_num(o, "vlan", e->c);
		tr_text(o, "out of %s", ifn.s);
		if (e->c != 0)
			tr_text(o, " VLAN %u", e->c);
	} else if (e->kind == VXG_TR_PUNT) {
		const char *w = e->code < RTE_DIM(why) ? why[e->code] : "?";

		o->stage = "punt";
		tr_str(o, "reason", "%s", w);
		tr_text(o, "to the control thread (%s)", w);
	} else {
		const char *r = e->code < VXG_DROP_MAX ? vxg_drop_names[e->code] : "?";

		o->stage = "drop";
		tr_str(o, "reason", "%s", r);
		tr_text(o, "%s: %s", r, e->code < VXG_DROP_MAX ? vxg_drop_help[e->code] : "");
	}
}

static void
tr_describe(const struct tr_ctx *c, const struct vxg_trace_ev *e, struct tr_ev *o)
{
	typedef void (*fn_t)(const struct tr_ctx *, const struct vxg_trace_ev *, struct tr_ev *);
	static const fn_t fns[VXG_TR_KINDS] = {
		[VXG_TR_RX] = ev_rx,
		[VXG_TR_ETH] = ev_eth,
		[VXG_TR_DECAP] = ev_decap,
		[VXG_TR_PSEC] = ev_psec,
		[VXG_TR_LEARN] = ev_learn,
		[VXG_TR_L2] = ev_l2,
		[VXG_TR_FLOOD] = ev_flood,
		[VXG_TR_ROUTE] = ev_route,
		[VXG_TR_NEIGH] = ev_neigh,
		[VXG_TR_ICMP] = ev_icmp,
		[VXG_TR_FRAG] = ev_frag,
		[VXG_TR_SG] = ev_sg,
		[VXG_TR_NAT] = ev_nat,
		[VXG_TR_ENCAP] = ev_encap,
		[VXG_TR_ROUTE6] = ev_route6,
		[VXG_TR_NEIGH6] = ev_neigh6,
		[VXG_TR_ICMP6] = ev_icmp6,
		[VXG_TR_TX] = ev_exit,
		[VXG_TR_PUNT] = ev_exit,
		[VXG_TR_DROP] = ev_exit,
	};

	memset(o, 0, offsetof(struct tr_ev, f));
	o->text[0] = '\0';
	o->stage = "?";
	if (e->kind < VXG_TR_KINDS && fns[e->kind] != NULL)
		fns[e->kind](c, e, o);
}

/* ---- Records ----------------------------------------------------------------------------- */

static void
tr_ctx_init(struct tr_ctx *c, const struct vxg_daemon *d, uint64_t names_from,
	const struct vxg_trace_rec *r)
{
	c->d = d;
	c->r = r;
	c->names = d->gen != NULL && d->cfg != NULL && r->gen >= names_from && r->gen <= d->gen->id;
}

static uint64_t
tr_age_ms(const struct vxg_trace_rec *r)
{
	uint64_t now = rte_rdtsc(), hz = rte_get_tsc_hz();

	return now > r->tsc && hz >= 1000 ? (now - r->tsc) / (hz / 1000) : 0;
}

static bool
tr_is_exit(uint8_t kind)
{
	return kind == VXG_TR_TX || kind == VXG_TR_PUNT || kind == VXG_TR_DROP;
}

void
vxg_trace_rec_text(const struct vxg_daemon *d, uint64_t names_from, unsigned worker,
	const struct vxg_trace_rec *r, FILE *out)
{
	struct vxg_trace_pkt pk;
	struct tr_ctx c;
	struct tr_ev o;
	char sum[320];

	tr_ctx_init(&c, d, names_from, r);
	vxg_trace_pkt_parse(r->head, r->head_len, &pk);
	vxg_trace_pkt_summary(&pk, sum, sizeof(sum));
	fprintf(out, "worker %u packet %u: %s, %u bytes, %" PRIu64 " ms ago\n", worker, r->seq,
		iface_s(&c, r->port).s, r->len, tr_age_ms(r));
	fprintf(out, "  %s\n", sum);
	for (unsigned i = 0; i < r->n_ev && i < VXG_TRACE_EVENTS; i++) {
		tr_describe(&c, &r->ev[i], &o);
		fprintf(out, "  %-5s %s\n", o.stage, o.text);
	}
	if (r->lost > 0)
		fprintf(out, "  (%u more events not recorded: the record is full)\n", r->lost);
}

static void
tr_ev_json(struct jw *j, const struct tr_ev *o)
{
	jw_obj_open(j, NULL);
	jw_str(j, "stage", o->stage);
	if (o->event != NULL)
		jw_str(j, "event", o->event);
	for (unsigned k = 0; k < o->n; k++) {
		if (o->f[k].type == TR_NUM)
			jw_u64(j, o->f[k].key, o->f[k].u);
		else if (o->f[k].type == TR_BOOL)
			jw_bool(j, o->f[k].key, o->f[k].u != 0);
		else
			jw_str(j, o->f[k].key, o->f[k].s);
	}
	jw_str(j, "text", o->text);
	jw_obj_close(j);
}

static void
tr_hdrs_json(struct jw *j, const struct vxg_trace_hdrs *h)
{
	char buf[32], src[48], dst[48];

	if (!h->eth)
		return;
	jw_str(j, "src_mac", mac_s(&h->src_mac).s);
	jw_str(j, "dst_mac", mac_s(&h->dst_mac).s);
	jw_u64(j, "vlan", h->vlan);
	snprintf(buf, sizeof(buf), "0x%04x", h->type);
	jw_str(j, "ethertype", buf);
	if (!h->ip && !h->ip6 && !h->arp)
		return;
	vxg_trace_hdrs_addrs(h, src, dst, sizeof(src));
	jw_str(j, "src", src);
	jw_str(j, "dst", dst);
	if (h->arp)
		return;
	vxg_proto_format(h->proto, buf, sizeof(buf));
	jw_str(j, "protocol", buf);
	if (h->ports) {
		jw_u64(j, "sport", h->sport);
		jw_u64(j, "dport", h->dport);
	}
	if (h->icmp) {
		jw_u64(j, "icmp_type", h->icmp_type);
		jw_u64(j, "icmp_code", h->icmp_code);
	}
}

static void
tr_pkt_json(struct jw *j, const struct vxg_trace_rec *r)
{
	struct vxg_trace_pkt pk;
	char sum[320];

	vxg_trace_pkt_parse(r->head, r->head_len, &pk);
	vxg_trace_pkt_summary(&pk, sum, sizeof(sum));
	jw_obj_open(j, "packet");
	jw_str(j, "summary", sum);
	tr_hdrs_json(j, &pk.outer);
	if (pk.vxlan) {
		jw_u64(j, "vni", pk.vni);
		jw_obj_open(j, "inner");
		tr_hdrs_json(j, &pk.inner);
		jw_obj_close(j);
	}
	jw_obj_close(j);
}

void
vxg_trace_rec_json(const struct vxg_daemon *d, uint64_t names_from, unsigned worker,
	const struct vxg_trace_rec *r, struct jw *j)
{
	unsigned n = RTE_MIN((unsigned)r->n_ev, (unsigned)VXG_TRACE_EVENTS);
	struct tr_ctx c;
	struct tr_ev o;

	tr_ctx_init(&c, d, names_from, r);
	jw_obj_open(j, NULL);
	jw_u64(j, "worker", worker);
	jw_u64(j, "seq", r->seq);
	jw_str(j, "interface", iface_s(&c, r->port).s);
	jw_u64(j, "length", r->len);
	jw_u64(j, "generation", r->gen);
	jw_u64(j, "age_ms", tr_age_ms(r));
	tr_pkt_json(j, r);
	jw_arr_open(j, "events");
	for (unsigned i = 0; i < n; i++) {
		tr_describe(&c, &r->ev[i], &o);
		tr_ev_json(j, &o);
	}
	jw_arr_close(j);
	jw_arr_open(j, "exits");
	for (unsigned i = 0; i < n; i++) {
		if (!tr_is_exit(r->ev[i].kind))
			continue;
		tr_describe(&c, &r->ev[i], &o);
		tr_ev_json(j, &o);
	}
	jw_arr_close(j);
	jw_u64(j, "events_lost", r->lost);
	jw_obj_close(j);
}
