/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell output of the VPC routers: `show route [VPC]`, `show router [VPC]` and the
 * router part of `show neighbours [VPC]`, in text or JSON.
 *
 * Thread-safety: control thread only.
 */
#ifndef VXG_L3_SHOW_H
#define VXG_L3_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "core/daemon.h"
#include "core/json.h"

/* vpc: a VPC name, or NULL for all. Return 0, or -ENOENT for an unknown VPC. */
int vxg_l3_show_routes(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json);
int vxg_l3_show_router(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json);
/* Router neighbours: as rows of the caller's JSON array j (json), or text lines. */
int vxg_l3_show_neighbours(
	const struct vxg_daemon *d, const char *vpc, FILE *out, struct jw *j, bool json);

#endif
