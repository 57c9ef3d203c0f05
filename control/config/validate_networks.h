/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of a VPC's networks and their DHCP servers, and the defaults that
 * depend on other objects: the router's MAC (from the VNI) and the MTU (from the
 * underlay's). Also whether an address can be a host of a network, which ports, routes
 * and DHCP ask.
 */
#ifndef VXG_CONFIG_VALIDATE_NETWORKS_H
#define VXG_CONFIG_VALIDATE_NETWORKS_H

#include <stdint.h>

#include "config/errors.h"

/* NULL if ip can be a host of net, else what it is ("is outside", ...). */
const char *validate_host_problem(const struct vxg_network_cfg *net, uint32_t ip);

/* One network: gateway, flood list, DHCP; fills in gw_mac and mtu. */
void validate_network(struct config_ctx *x, struct vxg_network_cfg *net);
/* Networks of a VPC do not overlap: the router must know which one an address is on. */
void validate_overlaps(struct config_ctx *x, const struct vxg_vpc_cfg *v);

#endif
