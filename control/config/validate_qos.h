/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object checks of QoS: policy names unique in their VPC, and every burst big
 * enough for one packet of the largest MTU the policy may meet (the VPC's networks' and
 * its NAT interface's), or the meter would never let such a packet through.
 */
#ifndef VXG_CONFIG_VALIDATE_QOS_H
#define VXG_CONFIG_VALIDATE_QOS_H

#include "config/errors.h"

/* One VPC's qos_policies; after validate_network (MTU defaults) and validate_nat (the NAT
 * interface). */
void validate_qos(struct config_ctx *x, struct vxg_vpc_cfg *v);

#endif
