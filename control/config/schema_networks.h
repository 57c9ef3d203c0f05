/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's networks: list (logical switches: VNI, CIDR, router address and MAC,
 * MTU, flood list) and of each network's dhcp: section (range, lease, DNS, domain, static
 * hosts).
 */
#ifndef VXG_CONFIG_SCHEMA_NETWORKS_H
#define VXG_CONFIG_SCHEMA_NETWORKS_H

#include "config/walk.h"

/* One network; the elements are struct vxg_network_cfg. */
extern const struct config_seq schema_network_seq;

#endif
