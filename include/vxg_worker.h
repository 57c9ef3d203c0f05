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
#include <string.h>

#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "vxg_gen.h"
#include "vxg_l3.h"
#include "vxg_meta.h"
#include "vxg_pcache.h"
#include "vxg_ratelimit.h"
#include "vxg_stats.h"

#define VXG_BURST_MAX 256
#define VXG_WORKER_RXQ_MAX 64
#define VXG_FDB_CACHE 2048 /* per-worker FDB position cache, a power of 2 (8 KB) */
#define VXG_L3N_CACHE 256 /* per-worker router neighbour position cache, a power of 2 */

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

	/* Written by the worker, read by control. */
	uint64_t gen_applied;
	struct vxg_worker_stats stats;

	/* Private to the worker. */
	struct vxg_gen *gen;
	bool running;
	uint32_t idle_passes;
	struct vxg_ratelimit icmp_rl; /* ICMP errors the router sends */
	/* The clock of FDB, conntrack and NAT ages (vxg_worker_now): seconds of the TSC, and
	 * the TSC at which the next second starts. */
	uint32_t now;
	uint64_t now_end;
	/* FDB positions of recently seen keys (position + 1, 0: empty), checked against the
	 * entry's key before use: an entry deleted or reused meanwhile simply misses. */
	uint32_t fdb_cache[VXG_FDB_CACHE];
	/* The same for router neighbours. */
	uint32_t l3n_cache[VXG_L3N_CACHE];
	/* Exact-match caches of conntrack and NAT session positions (vxg_pcache.h), valid
	 * for the epoch and the generation they were filled under. */
	uint32_t pc_epoch;
	uint64_t pc_gen;
	struct vxg_pcache ct_pc, nat_pc;
	/* Security group counters per port slot (VXG_LPORT_MAX), set by control before
	 * launch; NULL: not counted. Survive reloads; control reads them racily. */
	struct vxg_lport_ctr *lport_ctr;
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

/*
 * A burst for the L2 stage: frames (Ethernet first) of the networks they belong to, and
 * where each came from. One burst comes from one interface: the overlay (decapsulated on
 * the underlay) or one access interface. Lives on the worker's stack.
 */
struct vxg_l2_burst {
	uint16_t n;
	bool from_overlay;
	uint16_t in_port; /* access: the DPDK port it came in on */
	struct rte_mbuf *pkts[VXG_BURST_MAX];
	const struct vxg_gen_net *net[VXG_BURST_MAX];
	uint32_t src[VXG_BURST_MAX]; /* overlay: sending VTEP (network order); access: VLAN */
};

/* Where frame i of b came from, as an FDB location. */
static inline union vxg_fdb_loc
vxg_l2_src_loc(const struct vxg_l2_burst *b, uint16_t i)
{
	union vxg_fdb_loc loc = {.u64 = 0};

	if (b->from_overlay) {
		loc.kind = VXG_FDB_REMOTE;
		loc.vtep = b->src[i];
	} else {
		loc.kind = VXG_FDB_LOCAL;
		loc.port_id = b->in_port;
		loc.vlan = (uint16_t)b->src[i];
	}
	return loc;
}

/* Hand frames to the control thread (ARP, ICMP for our addresses); m->port stays the
 * input port. A full ring is a counted drop. */
static inline void
vxg_punt_burst(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	unsigned sent = rte_ring_mp_enqueue_burst(w->punt_ring, (void **)pkts, n, NULL);

	w->stats.punted += sent;
	if (unlikely(sent < n)) {
		w->stats.drops[VXG_DROP_punt_full] += n - sent;
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	}
}

/* Hot-path stages (dataplane/). Each takes a burst and ends every packet: transmit,
 * punt or a counted drop. */
void vxg_eth_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);
/* Encapsulate one inner frame of net to remote VTEP `ip` (vtep: its entry, NULL if the
 * config does not name it) and queue it on the underlay. */
void vxg_vxlan_encap(struct vxg_worker *w, const struct vxg_gen_vtep *vtep, rte_be32_t ip,
	const struct vxg_gen_net *net, struct rte_mbuf *m);
/* Learn the sources, forward known unicast, flood the rest; hand what is for a VPC
 * router to vxg_l3_input. */
void vxg_l2_input(struct vxg_worker *w, struct vxg_l2_burst *b);
/* The same for frames vxg_l2_fast_one (dataplane/l2_fast.h) has declined. */
void vxg_l2_input_rest(struct vxg_worker *w, struct vxg_l2_burst *b);
/* Frames the router (or control, through the inject ring) sends into networks b->net[i]:
 * forward known unicast, flood the rest; no learning. b->from_overlay is false and
 * b->in_port VXG_INJECT_NET. */
