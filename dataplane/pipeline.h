/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The worker's pipeline, written down: the stages a packet goes through, in order, the
 * burst that travels between them, and each stage's entry point. This is the one header
 * that declares entry points one stage calls in another: a stage's files include this
 * header (and the inline fast paths of the stages after it), never an earlier stage's.
 *
 *   rx (core/worker.c; and the inject ring: frames control sends into a network, to l2 output)
 *    |
 *   eth (core/eth.c) ............................ ARP, pings of our addresses --> punt
 *    |  underlay: vxlan decap (vxlan/vxlan_decap.h) --.
 *    |  access: the frame's VLAN names its network ---+--> l2 input
 *    |  external: l3 from outside (below)
 *    v
 *   l2 input (l2/l2_input.c; its fast path l2/l2_fast.h)
 *    |  port security, learn, security groups between ports, FDB lookup
 *    |  known unicast, flood -------------------------------------------> l2 output
 *    |  to a router MAC
 *    v
 *   l3 (l3/l3.c; its fast path l3/l3_fast.c) ... for the router, no neighbour --> punt
 *    |  into a network (l3/l3_forward.c): security groups --------------> l2 output
 *    |  out of an interface (l3/l3_edge.c): security groups, NAT out ------> tx
 *    |     to one of our own NAT addresses (hairpin): back in through the NAT
 *    |     interface of the VPC it left, as from outside
 *    |  from outside (l3/l3_edge.c): NAT in, route into the VPC --------> l2 output
 *    v
 *   l2 output (l2/l2_output.c, l2/l2_output.h)
 *    |  to an access port, its VLAN tag rewritten --------------------------> tx
 *    |  to a remote VTEP: vxlan encap (vxlan/vxlan_encap.c, .h) ------------> tx
 *    |  flood: to every access port and VTEP of the network that takes it
 *    v
 *   tx (core/worker.c: each port's buffer, flushed once per pass)
 *
 * Dispatchers hand packets on, only to the stages after them: eth, l2 (input, then
 * output), l3. Transforms return verdicts or sub-bursts and call no other stage: port
 * security, security groups, NAT, QoS, VXLAN encapsulation and decapsulation. QoS
 * (qos/qos.h, inline) meters a port's frames where they leave, in l2 output and the
 * router's last step (the sender's egress, the receiver's ingress), and what NAT
 * translated for a floating IP or SNAT (vxg_meta(m)->qos) where the router sends it. Every stage may
 * end a packet at one of the exits: a tx buffer (vxg_tx_enqueue), the punt ring to the
 * control thread (vxg_punt_burst), or a counted drop (vxg_drop).
 *
 * Packet trace (core/trace.h): a packet marked at rx carries a record, and each stage adds
 * what it decided about it (vxg_traced(), then an out-of-line vxg_trace_*); the exits
 * below record where it ended.
 *
 * Thread-safety: everything here runs on one worker, on the worker's own bursts.
 */
#ifndef VXG_PIPELINE_H
#define VXG_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "core/trace.h"
#include "vxg_gen.h"
#include "vxg_l2.h"
#include "vxg_meta.h"
#include "vxg_nat.h"
#include "vxg_sg.h"
#include "vxg_stats.h"
#include "vxg_worker.h"

struct vxg_l3_fast; /* l3/l3_forward.h */

/* ---- The burst L2 takes ----------------------------------------------------------------- */

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

/* ---- Exits: every stage may end a packet here ------------------------------------------- */

/* Hand frames to the control thread (ARP, ICMP for our addresses); m->port stays the
 * input port. A full ring is a counted drop. */
static inline void
vxg_punt_burst(struct vxg_worker *w, struct rte_mbuf **pkts, uint16_t n)
{
	unsigned sent;

	if (unlikely(w->trace.live != 0)) {
		vxg_trace_punt_burst(w, pkts, n);
		return;
	}
	sent = rte_ring_mp_enqueue_burst(w->punt_ring, (void **)pkts, n, NULL);

	w->stats.punted += sent;
	if (unlikely(sent < n)) {
		w->stats.drops[VXG_DROP_punt_full] += n - sent;
		rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
	}
}

static inline void
vxg_drop(struct vxg_worker *w, struct rte_mbuf *m, enum vxg_drop_reason r)
{
	if (vxg_traced(w, m))
		vxg_trace_drop(w, m, r);
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
	if (vxg_traced(w, m))
		vxg_trace_tx(w, m, port_id);
	b->pkts[b->n++] = m;
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

/* ---- Dispatchers, in pipeline order ----------------------------------------------------- */

/* Ethernet input (core/eth.c): a burst one interface received. Each takes a burst and ends
 * every packet: transmit, punt or a counted drop. */
void vxg_eth_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);

/* L2 input (l2/l2_input.c): learn the sources, forward known unicast, flood the rest; hand what
 * is for a VPC router to vxg_l3_input. */
void vxg_l2_input(struct vxg_worker *w, struct vxg_l2_burst *b);
/* The same for frames vxg_l2_fast_one (l2/l2_fast.h) has declined. */
void vxg_l2_input_rest(struct vxg_worker *w, struct vxg_l2_burst *b);

/* L3 (l3/l3.c): frames to a network's gateway (Ethernet first, l2_len set, the access tag
 * kept), of network b->net[i]: route them, or punt what is for the router itself. */
void vxg_l3_input(struct vxg_worker *w, struct vxg_l2_burst *b);
/*
 * L3's fast path (l3/l3_fast.c), for L2 input's (l2/l2_fast.h): the router's common case,
 * whole, for a frame L2 takes for it (from network in, sent by port slot
 * vxg_meta(m)->lport): valid IPv4 with TTL to spare, to a next hop inside the VPC whose MAC
 * and FDB location the worker has cached, that fits the egress MTU, or out of a resolved
 * interface. True when m is routed and sent on, or waits in a batch of f (NAT, or the
 * security groups of either end) that vxg_l3_fast_flush sends; false leaves m untouched
 * for the batched path (vxg_l3_input). f: l3/l3_forward.h.
 */
bool vxg_l3_fast_one(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *in);
/* The security groups, NAT and the interfaces for what vxg_l3_fast_one batched. */
void vxg_l3_fast_flush(struct vxg_worker *w, struct vxg_l3_fast *f);
/* L3 from outside (l3/l3_edge.c): IPv4 frames (l2_len 14) that external interface `in`
 * received, not for its own address: NAT translates them in (vxg_nat_in), and the router
 * routes them into their VPC's networks. */
void vxg_l3_outside_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);

