/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics endpoint's text: a snapshot of the daemon's numbers in plain structs, and
 * its rendering in the Prometheus text exposition format 0.0.4 (# HELP, # TYPE, one
 * sample a line). Nothing here reads the daemon, so tests render snapshots they build.
 *
 * Thread-safety: a snapshot belongs to whoever filled it; formatting touches nothing else.
 */
#ifndef VXG_METRICS_FORMAT_H
#define VXG_METRICS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/feature.h"
#include "vxg_defs.h"
#include "vxg_stats.h"

/* The exposition format's media type, for the Content-Type header. */
#define VXG_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct vxg_metrics_iface {
	char name[VXG_NAME_MAX];
	bool up;
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors;
	uint64_t rx_drops; /* missed by the NIC (imissed) and no mbuf (rx_nombuf) */
};

struct vxg_metrics_snap {
	uint64_t tsc_hz;
	const struct vxg_worker_stats *workers; /* since start, not since `clear stats` */
	unsigned n_workers;
	const struct vxg_metrics_iface *ifs;
	unsigned n_ifs;
	uint64_t generation, reloads_ok, reloads_failed;
	int64_t loaded_at; /* Unix time the config was last loaded */
	const struct vxg_metric *rows; /* the features' gauges (core/feature.h) */
	unsigned n_rows;
};

/* A growing text; oom is set (and the text left short) when memory ran out. */
struct vxg_metrics_buf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* Render s into b (appended). 0, or -ENOMEM (b->p is then to be freed all the same). */
int vxg_metrics_format(const struct vxg_metrics_snap *s, struct vxg_metrics_buf *b);

#endif
