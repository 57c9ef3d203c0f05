/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's security policy: security_groups: (stateful or not, with their rules:
 * direction, protocol, ports or ICMP type/code, and a remote: a CIDR, a group, a port
 * group or an address set), port_groups: (named lists of ports) and address_sets: (named
 * lists of CIDRs).
 */
#ifndef VXG_CONFIG_SCHEMA_SG_H
#define VXG_CONFIG_SCHEMA_SG_H

#include "config/walk.h"

/* The elements are struct vxg_sg_cfg, vxg_port_group_cfg and vxg_address_set_cfg. */
extern const struct config_seq schema_sg_seq;
extern const struct config_seq schema_port_group_seq;
extern const struct config_seq schema_address_set_seq;

#endif
