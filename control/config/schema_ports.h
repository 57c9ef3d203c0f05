/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's ports: list (VM NICs: network, MAC, addresses, location on a remote
 * VTEP or an access interface and VLAN, security groups, allowed address pairs, port
 * security).
 */
#ifndef VXG_CONFIG_SCHEMA_PORTS_H
#define VXG_CONFIG_SCHEMA_PORTS_H

#include "config/walk.h"

/* One port; the elements are struct vxg_port_cfg. */
extern const struct config_seq schema_port_seq;

#endif
