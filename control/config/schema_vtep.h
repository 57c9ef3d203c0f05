/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the vtep: section (this gateway's VXLAN tunnel endpoint: its address, UDP
 * port, learning and ageing, outer header settings).
 */
#ifndef VXG_CONFIG_SCHEMA_VTEP_H
#define VXG_CONFIG_SCHEMA_VTEP_H

#include "config/walk.h"

/* The defaults of the keys a vtep: section may leave out. */
void schema_vtep_defaults(struct vxg_vtep_cfg *vt);
/* The vtep: key of the top level; obj is the struct vxg_config. */
int schema_vtep(struct config_parser *p, const struct config_node *n, void *obj);

#endif
