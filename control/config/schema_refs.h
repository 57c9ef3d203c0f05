/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lists a reference can name: interfaces (global), and a VPC's networks, ports,
 * security groups, port groups, address sets and QoS policies (inside the VPC being walked). A
 * field of type F_REF or F_REFS points at one of these.
 */
#ifndef VXG_CONFIG_SCHEMA_REFS_H
#define VXG_CONFIG_SCHEMA_REFS_H

#include "config/walk.h"

extern const struct config_ref schema_ref_interface;
extern const struct config_ref schema_ref_network;
extern const struct config_ref schema_ref_port;
extern const struct config_ref schema_ref_sg;
extern const struct config_ref schema_ref_port_group;
extern const struct config_ref schema_ref_address_set;
extern const struct config_ref schema_ref_qos;

#endif
