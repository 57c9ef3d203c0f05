/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of static routes (validate_routes.h), IPv4 and IPv6 alike: an IPv6 route leaves
 * through an interface with an address6 or by a next hop on one of the VPC's IPv6 networks.
 */
#include <stdlib.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_interfaces.h"
#include "config/validate_net6.h"
#include "config/validate_networks.h"
#include "config/validate_routes.h"

static void
check_route_via(struct config_ctx *x, const struct vxg_route_cfg *r)
{
	const struct vxg_if_cfg *ic = &x->c->interfaces[r->via];
	struct vxg_pos pos = config_pos(x, &r->via, r->pos);
	struct vxg_pos npos = config_pos(x, &r->nexthop, r->pos);

	if (ic->role == VXG_ROLE_ACCESS)
		config_error(x, pos,
			"via interface %s has role access; routes leave through an "
			"external or underlay interface",
			ic->name);
	else if (ic->address == 0)
		config_error(x, pos, "via interface %s has no address", ic->name);
	else if (r->nexthop == 0 && ic->gateway == 0)
		config_error(x, pos, "via interface %s has no gateway; give a nexthop", ic->name);
	else if (r->nexthop != 0 && !config_cidr_has(validate_if_subnet(ic), r->nexthop))
		config_error(x, npos, "nexthop %s is not on interface %s's subnet %s",
			config_ip_str(r->nexthop).s, ic->name,
			config_cidr_str(validate_if_subnet(ic)).s);
	else if (r->nexthop != 0 && r->nexthop == ic->address)
		config_error(x, npos, "nexthop %s is interface %s's own address",
			config_ip_str(r->nexthop).s, ic->name);
}

static void
check_route_nexthop(
	struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_route_cfg *r)
{
	struct vxg_pos pos = config_pos(x, &r->nexthop, r->pos);
	const struct vxg_network_cfg *net;
	const char *why;
	unsigned i;

	for (i = 0; i < v->n_networks; i++) {
		net = &v->networks[i];
		if (!config_cidr_has(net->cidr, r->nexthop))
			continue;
		why = validate_host_problem(net, r->nexthop);
		if (why != NULL)
			config_error(x, pos, "nexthop %s %s network %s",
				config_ip_str(r->nexthop).s, why, net->name);
		else if (r->nexthop == net->gateway)
			config_error(x, pos, "nexthop %s is the router's own address on network %s",
				config_ip_str(r->nexthop).s, net->name);
		return;
	}
	config_error(x, pos,
		"nexthop %s is not inside any network of vpc %s; add via: to "
		"reach it through an interface",
		config_ip_str(r->nexthop).s, v->name);
}

static void
check_route6_via(struct config_ctx *x, const struct vxg_route_cfg *r)
{
	const struct vxg_if_cfg *ic = &x->c->interfaces[r->via];
	struct vxg_pos pos = config_pos(x, &r->via, r->pos);
	struct vxg_pos npos = config_pos(x, &r->nexthop6, r->pos);
	bool has_nh = !config_ip6_is_zero(&r->nexthop6);

	if (ic->role == VXG_ROLE_ACCESS)
		config_error(x, pos,
			"via interface %s has role access; routes leave through an "
			"external interface",
			ic->name);
	else if (config_ip6_is_zero(&ic->address6))
		config_error(
			x, pos, "via interface %s has no address6 for an IPv6 route", ic->name);
	else if (!has_nh && config_ip6_is_zero(&ic->gateway6))
		config_error(x, pos, "via interface %s has no gateway6; give it one or a nexthop",
			ic->name);
	else if (has_nh && !config_cidr6_has(validate_if_prefix6(ic), &r->nexthop6))
		config_error(x, npos, "nexthop %s is not on interface %s's prefix %s",
			config_ip6_str(&r->nexthop6).s, ic->name,
			config_cidr6_str(validate_if_prefix6(ic)).s);
	else if (has_nh && config_ip6_cmp(&r->nexthop6, &ic->address6) == 0)
		config_error(x, npos, "nexthop %s is interface %s's own address",
			config_ip6_str(&r->nexthop6).s, ic->name);
}

static void
check_route6_nexthop(
	struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_route_cfg *r)
{
	struct vxg_pos pos = config_pos(x, &r->nexthop6, r->pos);
	struct config_str nh = config_ip6_str(&r->nexthop6);
	const struct vxg_net6_cfg *c;
	const char *why;
	unsigned i;

	for (i = 0; i < v->n_networks; i++) {
		c = &v->networks[i].ip6;
		if (!c->enabled || !config_cidr6_has(c->cidr, &r->nexthop6))
			continue;
		why = validate_host6_problem(c, &r->nexthop6);
		if (why != NULL)
			config_error(
				x, pos, "nexthop %s %s network %s", nh.s, why, v->networks[i].name);
		else if (config_ip6_cmp(&r->nexthop6, &c->gateway) == 0)
			config_error(x, pos, "nexthop %s is the router's own address on network %s",
				nh.s, v->networks[i].name);
		return;
	}
	config_error(x, pos,
		"nexthop %s is not inside any IPv6 network of vpc %s; add via: to "
		"reach it through an interface",
		nh.s, v->name);
}

static void
report_route(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	size_t mark = config_obj_push(x, "route %u", again->b + 1);

	const struct vxg_route_cfg *r = &v->routes[again->b];

	config_error(x, validate_dup_pos(x, again),
		"prefix %s is already routed by route %u (line %u)",
		r->is6 ? config_cidr6_str(r->prefix6).s : config_cidr_str(r->prefix).s,
		first->b + 1, v->routes[first->b].pos.line);
	config_obj_pop(x, mark);
}

static void
check_route(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_route_cfg *r)
{
	if (r->is6 && r->via != VXG_NONE)
		check_route6_via(x, r);
	else if (r->is6)
		check_route6_nexthop(x, v, r);
	else if (r->via != VXG_NONE)
		check_route_via(x, r);
	else
		check_route_nexthop(x, v, r);
}

/*
 * Duplicate prefixes, one family at a time: IPv4 ones by a 64-bit key, IPv6 ones by their
 * bytes and length (so 2001:db8::/32 and 2001:db8::/48 differ).
 */
void
validate_routes(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	struct validate_dup *d = validate_dup_alloc(x, v->n_routes),
			    *d6 = validate_dup_alloc(x, v->n_routes);
	const struct vxg_route_cfg *r;
	unsigned i, n = 0, n6 = 0;
	size_t mark;

	if (d == NULL || d6 == NULL) {
		free(d);
		free(d6);
		return;
	}
	for (i = 0; i < v->n_routes; i++) {
		r = &v->routes[i];
		mark = config_obj_push(x, "route %u", i + 1);
		check_route(x, v, r);
		config_obj_pop(x, mark);
		if (r->is6)
			d6[n6++] = (struct validate_dup){.key6 = &r->prefix6.addr,
				.key = r->prefix6.len,
				.b = i,
				.field = &r->prefix6,
				.pos = r->pos};
		else
			d[n++] = (struct validate_dup){
				.key = (uint64_t)r->prefix.addr << 8 | r->prefix.len,
				.b = i,
				.field = &r->prefix,
				.pos = r->pos};
	}
	validate_find_dups(x, d, n, report_route, v);
	validate_find_dups(x, d6, n6, report_route, v);
}
