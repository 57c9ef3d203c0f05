/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet capture's tap (vxg_capture.h): filter, copy, stamp, enqueue. Workers call it on
 * their rx bursts and tx buffers; the control thread, from a tx callback, on the frames
 * it sends itself. A copy that cannot be made or queued is counted and forgotten; the
 * frame itself is never held or changed.
 */
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "vxg_capture.h"

/* Copies queued at once: a worker's burst, in chunks. */
#define TAP_CHUNK 64

/* pkts[0..n), n <= TAP_CHUNK, of a captured port and direction, onto the slot's ring. */
static void
tap_chunk(struct vxg_capture *c, struct vxg_capture_wk *k, struct vxg_capture_ctr *ctr,
	const struct vxg_capture_stamp *at, struct rte_mbuf **pkts, unsigned n)
{
	struct rte_mbuf *copies[TAP_CHUNK];
	unsigned nc = 0, sent;

	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *mc;

		if (!vxg_bpf_match(&c->filter, pkts[i])) {
			ctr->filtered++;
			continue;
		}
		mc = rte_pktmbuf_copy(pkts[i], c->pool, 0, UINT32_MAX);
		if (unlikely(mc == NULL)) {
			ctr->pool_empty++;
			continue;
		}
		*(struct vxg_capture_stamp *)rte_mbuf_to_priv(mc) = *at;
		copies[nc++] = mc;
	}
	if (nc == 0)
		return;
	sent = rte_ring_sp_enqueue_burst(k->ring, (void **)copies, nc, NULL);
	ctr->captured += sent;
	if (unlikely(sent < nc)) {
		ctr->ring_full += nc - sent;
		rte_pktmbuf_free_bulk(&copies[sent], nc - sent);
	}
}

void
vxg_capture_tap(struct vxg_capture *c, unsigned slot, uint16_t port, uint16_t queue,
	struct rte_mbuf **pkts, uint16_t n, enum vxg_cap_dir dir)
{
	struct vxg_capture_wk *k = &c->wk[slot];
	struct vxg_capture_stamp at;

	if (!(c->dir[port] & VXG_CAP_BIT(dir)))
		return;
	at = (struct vxg_capture_stamp){
		.tsc = rte_get_tsc_cycles(), .port = port, .queue = queue, .dir = dir};
	for (uint16_t i = 0; i < n; i += TAP_CHUNK)
		tap_chunk(c, k, &k->ctr[dir], &at, pkts + i, RTE_MIN(n - i, TAP_CHUNK));
}
