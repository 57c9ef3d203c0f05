/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router's part of `show router` and `show neighbours [VPC]` (l3_show6.c).
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_L3_SHOW6_H
#define VXG_L3_SHOW6_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/daemon.h"
#include "core/json.h"

/* The IPv6 counters, inside the counters object (json) or as more text lines. */
void vxg_l3_show_counters6(const struct vxg_daemon *d, FILE *out, struct jw *j, bool json);

/* The IPv6 router neighbours of VPC vpc (NULL: all) and those of the external interfaces,
 * as neighbour rows (row prints one). */
void vxg_l3_show_neighbours6(const struct vxg_daemon *d, const char *vpc, FILE *out, struct jw *j,
	bool json, uint64_t now_ms);

#endif
