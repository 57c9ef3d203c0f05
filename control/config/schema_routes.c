/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a static route (schema_routes.h). A route is IPv4 or IPv6 by its prefix, and
 * its nexthop must be of the same family. Where the next hop is and what the interface can
 * reach are checked in validate_routes.c.
 */
#include "config/fields.h"
#include "config/schema_refs.h"
#include "config/schema_routes.h"
#include "config/values.h"

static int
fn_prefix(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_route_cfg *r = obj;

	if (config_node_kind(n) == CONFIG_NODE_SCALAR && config_text_is6(config_scalar(n))) {
		r->is6 = true;
		if (config_get_cidr6(p->x, n, "prefix", 0, 128, true, &r->prefix6))
			config_mark(p->x, &r->prefix6, config_node_pos(n));
	} else if (config_get_cidr(p->x, n, "prefix", 0, 32, true, &r->prefix)) {
		config_mark(p->x, &r->prefix, config_node_pos(n));
	}
	return 0;
}

/* After prefix (table order): the family is known. */
static int
fn_nexthop(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_route_cfg *r = obj;
	bool is6 = config_node_kind(n) == CONFIG_NODE_SCALAR && config_text_is6(config_scalar(n));

	if (is6 != r->is6) {
		config_error(p->x, config_node_pos(n),
			"nexthop %s is an %s address but the prefix is %s; a route's prefix and "
			"nexthop are of one family",
			config_excerpt(n), is6 ? "IPv6" : "IPv4", r->is6 ? "IPv6" : "IPv4");
		return 0;
	}
	if (is6 && config_get_ip6(p->x, n, "nexthop", &r->nexthop6))
		config_mark(p->x, &r->nexthop6, config_node_pos(n));
	else if (!is6 && config_get_ip(p->x, n, "nexthop", &r->nexthop))
		config_mark(p->x, &r->nexthop, config_node_pos(n));
	return 0;
}

static void
route_init(struct config_parser *p, void *elem)
{
	struct vxg_route_cfg *r = elem;

	r->via = VXG_NONE;
}

static void
route_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	if (config_map_get(p->doc, n, "via") == NULL &&
		config_map_get(p->doc, n, "nexthop") == NULL)
		config_error(p->x, config_node_pos(n),
			"give via (an interface), nexthop (an address) "
			"or both");
}

#define T struct vxg_route_cfg
static const struct config_field route_fields[] = {
	{"prefix", F_FN, REQ, .fn = fn_prefix},
	{"via", F_REF, AT(via), .arg = &schema_ref_interface},
	{"nexthop", F_FN, .fn = fn_nexthop},
};
const struct config_seq schema_route_seq =
	SEQ("route", false, route_fields, route_init, route_check);
#undef T
