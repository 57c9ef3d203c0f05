/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT's part of a generation, built by control (gen.c) and read by workers, and the
 * questions control asks of it (proxy ARP, gratuitous ARP).
 */
#ifndef VXG_NAT_CONFIG_H
#define VXG_NAT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"
#include "vxg_gen.h"

/* Each VPC's g->vpcs[v].nat and the address map g->nat, after vxg_l3_build. 0, or
 * -ENOMEM with the reason in err. */
int vxg_nat_build(struct vxg_gen *g, const struct vxg_config *cfg, char *err, size_t errlen);
void vxg_nat_gen_free(struct vxg_gen *g);

/* The external addresses of interface ifindex (gen index) into out (up to max); returns
 * how many there are. */
unsigned vxg_nat_proxy_addrs(
	const struct vxg_gen *g, unsigned ifindex, rte_be32_t *out, unsigned max);
/* Is ip a NAT address of interface ifindex (so vxgate answers ARP for it)? */
bool vxg_nat_is_proxy(const struct vxg_gen *g, unsigned ifindex, rte_be32_t ip);

#endif
