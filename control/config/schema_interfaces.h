/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the interfaces: list (DPDK ports, their role, address, gateway, MTU, MAC and
 * static neighbours).
 */
#ifndef VXG_CONFIG_SCHEMA_INTERFACES_H
#define VXG_CONFIG_SCHEMA_INTERFACES_H

#include "config/walk.h"

/* One interface; the elements are struct vxg_if_cfg. */
extern const struct config_seq schema_interface_seq;

#endif
