/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The top level of a config file and its VPCs (schema_root.h): the containers, whose keys
 * are each a feature's section or list, parsed by that feature's schema file. Names
 * inside a VPC resolve among its own objects, so entering one drops the name indexes of
 * the one before.
 */
#include "config/schema_dataplane.h"
#include "config/schema_interfaces.h"
#include "config/schema_metrics.h"
#include "config/schema_nat.h"
#include "config/schema_networks.h"
#include "config/schema_ports.h"
#include "config/schema_qos.h"
#include "config/schema_root.h"
#include "config/schema_routes.h"
#include "config/schema_sg.h"
#include "config/schema_vtep.h"

static void
vpc_init(struct config_parser *p, void *elem)
{
	struct vxg_vpc_cfg *v = elem;

	config_parser_enter_vpc(p, v);
	schema_nat_defaults(&v->nat);
}

/* A VPC's own table sizes, in dataplane.limits' ranges (0, absent: those). */
static int
fn_vpc_limits(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_vpc_cfg *v = obj;
	static const struct config_field fields[] = {
		{"sessions", F_U32, .off = offsetof(struct vxg_vpc_cfg, limits.sessions), .min = 64,
			.max = 1u << 28},
		{"conntrack", F_U32, .off = offsetof(struct vxg_vpc_cfg, limits.conntrack),
			.min = 64, .max = 1u << 28},
	};

	return config_parse_sub(p, n, "limits", fields, RTE_DIM(fields), v);
}

#define T struct vxg_vpc_cfg
static const struct config_field vpc_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"networks", LIST(networks, n_networks, schema_network_seq)},
	{"address_sets", LIST(address_sets, n_address_sets, schema_address_set_seq)},
	/* before ports and nat, which name them */
	{"qos_policies", LIST(qos_policies, n_qos_policies, schema_qos_policy_seq)},
	{"security_groups", LIST(sgs, n_sgs, schema_sg_seq)},
	{"ports", LIST(ports, n_ports, schema_port_seq)},
	{"port_groups", LIST(port_groups, n_port_groups, schema_port_group_seq)},
	{"routes", LIST(routes, n_routes, schema_route_seq)},
	{"nat", F_FN, .fn = schema_nat},
	{"limits", F_FN, .fn = fn_vpc_limits},
};
static const struct config_seq vpc_seq = SEQ("vpc", true, vpc_fields, vpc_init, NULL);
#undef T

#define T struct vxg_config
static const struct config_field root_fields[] = {
	{"dataplane", F_FN, .fn = schema_dataplane},
	{"interfaces", LIST(interfaces, n_interfaces, schema_interface_seq), REQ, .min = 1},
	{"vtep", F_FN, .fn = schema_vtep},
	{"vpcs", LIST(vpcs, n_vpcs, vpc_seq)},
	{"metrics", F_FN, .fn = schema_metrics},
};
#undef T

int
schema_walk(struct config_ctx *x, const struct config_doc *doc)
{
	struct config_parser p = {.x = x, .doc = doc, .c = x->c};
	const struct config_node *root = config_doc_root(doc);
	int ret;

	if (root == NULL) {
		config_error(x, (struct vxg_pos){1, 1},
			"the file is empty; it needs at least an "
			"interfaces: list");
		return 0;
	}
	if (config_node_kind(root) != CONFIG_NODE_MAP) {
		config_error(x, config_node_pos(root),
			"the top level must be a mapping (dataplane:, "
			"interfaces:, vtep:, vpcs:, metrics:), got %s",
			config_node_desc(root).s);
		return 0;
	}
	ret = config_parse_mapping(&p, root, root_fields, RTE_DIM(root_fields), x->c);
	config_parser_fini(&p);
	return ret;
}
