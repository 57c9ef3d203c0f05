/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lists references resolve in (schema_refs.h). Objects start with their name, which
 * is what struct config_names reads.
 */
#include <stddef.h>

#include "config/schema_refs.h"

static struct config_names
list_interfaces(const struct config_parser *p)
{
	return CONFIG_NAMES(p->c->interfaces, p->c->n_interfaces);
}

static struct config_names
list_networks(const struct config_parser *p)
{
	return CONFIG_NAMES(p->vpc->networks, p->vpc->n_networks);
}

static struct config_names
list_ports(const struct config_parser *p)
{
	return CONFIG_NAMES(p->vpc->ports, p->vpc->n_ports);
}

static struct config_names
list_sgs(const struct config_parser *p)
{
	return CONFIG_NAMES(p->vpc->sgs, p->vpc->n_sgs);
}

static struct config_names
list_port_groups(const struct config_parser *p)
{
	return CONFIG_NAMES(p->vpc->port_groups, p->vpc->n_port_groups);
}

static struct config_names
list_qos(const struct config_parser *p)
{
	return CONFIG_NAMES(p->vpc->qos_policies, p->vpc->n_qos_policies);
}

static struct config_names
list_address_sets(const struct config_parser *p)
{
	return CONFIG_NAMES(p->vpc->address_sets, p->vpc->n_address_sets);
}

const struct config_ref schema_ref_interface = {"interface", list_interfaces};
const struct config_ref schema_ref_network = {"network", list_networks};
const struct config_ref schema_ref_port = {"port", list_ports};
const struct config_ref schema_ref_sg = {"security group", list_sgs};
const struct config_ref schema_ref_port_group = {"port group", list_port_groups};
const struct config_ref schema_ref_address_set = {"address set", list_address_sets};
const struct config_ref schema_ref_qos = {"qos policy", list_qos};

/* Names are found at offset 0 of each object. */
_Static_assert(offsetof(struct vxg_if_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_vpc_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_network_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_port_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_sg_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_port_group_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_address_set_cfg, name) == 0, "name first");
_Static_assert(offsetof(struct vxg_qos_policy_cfg, name) == 0, "name first");
