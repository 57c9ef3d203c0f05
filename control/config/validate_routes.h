/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of a VPC's static routes: the interface a route leaves by can carry
 * it, the next hop is reachable (on that interface's subnet, or inside a network of the
 * VPC), and no prefix is routed twice.
 */
#ifndef VXG_CONFIG_VALIDATE_ROUTES_H
#define VXG_CONFIG_VALIDATE_ROUTES_H

#include "config/errors.h"

void validate_routes(struct config_ctx *x, const struct vxg_vpc_cfg *v);

#endif
