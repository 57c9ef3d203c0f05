/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's NAT (schema_nat.h). The external interface is chosen, and addresses
 * are checked against ports and other VPCs, in validate_nat.c.
 */
#include <netinet/in.h>
#include <string.h>

#include "config/fields.h"
#include "config/schema_nat.h"
#include "config/schema_refs.h"

static void
fip_init(struct config_parser *p, void *elem)
{
	struct vxg_fip_cfg *f = elem;

	f->port = VXG_NONE;
	f->qos = VXG_NONE;
}

#define T struct vxg_fip_cfg
static const struct config_field fip_fields[] = {
	{"ip", F_IP, REQ, AT(ip)},
	{"port", F_REF, REQ, AT(port), .arg = &schema_ref_port},
	{"fixed_ip", F_IP, AT(fixed_ip)},
	{"qos", F_REF, AT(qos), .arg = &schema_ref_qos},
};
static const struct config_seq fip_seq = SEQ("floating_ip", false, fip_fields, fip_init, NULL);
#undef T

static void
pfwd_init(struct config_parser *p, void *elem)
{
	struct vxg_pfwd_cfg *f = elem;

	f->to = VXG_NONE;
}

/* Only TCP and UDP have ports to forward. */
static int
fn_pfwd_protocol(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_pfwd_cfg *f = obj;

	if (!config_want_scalar(p->x, n, "protocol", "tcp or udp"))
		return 0;
	if (strcmp(config_scalar(n), "tcp") == 0)
		f->proto = IPPROTO_TCP;
	else if (strcmp(config_scalar(n), "udp") == 0)
		f->proto = IPPROTO_UDP;
	else
		config_error(p->x, config_node_pos(n), "protocol '%s' is not tcp or udp",
			config_excerpt(n));
	return 0;
}

#define T struct vxg_pfwd_cfg
static const struct config_field pfwd_fields[] = {
	{"ip", F_IP, REQ, AT(ip)},
	{"protocol", F_FN, REQ, .fn = fn_pfwd_protocol},
	{"port", F_RANGE, REQ, AT(port_min), AT2(port_max), .min = 1, .max = 65535},
	{"to", F_REF, REQ, AT(to), .arg = &schema_ref_port},
	{"to_port", F_RANGE, AT(to_min), AT2(to_max), .min = 1, .max = 65535},
};
static const struct config_seq pfwd_seq = SEQ("port_forward", false, pfwd_fields, pfwd_init, NULL);
#undef T

#define T struct vxg_nat_cfg
static const struct config_field nat_fields[] = {
	{"snat", F_IP, AT(snat)},
	{"snat_ports", F_RANGE, AT(port_min), AT2(port_max), .min = 1, .max = 65535},
	{"interface", F_REF, AT(interface), .arg = &schema_ref_interface},
	{"floating_ips", LIST(fips, n_fips, fip_seq)},
	{"port_forwards", LIST(fwds, n_fwds, pfwd_seq)},
	{"qos", F_REF, AT(qos), .arg = &schema_ref_qos},
};
#undef T

int
schema_nat(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_vpc_cfg *v = obj;

	v->nat.pos = config_node_pos(n);
	return config_parse_sub(p, n, "nat", nat_fields, RTE_DIM(nat_fields), &v->nat);
}

void
schema_nat_defaults(struct vxg_nat_cfg *nat)
{
	nat->interface = VXG_NONE;
	nat->port_min = 1024;
	nat->port_max = 65535;
	nat->qos = VXG_NONE;
}
