/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace, control's part: each worker's record buffer (allocated before the workers
 * start), the commands sent to the workers (`trace start`, `trace stop`, `trace clear`),
 * and what `show trace` reads. The records and the contract with the workers are in
 * vxg_trace.h.
 *
 * Thread-safety: control thread only. A command returns once every worker has taken it
 * (or says which did not, within VXG_TRACE_ACK_MS).
 */
#ifndef VXG_TRACE_FEATURE_H
#define VXG_TRACE_FEATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture_filter.h"
#include "core/daemon.h"
#include "vxg_trace.h"

#define VXG_TRACE_ACK_MS 1000 /* how long a command waits for the workers to take it */

/* What the last command asked for. */
struct vxg_trace_state {
	bool on; /* started and not stopped */
	uint32_t count; /* packets per worker, the last start's */
	uint16_t port; /* VXG_TRACE_ANY_PORT, or the DPDK port of `on INTERFACE` */
	char iface[VXG_NAME_MAX]; /* "" for any */
	char filter[VXG_FILTER_MAX]; /* the tcpdump expression packets must match; "": any */
	uint32_t epoch;
	uint32_t seq;
	/* The first generation built from the live config: records of it or later have
	 * their names in d->cfg (trace_format.h). */
	uint64_t names_from;
};

/* Trace the next count packets (1..VXG_TRACE_MAX) each worker receives, on interface
 * iface only unless it is NULL, that filter (tcpdump's syntax; "": any) matches; the
 * records made so far stay, the last start's filter is dropped. 0, or -errno with the
 * reason in err (an unknown interface: -ENOENT; a filter libpcap refuses: -EINVAL). */
int vxg_trace_start(struct vxg_daemon *d, uint32_t count, const char *iface, const char *filter,
	char *err, size_t errlen);
/* Trace no more (and drop the filter); the records stay. */
int vxg_trace_stop(struct vxg_daemon *d, char *err, size_t errlen);
/* Trace no more, and forget the records and counters. */
int vxg_trace_clear(struct vxg_daemon *d, char *err, size_t errlen);

const struct vxg_trace_state *vxg_trace_state(void);
/* Worker i's buffer when it holds the records of the current epoch; NULL while it has
 * not emptied it yet (a clear it has not taken), or when there is no buffer. *n: how many
 * records are complete. */
const struct vxg_trace_buf *vxg_trace_records(const struct vxg_daemon *d, unsigned i, uint32_t *n);

#endif
