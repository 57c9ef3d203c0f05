/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the dataplane: section (burst, pools, rings, idle back-off, DHCP rates) and
 * its limits: (table sizes).
 */
#ifndef VXG_CONFIG_SCHEMA_DATAPLANE_H
#define VXG_CONFIG_SCHEMA_DATAPLANE_H

#include "config/walk.h"

/* The defaults, for a config without the section or with only some keys. */
void schema_dataplane_defaults(struct vxg_dataplane_cfg *d);
/* The dataplane: key of the top level; obj is the struct vxg_config. */
int schema_dataplane(struct config_parser *p, const struct config_node *n, void *obj);

#endif