void vxg_l2_output(struct vxg_worker *w, struct vxg_l2_burst *b);
/* Frames to a network's gateway (Ethernet first, l2_len set, the access tag kept), of
 * network b->net[i]: route them, or punt what is for the router itself. */
void vxg_l3_input(struct vxg_worker *w, struct vxg_l2_burst *b);

/* Packets from outside a VPC (its NAT interface, translated; l2_len 14, IPv4 header
 * valid) for VPC vpc[i] (generation index): route them into its networks. */
void vxg_l3_from_outside(
	struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n);
/* IPv4 frames (l2_len 14) that external interface `in` received, not for its own address:
 * translate those to a floating IP or SNAT address and route them in; drop the rest. */
void vxg_nat_in(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);
/* At most 64 packets (l2_len set) that VPC vpc[i] routes out of its NAT interface:
 * translate their sources; res[i] enum vxg_nat_verdict. Returns how many are
 * VXG_NAT_LOOP. */
unsigned vxg_nat_out(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n,
	uint8_t *res);
/*
 * SNAT for one packet (valid IPv4, l2_len set) that VPC vpc routes out of its NAT
 * interface, whole, when its flow's session is in the worker's exact-match cache and its
 * destination is none of the NAT addresses; lsrc (slot + 1, or 0) is the sender's port
 * when it has security groups, which must pass it on the conntrack hit path
 * (vxg_sg_fast). True: translated and counted, for the caller to send. False: nothing
 * done; vxg_nat_out decides (and caches the session).
 */
bool vxg_nat_fast_out(
	struct vxg_worker *w, struct rte_mbuf *m, uint16_t vpc, uint16_t lsrc, uint32_t now);

/* Port security for frame i of b (L2 input), whose source MAC's FDB position is spos (-1
 * none): VXG_DROP_MAX to pass, else the drop reason. *lport: the sender's port slot + 1,
 * 0 if it is no declared port. */
unsigned vxg_psec_check(const struct vxg_gen *g, const struct vxg_fdb *fdb,
	const struct vxg_l2_burst *b, uint16_t i, int32_t spos, uint16_t *lport);
/* Security groups on frames about to be delivered from port lsrc[i] to port ldst[i]
 * (slots + 1, 0: none): verdict[i] VXG_DROP_MAX to pass, else the drop reason. */
void vxg_sg_filter(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *lsrc,
	const uint16_t *ldst, uint16_t n, unsigned *verdict);
/*
 * The conntrack hit path for one packet from port lsrc to port ldst (slots + 1), whole,
 * when either has groups: true when m (valid IPv4) belongs to a connection in the worker's
 * exact-match cache that the current rules allow; its entry is touched and the ports'
 * counters are counted. False: nothing done; vxg_sg_filter decides (and caches the hit).
 */
bool vxg_sg_fast(
	struct vxg_worker *w, const struct rte_mbuf *m, uint16_t lsrc, uint16_t ldst, uint32_t now);

/* Security groups on flooded frame m of net (vxg_sg_flood, when net->sg_flood is set and
 * vxgate did not send m): what every target's ports judge, read once. */
void vxg_sg_flood_parse(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct rte_mbuf *m, struct vxg_sg_flood_pkt *fp);
/* Does flood target t of net take the frame? VXG_DROP_MAX, else why its copy is dropped.
 * Counts each of its ports' verdict (allowed, denied) and the rules that matched. */
unsigned vxg_sg_flood_take(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct vxg_sg_flood_pkt *fp, uint32_t t);

static inline void
vxg_drop(struct vxg_worker *w, struct rte_mbuf *m, enum vxg_drop_reason r)
{
	w->stats.drops[r]++;
	rte_pktmbuf_free(m);
}

/*
 * Frames in the L2 stage keep the 802.1Q tag they came with (m->l2_len 18; 14 untagged):
 * a frame forwarded between ports of the same VLAN has its tag rewritten, not moved twice.
 * This takes it off (the MACs move up 4 bytes: read both words, then write).
 */
static inline void
vxg_vlan_pop(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint64_t a;
	uint32_t b;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 4);
	memcpy(p + 4, &a, 8);
	memcpy(p + 12, &b, 4);
	rte_pktmbuf_adj(m, 4);
	m->l2_len = RTE_ETHER_HDR_LEN;
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
