/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker: one poll-mode, run-to-completion loop on one lcore.
 *
 * Thread-safety: control fills the static part (queues, rings, limits) before launching
 * the lcore and never changes it afterwards. After launch, control talks to the worker
 * only through ctl_ring (SPSC, control -> worker). The worker writes `stats` and
 * `gen_applied`; control reads them racily (see vxg_stats.h). The worker's `gen` pointer
 * is private to the worker.
 */
#ifndef VXG_WORKER_H
#define VXG_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "vxg_gen.h"
#include "vxg_stats.h"

#define VXG_BURST_MAX 256
#define VXG_WORKER_RXQ_MAX 64

enum vxg_msg_type {
	VXG_MSG_GEN, /* arg: struct vxg_gen *, the generation to use from now on */
	VXG_MSG_STOP, /* leave the loop */
};

/* Element of ctl_ring (rte_ring_*_elem, 16 bytes): messages carry no state of their own,
 * so the worker never allocates or frees one. */
struct vxg_msg {
	uint64_t type;
	void *arg;
};

struct vxg_rxq {
	uint16_t port_id;
	uint16_t queue_id;
};

struct vxg_tx_buf {
	uint16_t n;
	struct rte_mbuf *pkts[VXG_BURST_MAX];
};

struct vxg_worker {
	/* Set by control before launch. */
	unsigned id; /* 0..n_workers-1, also the QSBR thread id and tx queue id */
	unsigned lcore; /* EAL lcore */
	struct rte_ring *ctl_ring;
	struct rte_ring *punt_ring; /* shared MP ring, worker -> control */
	struct rte_rcu_qsbr *qsbr;
	uint16_t burst;
	uint32_t idle_sleep_us; /* max back-off when idle, 0: busy poll */
	uint16_t n_rxq;
	struct vxg_rxq rxqs[VXG_WORKER_RXQ_MAX];

	/* Written by the worker, read by control. */
	uint64_t gen_applied;
	struct vxg_worker_stats stats;

	/* Private to the worker. */
	struct vxg_gen *gen;
	bool running;
	uint32_t idle_passes;
	struct vxg_tx_buf tx[RTE_MAX_ETHPORTS];
} __rte_cache_aligned;

/* lcore entry point: rte_eal_remote_launch(vxg_worker_main, w, w->lcore). */
int vxg_worker_main(void *arg);

/* Hot-path stages (dataplane/). */
void vxg_eth_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);

static inline void
vxg_drop(struct vxg_worker *w, struct rte_mbuf *m, enum vxg_drop_reason r)
{
	w->stats.drops[r]++;
	rte_pktmbuf_free(m);
}

static inline void
vxg_tx_enqueue(struct vxg_worker *w, uint16_t port_id, struct rte_mbuf *m)
{
	struct vxg_tx_buf *b = &w->tx[port_id];
	if (unlikely(b->n == RTE_DIM(b->pkts))) {
		vxg_drop(w, m, VXG_DROP_tx_full);
		return;
	}
	b->pkts[b->n++] = m;
}

#endif
