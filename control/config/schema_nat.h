/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's nat: section (the SNAT address and its port range, the external
 * interface, and floating IPs mapping an external address to a port's address).
 */
#ifndef VXG_CONFIG_SCHEMA_NAT_H
#define VXG_CONFIG_SCHEMA_NAT_H

#include "config/walk.h"

/* The defaults of a VPC's NAT, whether or not it has a nat: section. */
void schema_nat_defaults(struct vxg_nat_cfg *nat);
/* The nat: key of a VPC; obj is the struct vxg_vpc_cfg. */
int schema_nat(struct config_parser *p, const struct config_node *n, void *obj);

#endif
