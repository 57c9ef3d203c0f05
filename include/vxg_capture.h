/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture as the workers see it: which ports and directions are captured, the
 * filter, the pool the copies come from and, per worker, the ring that takes them to the
 * writer and the counters of what became of each frame. The control thread has a slot
 * of its own, after the workers', for the frames it sends on a port's control queue.
 *
 * A worker with a capture copies each frame of a captured port and direction that passes
 * the filter (rte_pktmbuf_copy into `pool`), stamps the copy (struct vxg_capture_stamp, in
 * the mbuf's private area) and puts it on its own ring (vxg_capture_tap); a full ring or
 * an empty pool loses the copy, never the frame, and is counted. The writer thread
 * (control/capture/) turns the copies into pcapng blocks and writes them. Copies are
 * plain mbufs rather than rte_pcapng_copy's blocks because DPDK 22.11's rte_pcapng_copy
 * converts its timestamp with a base kept in a static that it updates without
 * synchronisation (fixed in 23.11): only the writer calls it.
 *
 * Thread-safety: control builds a struct vxg_capture, then hands it to every worker on
 * its control ring (VXG_MSG_CAPTURE; NULL takes it back); the worker swaps its private
 * pointer at the top of a pass, as it does generations. Everything but `wk` is read-only
 * from then on. The thread of slot i alone writes wk[i]: it enqueues on wk[i].ring
 * (single producer; the writer is its single consumer) and bumps its counters with plain
 * stores, read racily by control (see vxg_stats.h). Control frees the rings, the pool and
 * the filter only after every worker has taken NULL and been quiescent since, and the
 * writer has drained the rings; it keeps the struct itself, for its counters, until the
 * next capture.
 */
#ifndef VXG_CAPTURE_H
#define VXG_CAPTURE_H

#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "vxg_bpf.h"

enum vxg_cap_dir {
	VXG_CAP_DIR_RX, /* as the port received it, before any stage */
	VXG_CAP_DIR_TX, /* as handed to the port's tx queue (frames it refuses included) */
	VXG_CAP_DIRS,
};

/* Bits of vxg_capture.dir[port]. */
#define VXG_CAP_BIT(dir) (1u << (dir))

/* What became of the frames of a captured port and direction, on one worker. */
struct vxg_capture_ctr {
	uint64_t captured; /* copied onto the ring */
	uint64_t filtered; /* did not match the filter */
	uint64_t ring_full; /* copy lost: the writer is behind */
	uint64_t pool_empty; /* copy not made: no mbuf in the capture pool */
};

struct vxg_capture_wk {
	struct rte_ring *ring; /* this worker -> the writer: copies */
	struct vxg_capture_ctr ctr[VXG_CAP_DIRS];
} __rte_cache_aligned;

/* In each copy's private area (rte_mbuf_to_priv): where and when the frame was seen. */
struct vxg_capture_stamp {
	uint64_t tsc;
	uint16_t port;
	uint16_t queue;
	uint8_t dir; /* enum vxg_cap_dir */
};

struct vxg_capture {
	uint8_t dir[RTE_MAX_ETHPORTS]; /* by DPDK port: VXG_CAP_BIT of the captured directions */
	struct vxg_bpf filter;
	struct rte_mempool *pool; /* copies; private area: struct vxg_capture_stamp */
	unsigned n_workers;
	struct vxg_capture_wk wk[]; /* by worker id, then the control thread's (n_workers) */
};

/* Slots of c: one per worker, then the control thread's. */
static inline unsigned
vxg_capture_slots(const struct vxg_capture *c)
{
	return c->n_workers + 1;
}

/*
 * Copy the frames of pkts that port's direction `dir` captures and the filter matches
 * onto slot's ring (a worker's id, or n_workers for the control thread), counting what
 * becomes of each. Never a syscall, a lock or a wait; pkts are untouched. The caller
 * tests that a capture is on (c != NULL): that is all a capture costs when it is off.
 */
void vxg_capture_tap(struct vxg_capture *c, unsigned slot, uint16_t port, uint16_t queue,
	struct rte_mbuf **pkts, uint16_t n, enum vxg_cap_dir dir);

#endif
