/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture on the control side: a capture's life and what `show capture` and the
 * metrics say of it. One capture at a time. Start: the filter compiled, the file
 * created, the rings and pools made, the writer thread started, then the capture handed
 * to every worker on its control ring. Stop (`capture stop`, a limit reached, a write
 * error, or exit): the workers take it back, and once each has been quiescent the writer
 * drains the rings and closes the file; the control loop's tick moves it along and never
 * waits for it, nor for the disk.
 *
 * Thread-safety: control thread only; see vxg_capture.h for what workers share and
 * capture/capture_writer.h for the writer thread.
 */
#ifndef VXG_CAPTURE_FEATURE_H
#define VXG_CAPTURE_FEATURE_H

#include <limits.h>
#include <stdint.h>
#include <time.h>

#include "capture/capture_filter.h"
#include "capture/capture_writer.h"
#include "core/daemon.h"
#include "vxg_capture.h"

/* Limits a capture takes unless told otherwise. */
#define VXG_CAPTURE_MAX_BYTES_DEFAULT (100ull << 20) /* 100 MiB */
#define VXG_CAPTURE_SNAPLEN_DEFAULT 65535u
#define VXG_CAPTURE_SNAPLEN_MIN 64u
#define VXG_CAPTURE_MAX_BYTES_MIN 4096u
/* Copies a worker's ring holds: what the writer may fall behind by before copies are
 * lost (ring_full). */
#define VXG_CAPTURE_RING 4096

struct vxg_capture_req {
	uint8_t dir[VXG_IF_MAX]; /* by interface, config order: VXG_CAP_BIT of directions */
	char filter[VXG_FILTER_MAX]; /* tcpdump syntax; "": every frame */
	char file[PATH_MAX]; /* absolute; created, never overwritten */
	uint64_t max_packets; /* 0: no limit */
	uint64_t max_bytes; /* the file's size at most */
	uint32_t snaplen; /* bytes of each frame kept */
};

enum vxg_capture_state {
	VXG_CAPTURE_NONE, /* none since start */
	VXG_CAPTURE_RUNNING,
	VXG_CAPTURE_STOPPING, /* workers told to stop, or the writer finishing the file */
	VXG_CAPTURE_STOPPED, /* the file is complete */
};

struct vxg_capture_status {
	enum vxg_capture_state state;
	const struct vxg_capture_req *req; /* the last capture's; NULL with NONE */
	const struct vxg_capture *cap; /* its per-worker counters; NULL with NONE */
	uint64_t written, bytes, discarded; /* the writer's */
	time_t started, stopped;
	const char *why; /* why it stopped ("capture stop", "max-packets 100 reached"...) */
};

/* Start capturing as req says. 0; or -errno with the reason in err, and nothing left
 * behind (-EBUSY: a capture is running or finishing its file). */
int vxg_capture_start(
	struct vxg_daemon *d, const struct vxg_capture_req *req, char *err, size_t errlen);
/* Stop the running capture; its file is complete once the status says STOPPED (a tick or
 * two later). 0, -ENOENT (none is running) or -EALREADY (already stopping). */
int vxg_capture_stop(struct vxg_daemon *d);
void vxg_capture_status(struct vxg_capture_status *s);
const char *vxg_capture_state_name(enum vxg_capture_state st);

/* What the workers share: a struct vxg_capture for n_workers with their rings and the
 * copies' pool (pool_size mbufs), no port captured and no filter yet. NULL with the
 * reason in err. Freed with vxg_capture_free_shared, then rte_free. For the feature and
 * tests. */
struct vxg_capture *vxg_capture_alloc(
	unsigned n_workers, unsigned pool_size, char *err, size_t errlen);
/* Free the rings (and the copies left on them), the pool and the filter of c; c itself
 * stays, for its counters. No worker may be able to read c any more. */
void vxg_capture_free_shared(struct vxg_capture *c);

#endif
