/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VTEP and the logical switches' part of a generation, compiled from the config:
 * networks by VNI, remote VTEPs and their header templates, access VLAN maps.
 *
 * Thread-safety: control thread only; what it builds is immutable once published.
 */
#ifndef VXG_VXLAN_CONFIG_H
#define VXG_VXLAN_CONFIG_H

#include "config/model.h"
#include "vxg_vxlan.h"

struct vxg_gen;
struct vxg_iface; /* core/port.h */
struct vxg_neigh_table; /* neigh/underlay_neigh.h */

/* Compile cfg's VTEP, networks and access VLANs into g->vx; the VTEP templates take their
 * next hops' MACs from the static neighbours, else from nt (may be NULL). 0 or -errno. */
int vxg_vxlan_build(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	struct vxg_fdb *fdb, const struct vxg_neigh_table *nt);
void vxg_vxlan_free(struct vxg_gen_vxlan *vx);

#endif
