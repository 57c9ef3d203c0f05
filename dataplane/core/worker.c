/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker loop: poll every rx queue this worker owns, run each burst to completion,
 * flush the tx buffers, report a quiescent state. Messages from control are taken at the
 * top of each pass, before any packet is touched, so a new generation (or trace command)
 * is in effect for whole bursts only; every packet of a pass is done with by its end,
 * when the records of the packets it traced are published.
 */
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "pipeline.h"

/* Idle passes before backing off, and how fast the back-off grows (one µs per pass). */
#define IDLE_PASSES_BEFORE_SLEEP 128

static void
worker_poll_ctl(struct vxg_worker *w)
{
	struct vxg_msg msg;

	while (rte_ring_dequeue_elem(w->ctl_ring, &msg, sizeof(msg)) == 0) {
		switch (msg.type) {
		case VXG_MSG_GEN:
			w->gen = msg.arg;
			__atomic_store_n(&w->gen_applied, w->gen->id, __ATOMIC_RELEASE);
			break;
		case VXG_MSG_STOP:
			w->running = false;
			break;
		case VXG_MSG_TRACE:
			vxg_trace_take(w, msg.arg);
			break;
		case VXG_MSG_CAPTURE:
			w->cap = msg.arg;
			break;
		}
	}
}

static void
worker_tx_flush(struct vxg_worker *w, uint16_t port_id, uint16_t queue_id)
{
	struct vxg_tx_buf *b = &w->tx[port_id];
	uint16_t sent;

	if (b->n == 0)
		return;
	if (unlikely(w->cap != NULL))
		vxg_capture_tap(w->cap, w->id, port_id, queue_id, b->pkts, b->n, VXG_CAP_DIR_TX);
	sent = rte_eth_tx_burst(port_id, queue_id, b->pkts, b->n);
	w->stats.tx += sent;
	if (unlikely(sent < b->n)) {
		if (unlikely(w->trace.live != 0))
			vxg_trace_tx_refused(w, &b->pkts[sent], b->n - sent);
		w->stats.drops[VXG_DROP_tx_full] += b->n - sent;
		rte_pktmbuf_free_bulk(&b->pkts[sent], b->n - sent);
	}
	b->n = 0;
}

static void
worker_tx_flush_all(struct vxg_worker *w)
{
	const struct vxg_gen *g = w->gen;

	/* Each worker owns tx queue `id` on every port (control sized the ports so). */
	for (uint16_t i = 0; i < g->n_ifs; i++)
		worker_tx_flush(w, g->ifs[i].port_id, w->id);
}

/*
 * Frames control built for ports it cannot transmit on itself (no spare tx queue): they
 * join this worker's tx buffers and leave with its next flush.
 */
static uint32_t
worker_inject(struct vxg_worker *w)
{
	struct rte_mbuf *pkts[32];
	struct vxg_l2_burst b;
	unsigned n;

	if (w->inject_ring == NULL)
		return 0;
	n = rte_ring_sc_dequeue_burst(w->inject_ring, (void **)pkts, RTE_DIM(pkts), NULL);
	if (n > 0)
		vxg_worker_pcache_begin(w);
	b.n = 0;
	b.from_overlay = false;
	b.in_port = VXG_INJECT_NET;
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (m->port != VXG_INJECT_NET) {
			vxg_tx_enqueue(w, m->port, m);
			continue;
		}
		/* From the router on the control thread (ARP, ICMP, DHCP, held packets). */
		b.net[b.n] = vxg_net_by_vni(&w->gen->vx, vxg_meta(m)->vni);
		if (unlikely(b.net[b.n] == NULL)) {
			vxg_drop(w, m, VXG_DROP_no_stage); /* a reload took the network away */
			continue;
		}
		m->l2_len = RTE_ETHER_HDR_LEN;
		b.src[b.n] = 0;
		b.pkts[b.n++] = m;
	}
	if (b.n > 0)
		vxg_l2_output(w, &b);
	return n;
}

static uint32_t
worker_rx_all(struct vxg_worker *w)
{
	struct rte_mbuf *pkts[VXG_BURST_MAX];
	const struct vxg_gen *g = w->gen;
	uint32_t total = 0;

	for (uint16_t q = 0; q < w->n_rxq; q++) {
		const struct vxg_rxq *rxq = &w->rxqs[q];
		uint16_t n = rte_eth_rx_burst(rxq->port_id, rxq->queue_id, pkts, w->burst);
		uint8_t ifi;

		if (n == 0)
			continue;
		total += n;
		if (unlikely(w->cap != NULL))
			vxg_capture_tap(w->cap, w->id, rxq->port_id, rxq->queue_id, pkts, n,
				VXG_CAP_DIR_RX);
		ifi = g->if_of_port[rxq->port_id];
		if (unlikely(ifi == VXG_IF_NONE)) {
			w->stats.drops[VXG_DROP_no_stage] += n;
			rte_pktmbuf_free_bulk(pkts, n);
			continue;
		}
		/* The one test tracing costs when it is off. */
		if (unlikely(w->trace.budget != 0))
			vxg_trace_rx(w, &g->ifs[ifi], pkts, n);
		vxg_eth_input(w, &g->ifs[ifi], pkts, n);
	}
	w->stats.rx += total;
	return total;
}

/*
 * Idle back-off, as grout and OVS do it: after a run of empty passes, sleep a little,
 * longer as the run grows, up to idle_sleep_us. This is the only system call a worker
 * makes, and only when it has no packet in hand. Benchmarks set idle_sleep_us to 0.
 */
static void
worker_idle(struct vxg_worker *w)
{
	uint32_t us;

	if (w->idle_sleep_us == 0 || ++w->idle_passes < IDLE_PASSES_BEFORE_SLEEP)
		return;
	us = RTE_MIN(w->idle_passes - IDLE_PASSES_BEFORE_SLEEP + 1, w->idle_sleep_us);
	rte_delay_us_sleep(us);
}

static void
worker_pass(struct vxg_worker *w)
{
	uint64_t t0 = rte_rdtsc(), t1;
	uint32_t n;

	w->tsc = t0; /* the QoS meters' clock for this pass */
	n = worker_inject(w);

	n += worker_rx_all(w);

	if (n > 0) {
		worker_tx_flush_all(w);
		if (unlikely(w->trace.live != 0))
			vxg_trace_pass_end(w);
		w->idle_passes = 0;
		t1 = rte_rdtsc();
		w->stats.busy_cycles += t1 - t0;
	} else {
		worker_idle(w);
		t1 = rte_rdtsc();
		w->stats.idle_cycles += t1 - t0;
	}
	w->stats.iterations++;
}

int
vxg_worker_main(void *arg)
{
	struct vxg_worker *w = arg;

	rte_rcu_qsbr_thread_register(w->qsbr, w->id);
	rte_rcu_qsbr_thread_online(w->qsbr, w->id);
	w->running = true;
	while (w->running) {
		worker_poll_ctl(w);
		if (likely(w->gen != NULL && w->running))
			worker_pass(w);
		rte_rcu_qsbr_quiescent(w->qsbr, w->id);
	}
	rte_rcu_qsbr_thread_offline(w->qsbr, w->id);
	rte_rcu_qsbr_thread_unregister(w->qsbr, w->id);
	return 0;
}
