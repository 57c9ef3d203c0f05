/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of a VPC's port forwards (nat.port_forwards): their targets, ranges
 * and external addresses, and overlaps between them.
 */
#ifndef VXG_CONFIG_VALIDATE_PFWD_H
#define VXG_CONFIG_VALIDATE_PFWD_H

#include "config/errors.h"

/* The forwards of v's nat section; fills in each one's to_ip and default to_port. */
void validate_pfwd(struct config_ctx *x, struct vxg_vpc_cfg *v);

#endif
