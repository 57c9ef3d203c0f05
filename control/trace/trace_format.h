/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace records as `show trace` prints them: the packet (its first bytes as it
 * arrived), then each event in the order it happened, as a line of text or as one JSON
 * object per event ({"stage": ..., "event": ..., fields}), and the exits (where each copy
 * ended: tx, punt or drop).
 *
 * Names (interfaces, networks, ports, routes, rules) are resolved against the daemon's
 * config when the record went through a generation built from it (names_from: the first
 * generation of the live config); a record older than a reload shows addresses, VNIs and
 * indices instead.
 *
 * Thread-safety: control thread only; records are published ones (vxg_trace.h).
 */
#ifndef VXG_TRACE_FORMAT_H
#define VXG_TRACE_FORMAT_H

#include <stdint.h>
#include <stdio.h>

#include "core/daemon.h"
#include "core/json.h"
#include "vxg_trace.h"

/* Record r of worker `worker`: a block of lines in text. */
void vxg_trace_rec_text(const struct vxg_daemon *d, uint64_t names_from, unsigned worker,
	const struct vxg_trace_rec *r, FILE *out);
/* The same as one JSON object (an array element) of j. */
void vxg_trace_rec_json(const struct vxg_daemon *d, uint64_t names_from, unsigned worker,
	const struct vxg_trace_rec *r, struct jw *j);

#endif
