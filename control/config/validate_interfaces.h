/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of the interfaces and the VTEP: names, devices and addresses unique,
 * gateways and static neighbours on the interface's subnet, IPv6 addresses on external
 * interfaces only with their gateway6 on their prefix, the VTEP address on an
 * underlay interface (whose index it records).
 */
#ifndef VXG_CONFIG_VALIDATE_INTERFACES_H
#define VXG_CONFIG_VALIDATE_INTERFACES_H

#include "config/errors.h"

void validate_interfaces(struct config_ctx *x);
/* Also sets vtep.underlay. */
void validate_vtep(struct config_ctx *x);

/* The subnet an interface's address is on. */
struct vxg_cidr validate_if_subnet(const struct vxg_if_cfg *ic);
/* The IPv6 prefix an interface's address6 is on. */
struct vxg_cidr6 validate_if_prefix6(const struct vxg_if_cfg *ic);
/* The interface VXLAN leaves by: the VTEP's, else the first underlay one, else NULL. */
const struct vxg_if_cfg *validate_underlay_if(const struct vxg_config *c);

#endif
