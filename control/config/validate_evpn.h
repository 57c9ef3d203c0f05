/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of vtep.evpn across its keys and against the VTEP: the router ID's default,
 * the peers (at least one, distinct, not the VTEP itself) and the BGP timers.
 *
 * Thread-safety: as the load they run in (one thread).
 */
#ifndef VXG_CONFIG_VALIDATE_EVPN_H
#define VXG_CONFIG_VALIDATE_EVPN_H

#include "config/errors.h"

/* After validate_vtep. */
void validate_evpn(struct config_ctx *x);

#endif
