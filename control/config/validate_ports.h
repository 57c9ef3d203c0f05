/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of a VPC's ports: addresses inside their network and unique in the
 * VPC, location on an access interface or a remote VTEP, port security consistent with
 * groups and address pairs.
 */
#ifndef VXG_CONFIG_VALIDATE_PORTS_H
#define VXG_CONFIG_VALIDATE_PORTS_H

#include "config/errors.h"

void validate_port(
	struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port);
/* No address is given to two ports (or twice to one) in the VPC. */
void validate_port_ips(struct config_ctx *x, const struct vxg_vpc_cfg *v);

#endif
