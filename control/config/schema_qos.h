/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a VPC's qos_policies: list (a name, a rate and a burst per direction, what
 * to do over the limit). Ports, floating IPs and nat name them with `qos:`; the bursts
 * are checked against the MTUs in validate_qos.c.
 */
#ifndef VXG_CONFIG_SCHEMA_QOS_H
#define VXG_CONFIG_SCHEMA_QOS_H

#include "config/walk.h"

/* Bounds of a policy's values. */
#define SCHEMA_QOS_RATE_MAX 1000000000000ull /* 1000gbit */
#define SCHEMA_QOS_BURST_MAX 1000000000ull /* 1gb */

/* One policy; the elements are struct vxg_qos_policy_cfg. */
extern const struct config_seq schema_qos_policy_seq;

#endif
