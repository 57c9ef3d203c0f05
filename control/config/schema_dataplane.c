/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the dataplane: section (schema_dataplane.h).
 */
#include <stdint.h>

#include "config/schema_dataplane.h"

#define T struct vxg_limits_cfg
static const struct config_field limits_fields[] = {
	{"fdb", F_U32, AT(fdb), .min = 64, .max = 1u << 28},
	{"neighbours", F_U32, AT(neighbours), .min = 64, .max = 1u << 28},
	{"sessions", F_U32, AT(sessions), .min = 64, .max = 1u << 28},
	{"conntrack", F_U32, AT(conntrack), .min = 64, .max = 1u << 28},
};
#undef T

static int
fn_limits(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_dataplane_cfg *d = obj;

	return config_parse_sub(p, n, "limits", limits_fields, RTE_DIM(limits_fields), &d->limits);
}

#define T struct vxg_dataplane_cfg
static const struct config_field dataplane_fields[] = {
	{"burst", F_U16, AT(burst), .min = 1, .max = 256},
	{"mbufs", F_U32, AT(mbufs), .min = 1024, .max = UINT32_MAX},
	{"rx_desc", F_U16, AT(rx_desc), .min = 16, .max = 32768},
	{"tx_desc", F_U16, AT(tx_desc), .min = 16, .max = 32768},
	{"idle_sleep_us", F_U32, AT(idle_sleep_us), .min = 0, .max = 1000000},
	{"dhcp_rate", F_U32, AT(dhcp_rate), .min = 0, .max = 1000000},
	{"dhcp_client_rate", F_U32, AT(dhcp_client_rate), .min = 0, .max = 100000},
	{"limits", F_FN, .fn = fn_limits},
};
#undef T

void
schema_dataplane_defaults(struct vxg_dataplane_cfg *d)
{
	*d = (struct vxg_dataplane_cfg){
		.burst = 32,
		.mbufs = 32768,
		.rx_desc = 1024,
		.tx_desc = 1024,
		.idle_sleep_us = 200,
		.dhcp_rate = 2000, /* VXG_DHCP_GLOBAL_RATE */
		.dhcp_client_rate = 10, /* VXG_DHCP_CLIENT_RATE */
		.limits = {.fdb = 1048576,
			.neighbours = 65536,
			.sessions = 1048576,
			.conntrack = 262144},
	};
}

int
schema_dataplane(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_config *c = obj;

	return config_parse_sub(
		p, n, "dataplane", dataplane_fields, RTE_DIM(dataplane_fields), &c->dataplane);
}
