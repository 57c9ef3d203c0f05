/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a static route (schema_routes.h). Where the next hop is and what the
 * interface can reach are checked in validate_routes.c.
 */
#include "config/schema_refs.h"
#include "config/schema_routes.h"

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
	{"prefix", F_CIDR, REQ, AT(prefix), .min = 0, .max = 32, .bare = true},
	{"via", F_REF, AT(via), .arg = &schema_ref_interface},
	{"nexthop", F_IP, AT(nexthop)},
};
const struct config_seq schema_route_seq =
	SEQ("route", false, route_fields, route_init, route_check);
#undef T
