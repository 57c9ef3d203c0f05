/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The security groups' part of a generation, compiled from the config: declared ports,
 * port security data, flood targets and the rte_acl classifiers.
 *
 * Thread-safety: control thread only; what it builds is immutable once published.
 */
#ifndef VXG_SG_CONFIG_H
#define VXG_SG_CONFIG_H

#include <stddef.h>

#include "config/model.h"
#include "vxg_sg.h"

struct vxg_gen;
struct vxg_fdb;
struct vxg_iface; /* core/port.h */

/* Build the generation's ports, port security data and security group classifiers
 * (after vxg_vxlan_build and vxg_l3_build). same: a generation of this very config (a
 * rebuild for a neighbour or a flood set), whose compiled classifiers g takes over
 * instead of compiling them again (same's are then lent: freeing it leaves them), or
 * NULL. 0 or -errno, the reason in err. */
int vxg_sg_build(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	struct vxg_fdb *fdb, struct vxg_gen *same, char *err, size_t errlen);
void vxg_sg_gen_free(struct vxg_gen *g);

/* Compile one VPC's groups. Returns 0 or -errno with the reason in err. */
int vxg_sg_compile(const struct vxg_config *cfg, unsigned vpc, struct vxg_sg_vpc *out, char *err,
	size_t errlen);
void vxg_sg_free(struct vxg_sg_vpc *s);

#endif
