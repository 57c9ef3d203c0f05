/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The capture's writer: a thread of its own that drains the workers' capture rings
 * (vxg_capture.h), turns each copy into a pcapng enhanced packet block (rte_pcapng_copy)
 * and writes them (rte_pcapng_write_packets), up to the capture's limits, then closes the
 * file. A thread rather than the control loop because a write may wait on the disk (a
 * full page cache, a slow or network file system) and the control thread must not: it
 * answers ARP, DHCP and the control socket, and runs the timers.
 *
 * Thread-safety: control fills everything above `drain` before it starts the thread and
 * changes none of it afterwards. Then control writes `drain` only; the writer writes
 * the counters with plain stores (read racily by control, as worker counters), and
 * `end`, `error` and `done` with release stores that control reads with acquire loads.
 * Control joins the thread once `done` is set (it returns at once then), or at exit.
 */
#ifndef VXG_CAPTURE_WRITER_H
#define VXG_CAPTURE_WRITER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_mempool.h>
#include <rte_pcapng.h>

#include "vxg_capture.h"

/* Why the writer stopped writing. */
enum vxg_cap_end {
	VXG_CAP_END_NONE,
	VXG_CAP_END_PACKETS, /* max-packets written */
	VXG_CAP_END_BYTES, /* the next block would pass max-bytes */
	VXG_CAP_END_ERROR, /* a write failed: `error` says why */
};

struct vxg_capture_writer {
	struct vxg_capture *cap;
	rte_pcapng_t *pcapng; /* the file; the writer closes it when it ends */
	struct rte_mempool *pool; /* the writer's own: pcapng blocks */
	uint32_t snaplen;
	uint64_t max_packets; /* 0: no limit */
	uint64_t max_bytes; /* the file's size at most */
	/* The wall clock at a TSC reading taken before any copy was stamped: the blocks'
	 * timestamps are counted from it (vxg_capture_writer_clock). */
	uint64_t clock_tsc, clock_ns;

	/* Control -> writer: no worker will enqueue again; write what is queued and end. */
	bool drain;
	/* Writer -> control. */
	uint64_t written; /* packets in the file */
	uint64_t bytes; /* the file's size, headers included */
	uint64_t discarded; /* copies dequeued but not written: after the end, or lost */
	int end; /* enum vxg_cap_end, set once */
	int error; /* errno of the failed write (VXG_CAP_END_ERROR) */
	bool done; /* the file is closed and the thread returns */

	pthread_t thread;
	bool started;
};

/* Set wr's clock: now, before the workers stamp any copy. */
void vxg_capture_writer_clock(struct vxg_capture_writer *wr);

/* Start the thread on wr (its settings and `bytes`, the size of the file's headers,
 * filled). 0, or -errno with the reason in err. */
int vxg_capture_writer_start(struct vxg_capture_writer *wr, char *err, size_t errlen);

/* Wait for the thread to return: at once when `done` is set; at exit, after setting
 * `drain`, as long as the last writes take. No-op if it was not started. */
void vxg_capture_writer_join(struct vxg_capture_writer *wr);

/* One pass over every worker's ring, as the thread makes it: write (or discard, once the
 * writer has ended) what is queued. How many copies it took. For the thread and tests. */
unsigned vxg_capture_writer_pass(struct vxg_capture_writer *wr);

#endif
