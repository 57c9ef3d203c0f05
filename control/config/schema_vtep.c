/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the vtep: section (schema_vtep.h).
 */
#include "config/schema_vtep.h"

#define T struct vxg_vtep_cfg
static const struct config_field vtep_fields[] = {
	{"address", F_IP, REQ, AT(address)},
	{"udp_port", F_U16, AT(udp_port), .min = 1, .max = 65535},
	{"learning", F_BOOL, AT(learning)},
	{"ageing", F_U32, AT(ageing), .min = 1, .max = 1000000},
	{"udp_csum", F_BOOL, AT(udp_csum)},
	{"ttl", F_U8, AT(ttl), .min = 1, .max = 255},
	{"df", F_BOOL, AT(df)},
	{"src_ports", F_RANGE, AT(src_port_min), AT2(src_port_max), .min = 1, .max = 65535},
};
#undef T

int
schema_vtep(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_config *c = obj;

	c->vtep.enabled = true;
	c->vtep.pos = config_node_pos(n);
	return config_parse_sub(p, n, "vtep", vtep_fields, RTE_DIM(vtep_fields), &c->vtep);
}

void
schema_vtep_defaults(struct vxg_vtep_cfg *vt)
{
	*vt = (struct vxg_vtep_cfg){
		.udp_port = 4789,
		.learning = true,
		.ageing = 300,
		.ttl = 64,
		.src_port_min = 32768,
		.src_port_max = 60999,
		.underlay = VXG_NONE,
	};
}
