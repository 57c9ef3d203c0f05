/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC routers' part of a generation, compiled from the config: route tables (rte_lpm),
 * next hops and their egress networks, the gateways of external interfaces.
 *
 * Thread-safety: control thread only; what it builds is immutable once published.
 */
#ifndef VXG_L3_CONFIG_H
#define VXG_L3_CONFIG_H

#include <stddef.h>

#include "config/model.h"
#include "vxg_gen.h"

struct vxg_iface; /* core/port.h */
struct vxg_neigh_table; /* neigh/underlay_neigh.h */

/* The VPC routers of cfg into g->vpcs (after vxg_vxlan_build): route tables, each next
 * hop's egress network, and the MACs of the gateways of external interfaces. same: a
 * generation of this very config (a rebuild), whose route tables g takes over (same's
 * are then lent) with its next hops bound again, or NULL. */
int vxg_l3_build(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	const struct vxg_neigh_table *nt, struct vxg_gen *same);

/* Connected networks (those with a gateway), then the static routes. */
int vxg_l3_compile(const struct vxg_config *cfg, unsigned vpc, struct vxg_l3_vpc *out, char *err,
	size_t errlen);
/* A copy of n next hops of size bytes each (vxg_l3_take, vxg_l3_take6); NULL: no memory. */
void *vxg_l3_nhs_dup(const void *nhs, uint32_t n, size_t size);
/* l3 takes from's table over (from's lent: freeing it leaves the table), with a copy of
 * its next hops. 0 or -ENOMEM. */
int vxg_l3_take(struct vxg_l3_vpc *l3, struct vxg_l3_vpc *from);
void vxg_l3_free(struct vxg_l3_vpc *l3);

/* The IPv6 side (l3_config6.c), after vxg_l3_build: each dual-stack VPC's rte_fib6 and
 * next hops, and the external interfaces' IPv6 address and inbound /64s (same as
 * vxg_l3_build's). */
int vxg_l3_build6(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	struct vxg_gen *same);
/* What vxg_l3_build6 allocated (g->vpcs stays). */
void vxg_l3_gen_free6(struct vxg_gen *g);
/* Dual-stack networks, then the IPv6 static routes; no table when the VPC has no
 * dual-stack network (0, out->on false). */
int vxg_l3_compile6(const struct vxg_config *cfg, unsigned vpc, struct vxg_l3_vpc6 *out, char *err,
	size_t errlen);
/* As vxg_l3_take, for the IPv6 table. */
int vxg_l3_take6(struct vxg_l3_vpc6 *l3, struct vxg_l3_vpc6 *from);
void vxg_l3_free6(struct vxg_l3_vpc6 *l3);

#endif
