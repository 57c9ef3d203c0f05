/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's routes: list (static routes: a prefix, via an interface, a next hop
 * or both).
 */
#ifndef VXG_CONFIG_SCHEMA_ROUTES_H
#define VXG_CONFIG_SCHEMA_ROUTES_H

#include "config/walk.h"

/* One route; the elements are struct vxg_route_cfg. */
extern const struct config_seq schema_route_seq;

#endif
