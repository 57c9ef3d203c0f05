/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object validation (validate.h): the order of the checks, per VPC then global. Each
 * feature's checks are in its own validate_*.c.
 */
#include <errno.h>

#include "config/validate.h"
#include "config/validate_dup.h"
#include "config/validate_evpn.h"
#include "config/validate_global.h"
#include "config/validate_interfaces.h"
#include "config/validate_nat.h"
#include "config/validate_net6.h"
#include "config/validate_networks.h"
#include "config/validate_ports.h"
#include "config/validate_qos.h"
#include "config/validate_routes.h"

static void
check_vpc(struct config_ctx *x, struct vxg_vpc_cfg *v)
{
	size_t mark = config_obj_push(x, "vpc %s", v->name);
	unsigned i;

	VALIDATE_NAMES(x, v->networks, v->n_networks, "network");
	VALIDATE_NAMES(x, v->ports, v->n_ports, "port");
	VALIDATE_NAMES(x, v->sgs, v->n_sgs, "security_group");
	VALIDATE_NAMES(x, v->port_groups, v->n_port_groups, "port_group");
	VALIDATE_NAMES(x, v->address_sets, v->n_address_sets, "address_set");
	for (i = 0; i < v->n_networks; i++)
		validate_network(x, &v->networks[i]);
	validate_overlaps(x, v);
	validate_overlaps6(x, v);
	validate_ports6_auto(v);
	for (i = 0; i < v->n_ports; i++) {
		validate_port(x, v, &v->ports[i]);
		validate_port6(x, v, &v->ports[i]);
	}
	validate_port_ips(x, v);
	validate_port_ip6s(x, v);
	validate_routes(x, v);
	validate_nat(x, v);
	validate_qos(x, v);
	config_obj_pop(x, mark);
}

int
config_validate(struct config_ctx *x)
{
	struct vxg_config *c = x->c;
	unsigned i;

	validate_interfaces(x);
	validate_vtep(x);
	validate_evpn(x);
	VALIDATE_NAMES(x, c->vpcs, c->n_vpcs, "vpc");
	for (i = 0; i < c->n_vpcs; i++)
		check_vpc(x, &c->vpcs[i]);
	validate_vnis(x);
	validate_macs(x);
	validate_segments(x);
	validate_nat_addresses(x);
	return x->nomem ? -ENOMEM : 0;
}
