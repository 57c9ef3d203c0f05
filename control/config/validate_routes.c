/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of static routes (validate_routes.h).
 */
#include <stdlib.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_interfaces.h"
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
report_route(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	size_t mark = config_obj_push(x, "route %u", again->b + 1);

	config_error(x, validate_dup_pos(x, again),
		"prefix %s is already routed by route %u (line %u)",
		config_cidr_str(v->routes[again->b].prefix).s, first->b + 1,
		v->routes[first->b].pos.line);
	config_obj_pop(x, mark);
}

void
validate_routes(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	const struct vxg_route_cfg *r;
	struct validate_dup *d = validate_dup_alloc(x, v->n_routes);
	size_t mark;
	unsigned i;

	if (d == NULL)
		return;
	for (i = 0; i < v->n_routes; i++) {
		r = &v->routes[i];
		mark = config_obj_push(x, "route %u", i + 1);
		if (r->via != VXG_NONE)
			check_route_via(x, r);
		else
			check_route_nexthop(x, v, r);
		config_obj_pop(x, mark);
		d[i] = (struct validate_dup){.key = (uint64_t)r->prefix.addr << 8 | r->prefix.len,
			.b = i,
			.field = &r->prefix,
			.pos = r->pos};
	}
	validate_find_dups(x, d, v->n_routes, report_route, v);
}