/* IPv6 from outside (l3/l3v6.c): IPv6 frames (l2_len 14) that external interface `in`
 * received: ND and ICMPv6 for its address6 to control, the rest routed into the VPC whose
 * /64 is the destination (IPv6 is routed, not translated). */
void vxg_l3v6_outside_input(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n);

/* L2 output (l2/l2_output.c): frames the router (or control, through the inject ring) sends into
 * networks b->net[i]: forward known unicast, flood the rest; no learning. b->from_overlay
 * is false and b->in_port VXG_INJECT_NET. */
void vxg_l2_output(struct vxg_worker *w, struct vxg_l2_burst *b);

/* ---- Transforms ------------------------------------------------------------------------- */

/* Port security (sg/sg.c) for frame i of b (L2 input), whose source MAC's FDB position is
 * spos (-1 none): VXG_DROP_MAX to pass, else the drop reason. *lport: the sender's port
 * slot + 1, 0 if it is no declared port. */
unsigned vxg_psec_check(const struct vxg_gen *g, const struct vxg_fdb *fdb,
	const struct vxg_l2_burst *b, uint16_t i, int32_t spos, uint16_t *lport);
/* Port security's IPv6 checks (sg/psec6.c) on IPv6 frame m from secured port lp:
 * VXG_DROP_MAX to pass, else the drop reason. */
unsigned vxg_psec6_check(const struct vxg_gen_lport *lp, const struct rte_mbuf *m);

/* Security groups (sg/sg.c) on frames about to be delivered from port lsrc[i] to port
 * ldst[i] (slots + 1, 0: none): verdict[i] VXG_DROP_MAX to pass, else the drop reason. */
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
/* The same in a pass that traces nothing (the caller knows: its untraced copy). */
bool vxg_sg_fast_untraced(
	struct vxg_worker *w, const struct rte_mbuf *m, uint16_t lsrc, uint16_t ldst, uint32_t now);
/* Security groups on flooded frame m of net (vxg_sg_flood, when net->sg_flood is set and
 * vxgate did not send m): what every target's ports judge, read once. */
