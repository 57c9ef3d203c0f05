/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Uniqueness across the whole config: VNIs (global to the VTEP), MACs (ports and router
 * ports), and the network of each access interface and VLAN.
 */
#ifndef VXG_CONFIG_VALIDATE_GLOBAL_H
#define VXG_CONFIG_VALIDATE_GLOBAL_H

#include "config/errors.h"

void validate_vnis(struct config_ctx *x);
void validate_macs(struct config_ctx *x);
/* Frames from an access interface are switched by (interface, VLAN): one network each. */
void validate_segments(struct config_ctx *x);

#endif
