/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A worker: one poll-mode, run-to-completion loop on one lcore.
 *
 * Thread-safety: control fills the static part (queues, rings, limits) before launching
 * the lcore and never changes it afterwards. After launch, control talks to the worker
 * only through ctl_ring (SPSC, control -> worker). The worker writes `stats` and
 * `gen_applied`; control reads them racily (see vxg_stats.h). The worker's `gen` and
 * `cap` pointers are private to the worker, set from the messages of ctl_ring.
 * `trace_buf` holds what the worker records of the packets it traces (vxg_trace.h has
 * its contract).
 */
#ifndef VXG_WORKER_H
#define VXG_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "vxg_capture.h"
#include "vxg_gen.h"
#include "vxg_meta.h"
#include "vxg_pcache.h"
#include "vxg_qos.h"
#include "vxg_ratelimit.h"
#include "vxg_stats.h"
#include "vxg_trace.h"

#define VXG_BURST_MAX 256
#define VXG_WORKER_RXQ_MAX 64
#define VXG_FDB_CACHE 2048 /* per-worker FDB position cache, a power of 2 (8 KB) */
#define VXG_L3N_CACHE 256 /* per-worker router neighbour position cache, a power of 2 */

enum vxg_msg_type {
	VXG_MSG_GEN, /* arg: struct vxg_gen *, the generation to use from now on */
	VXG_MSG_STOP, /* leave the loop */
	VXG_MSG_TRACE, /* arg: const struct vxg_trace_cmd *, what to trace from now on */
	VXG_MSG_CAPTURE, /* arg: struct vxg_capture * to capture into from now on; NULL: stop */
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
	unsigned n_workers; /* SNAT ports are striped across workers */
	unsigned lcore; /* EAL lcore */
	struct rte_ring *ctl_ring;
	struct rte_ring *punt_ring; /* shared MP ring, worker -> control */
	/* SPSC, control -> worker: frames control sends on ports without a tx queue of its
	 * own; the worker transmits each on m->port from its own queue. */
	struct rte_ring *inject_ring;
	struct rte_rcu_qsbr *qsbr;
	uint16_t burst;
	uint32_t idle_sleep_us; /* max back-off when idle, 0: busy poll */
	uint16_t n_rxq;
	struct vxg_rxq rxqs[VXG_WORKER_RXQ_MAX];
	struct vxg_trace_buf *trace_buf; /* NULL: no trace */

	/* Written by the worker, read by control. */
	uint64_t gen_applied;
	struct vxg_worker_stats stats;

	/* Private to the worker. */
	struct vxg_gen *gen;
	/* NULL unless a capture is on (vxg_capture.h): one test per rx burst and per tx
	 * flush is all capture costs when it is off. Next to gen: one cache line. */
	struct vxg_capture *cap;
	struct vxg_trace_wk trace;
	bool running;
	uint32_t idle_passes;
	struct vxg_ratelimit icmp_rl; /* ICMP errors the router sends */
	struct vxg_ratelimit host_rl; /* frames punted for the host tap (vxg_host.h) */
	/* The clock of FDB, conntrack and NAT ages (vxg_worker_now): seconds of the TSC, and
	 * the TSC at which the next second starts. */
	uint32_t now;
	uint64_t now_end;
	/* FDB positions of recently seen keys (position + 1, 0: empty), checked against the
	 * entry's key before use: an entry deleted or reused meanwhile simply misses. */
	uint32_t fdb_cache[VXG_FDB_CACHE];
	/* The same for router neighbours. */
	uint32_t l3n_cache[VXG_L3N_CACHE];
	uint32_t l3n6_cache[VXG_L3N_CACHE]; /* and IPv6 router neighbours */
	/* Exact-match caches of conntrack and NAT session positions (vxg_pcache.h), valid
	 * for the epoch and the generation they were filled under. */
	uint32_t pc_epoch;
	uint64_t pc_gen;
	struct vxg_pcache ct_pc, nat_pc;
	struct vxg_pcache nat_in_pc; /* NAT sessions by inbound key (nat_in.c) */
	/* Security group counters per port slot (VXG_LPORT_MAX), set by control before
	 * launch; NULL: not counted. Survive reloads; control reads them racily. */
	struct vxg_lport_ctr *lport_ctr;
	/* QoS meters and the worker's shares of their rates (vxg_qos.h), VXG_QOS_METERS,
	 * set by control before launch; NULL: no QoS. The worker writes only their `wm`. */
	struct vxg_qos_meter *qos;
	struct vxg_qos_pool *qos_pool; /* shared by the workers; NULL with one worker */
	uint64_t tsc; /* the TSC at the start of the pass: the meters' clock */
	struct vxg_tx_buf tx[RTE_MAX_ETHPORTS];
} __rte_cache_aligned;

/*
 * At the start of a pass, before any packet: empty the position caches when control
 * freed positions, or when the generation changed, since they were filled.
 */
static inline void
vxg_worker_pcache_begin(struct vxg_worker *w)
{
	uint32_t e = __atomic_load_n(&vxg_pcache_epoch, __ATOMIC_ACQUIRE);

	if (unlikely(e != w->pc_epoch || w->gen->id != w->pc_gen)) {
		vxg_pcache_clear(&w->ct_pc);
		vxg_pcache_clear(&w->nat_pc);
		vxg_pcache_clear(&w->nat_in_pc);
		w->pc_epoch = e;
		w->pc_gen = w->gen->id;
	}
}

/*
 * Seconds of the TSC, as vxg_fdb_now() and vxg_ct_now() count them, for the burst about to
 * run: one TSC read, and a division only when a second has passed.
 */
static inline uint32_t
vxg_worker_now(struct vxg_worker *w)
{
	uint64_t tsc = rte_get_tsc_cycles();

	if (unlikely(tsc >= w->now_end)) {
		uint64_t hz = rte_get_tsc_hz();

		w->now = (uint32_t)(tsc / hz);
		w->now_end = ((uint64_t)w->now + 1) * hz;
	}
	return w->now;
}

/* lcore entry point: rte_eal_remote_launch(vxg_worker_main, w, w->lcore). */
int vxg_worker_main(void *arg);

#endif
