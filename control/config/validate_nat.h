/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of NAT: a VPC's external interface (chosen when not given), its
 * floating IPs against their ports (and the fixed IP defaulted to the port's first), and
 * external addresses unique across all VPCs.
 */
#ifndef VXG_CONFIG_VALIDATE_NAT_H
#define VXG_CONFIG_VALIDATE_NAT_H

#include "config/errors.h"

/* One VPC's nat: section; sets nat.interface and the floating IPs' fixed_ip defaults. */
void validate_nat(struct config_ctx *x, struct vxg_vpc_cfg *v);
/* External addresses are global: one owner each, whichever VPC claims it. */
void validate_nat_addresses(struct config_ctx *x);

#endif
