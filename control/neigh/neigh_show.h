/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What other features use of the underlay neighbours' shell output: the sections they add
 * to `show neighbours` (the VPC routers add their neighbours), and whether an address is
 * a static neighbour of the config (`show vtep` says so of a next hop).
 *
 * Thread-safety: control thread only. Sections register in constructors, before main.
 */
#ifndef VXG_NEIGH_SHOW_H
#define VXG_NEIGH_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "core/daemon.h"
#include "core/json.h"

/*
 * A part of `show neighbours` after the underlay's own: in text, "TITLE:" and its lines
 * after the counters; in JSON, an array KEY between "neighbours" and "counters". show
 * writes the rows of every VPC (vpc NULL): as objects into the open array of j when json,
 * else as text (with its own header line) to out.
 */
struct vxg_neigh_section {
	const char *title;
	const char *key;
	int (*show)(
		const struct vxg_daemon *d, const char *vpc, FILE *out, struct jw *j, bool json);
	struct vxg_neigh_section *next; /* the core's list, sorted by key */
};

void vxg_neigh_section_register(struct vxg_neigh_section *s);

#define VXG_NEIGH_SECTION(s)                     \
	RTE_INIT(vxg_neigh_section_register_##s) \
	{                                        \
		vxg_neigh_section_register(&s);  \
	}

/* Is ip (network order) a static neighbour of interface ifi in cfg? Its entry is then the
 * one in use, whatever the table learned. */
bool vxg_neigh_is_static(const struct vxg_config *cfg, unsigned ifi, rte_be32_t ip);

#endif