void vxg_sg_flood_parse(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct rte_mbuf *m, struct vxg_sg_flood_pkt *fp);
/* Does flood target t of net take the frame? VXG_DROP_MAX, else why its copy is dropped.
 * Counts each of its ports' verdict (allowed, denied) and the rules that matched. */
unsigned vxg_sg_flood_take(struct vxg_worker *w, const struct vxg_gen_net *net,
	const struct vxg_sg_flood_pkt *fp, uint32_t t);

/* NAT (nat/). A chunk: at most this many packets in one call, one bulk lookup. */
#define VXG_NAT_CHUNK RTE_HASH_LOOKUP_BULK_MAX

/* What NAT inbound hands back to the router: the packets it translated, each with the VPC
 * (generation index) it goes into. Lives on the caller's stack. */
struct vxg_nat_in_burst {
	uint16_t n;
	struct rte_mbuf *pkts[VXG_NAT_CHUNK];
	uint16_t vpc[VXG_NAT_CHUNK];
};

/* At most VXG_NAT_CHUNK IPv4 frames (l2_len 14) that external interface `in` received,
 * not for its own address (nat/nat_in.c): translated to a floating IP's port or an SNAT
 * session's inside end, into o; pings of an SNAT address punted (to be answered from
 * `in`); the rest dropped. */
void vxg_nat_in(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts,
	uint16_t n, struct vxg_nat_in_burst *o, bool hairpin);
/*
 * The router made the ICMP error at offset l3 of m out of a packet that vxg_nat_in had
 * translated into VPC vpc of g (a floating IP's, or an SNAT session's reply): quote that
 * packet as its sender sent it, destination (and for SNAT its port or echo identifier)
 * translated back; the outer source stays. The quoted IPv4 and TCP/UDP checksums and the
 * ICMP checksum are updated. False (then m may be changed) when no floating IP or live
 * session matches the quote, or it is too short (vxg_nat_icmp_error).
 */
bool vxg_nat_in_unquote(const struct vxg_gen *g, uint16_t vpc, struct rte_mbuf *m, uint16_t l3);

/* What vxg_nat_out made of a packet. */
enum vxg_nat_verdict {
	VXG_NAT_TX, /* translated (or left alone): out of the NAT interface */
	VXG_NAT_LOOP, /* translated, to one of our NAT addresses: into the inbound path */
	VXG_NAT_DROPPED, /* dropped and counted */
	VXG_NAT_LOCAL, /* untranslated, to control: a ping of an SNAT address (router's own) */
};

/* At most VXG_NAT_CHUNK packets (l2_len set) that VPC vpc[i] routes out of its NAT
 * interface (nat/nat_out.c): translate their sources; res[i] enum vxg_nat_verdict. Returns
 * how many are VXG_NAT_LOOP. */
unsigned vxg_nat_out(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n,
	uint8_t *res);

/* An SNAT flow's session, as the fast path finds it (vxg_nat_fast_find). */
struct vxg_nat_fast {
	struct vxg_nat_table *t;
	struct vxg_nat_sess *s;
	uint8_t tcp_flags;
};

/*
 * SNAT's fast path for one packet (valid IPv4, l2_len set) that VPC vpc routes out of its
 * NAT interface: true, and its session in nf, when its flow's session is in the worker's
 * exact-match cache and its destination is none of the NAT addresses. Nothing is changed
 * either way: the router translates it with vxg_nat_fast_commit (nat/nat_out.h) once it
 * has let it through the sender's security groups; false leaves it to vxg_nat_out (which
 * caches the session).
 */
bool vxg_nat_fast_find(
	struct vxg_worker *w, const struct rte_mbuf *m, uint16_t vpc, struct vxg_nat_fast *nf);

/* VXLAN encapsulation (vxlan/vxlan_encap.c): one inner frame of net to remote VTEP `ip` (vtep:
 * its entry, NULL if the config does not name it), queued on the underlay. The common case
 * is inline (vxg_encap_fast, vxlan/vxlan_encap.h); decapsulation is all inline
 * (vxlan/vxlan_decap.h). */
void vxg_vxlan_encap(struct vxg_worker *w, const struct vxg_gen_vtep *vtep, rte_be32_t ip,
	const struct vxg_gen_net *net, struct rte_mbuf *m);

#endif
