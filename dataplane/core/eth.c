/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet input: validate the L2 header and hand each packet to the stage its
 * interface role and ethertype call for: on the underlay, IPv4 goes to VXLAN decap; on an
 * access interface, the frame's VLAN (or none) names its network and L2 switches it; on
 * an external interface, IPv4 goes to the router from outside (through NAT). ARP and
 * pings to our own addresses go to the control thread; with a host tap (vxg_host.h), so
 * does what the underlay brings for the VTEP address that vxgate does not handle itself.
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l2/l2_fast.h"
#include "vxlan/vxlan_decap.h"
#include "pipeline.h"

/* The next stage of a frame that passes the Ethernet checks. */
#define ETH_TO_VXLAN VXG_DROP_MAX
#define ETH_TO_L2 (VXG_DROP_MAX + 1)
#define ETH_TO_PUNT (VXG_DROP_MAX + 2)
#define ETH_TO_NAT (VXG_DROP_MAX + 3)
#define ETH_IN_SLOT (VXG_DROP_MAX + 4) /* in slot b.n of the L2 burst */
#define ETH_TO_L3V6 (VXG_DROP_MAX + 5) /* IPv6 from outside: routed, not translated */

/* ICMP to the interface's or the VTEP's address: control answers pings (and only
 * control parses ICMP further). */
static inline bool
eth_icmp_to_us(const struct vxg_gen *g, const struct vxg_gen_if *in, const struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip;

	if (unlikely(m->data_len < RTE_ETHER_HDR_LEN + sizeof(*ip)))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);
	if (ip->next_proto_id != IPPROTO_ICMP)
		return false;
	return (in->addr != 0 && ip->dst_addr == in->addr) ||
	       (in->role == VXG_ROLE_UNDERLAY && g->vtep_addr != 0 && ip->dst_addr == g->vtep_addr);
}

/* Access frames: find the network of the frame's VLAN, then take the tag off. */
static inline enum vxg_drop_reason
eth_access(const struct vxg_gen_if *in, struct rte_mbuf *m, const struct vxg_gen_vxlan *vx,
	const struct vxg_gen_net **net, uint16_t *vlan)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint16_t ni, v = 0;

	/* The tag stays on for now: L2 rewrites or removes it on the way out. */
	if (eth->ether_type != RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		m->l2_len = RTE_ETHER_HDR_LEN;
	} else {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(eth + 1);

		v = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		if (v == 0)
			return VXG_DROP_vlan_unknown; /* priority tags: not carried */
		m->l2_len = RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr);
	}
	*vlan = v;
	if (unlikely(in->vlan_net == NULL))
		return VXG_DROP_vlan_unknown;
	ni = in->vlan_net[v];
	if (unlikely(ni == VXG_VLAN_NONE))
		return VXG_DROP_vlan_unknown;
	*net = &vx->nets[ni];
	return ETH_TO_L2;
}

static inline enum vxg_drop_reason
eth_classify(const struct vxg_gen *g, const struct vxg_gen_if *in, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	rte_be16_t type;

	if (unlikely(m->data_len < sizeof(*eth)))
		return VXG_DROP_eth_truncated;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	type = eth->ether_type;
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
		unlikely(m->data_len < sizeof(*eth) + sizeof(struct rte_vlan_hdr)))
		return VXG_DROP_eth_truncated;
	if (in->role == VXG_ROLE_ACCESS)
		return ETH_TO_L2; /* L2 checks the source, on the key it looks up */
	if (unlikely(rte_is_multicast_ether_addr(&eth->src_addr)))
		return VXG_DROP_eth_src_multicast;
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN))
		return VXG_DROP_vlan_unknown; /* routed interfaces are untagged */
	m->l2_len = sizeof(*eth);
	if (!rte_is_multicast_ether_addr(&eth->dst_addr) &&
		!rte_is_same_ether_addr(&eth->dst_addr, &in->mac))
		return VXG_DROP_not_for_us;
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		if (eth_icmp_to_us(g, in, m))
			return ETH_TO_PUNT;
		return in->role == VXG_ROLE_UNDERLAY ? ETH_TO_VXLAN : ETH_TO_NAT;
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6) && in->role == VXG_ROLE_EXTERNAL)
		return ETH_TO_L3V6;
	/* Control keeps the neighbour table and answers for our addresses. */
	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return ETH_TO_PUNT;
	return VXG_DROP_ethertype_unknown;
}

/* Is IPv4 frame m (on the underlay, header at l2_len) for the host: to the VTEP address, or
 * to the underlay's own MAC (Ethernet input let no other unicast through)? Pings of the
 * VTEP address stay control's, which answers them. */
static inline bool
eth_for_host(const struct vxg_gen *g, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip;
	const struct rte_icmp_hdr *icmp;
	uint16_t hl;

	if (m->data_len < m->l2_len + sizeof(*ip))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
	if (ip->dst_addr != g->vtep_addr)
		return !rte_is_multicast_ether_addr(&eth->dst_addr);
	if (ip->next_proto_id != IPPROTO_ICMP)
		return true;
	hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (m->data_len < m->l2_len + hl + sizeof(*icmp))
		return false;
	icmp = rte_pktmbuf_mtod_offset(m, const struct rte_icmp_hdr *, m->l2_len + hl);
	return icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST;
}

/*
 * With a host tap (g->host.tap), what Ethernet input would punt or drop (*r) on interface
 * in: true when m goes to control, its punt kind set; false leaves it dropped under *r.
 * On the underlay, ARP goes to the host (control copies it to the tap, then answers it),
 * and so does IPv4 for the host (eth_for_host), within the worker's rate, that is not
 * VXLAN (decap said so, or there is no VTEP) or is ICMP to us but no ping.
 */
static __rte_noinline __rte_cold bool
eth_host(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf *m,
	enum vxg_drop_reason *r)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	bool punt = *r == ETH_TO_PUNT;

	vxg_meta(m)->why = VXG_PUNT_UNDERLAY;
	if (in->role != VXG_ROLE_UNDERLAY)
		return punt;
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		vxg_meta(m)->why = VXG_PUNT_HOST;
		return punt;
	}
	if (!punt && *r != ETH_TO_VXLAN && *r != VXG_DECAP_NOT_VXLAN)
		return false;
	if (!eth_for_host(w->gen, m))
		return punt;
	if (!vxg_ratelimit_take(&w->host_rl, rte_rdtsc())) {
		*r = VXG_DROP_host_ratelimit;
		return false;
	}
	vxg_meta(m)->why = VXG_PUNT_HOST;
	return true;
}

/* What Ethernet input made of traced m (r: as the loop has it); VXLAN records its own. */
static __rte_noinline __rte_cold void
eth_trace(struct vxg_worker *w, struct rte_mbuf *m, unsigned r, const struct vxg_l2_burst *b)
{
	if (r == ETH_IN_SLOT && !b->from_overlay)
		vxg_trace_ev(w, m, VXG_TR_ETH, VXG_TR_ETH_ACCESS, (uint16_t)b->src[b->n],
			b->net[b->n]->vni, 0, 0, 0);
	else if (r == ETH_TO_NAT)
		vxg_trace_ev(w, m, VXG_TR_ETH, VXG_TR_ETH_EXTERNAL, 0, 0, 0, 0, 0);
	else if (r == ETH_TO_PUNT)
		vxg_trace_ev(w, m, VXG_TR_ETH, VXG_TR_ETH_FOR_US, 0, 0, 0, 0, 0);
}

/* The Ethernet stage of one burst, built twice: trace is a constant, so a pass that
 * traces nothing tests nothing per packet (vxg_eth_input picks the copy once a burst). */
static __rte_always_inline void
eth_input(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n,
	const bool trace)
{
	const struct vxg_gen_vxlan *vx = &w->gen->vx;
	struct rte_mbuf *nat[VXG_BURST_MAX], *punt[VXG_BURST_MAX], *v6[VXG_BURST_MAX];
	struct vxg_l2_burst b;
	struct vxg_l2_fast f;
	struct vxg_decap d;
	uint16_t n_punt = 0, n_nat = 0, n_v6 = 0;

	vxg_worker_pcache_begin(w);
	b.n = 0;
	b.from_overlay = in->role == VXG_ROLE_UNDERLAY;
	b.in_port = in->port_id;
	vxg_l2_fast_init(&f, w, b.from_overlay);
	vxg_decap_init(&d, w, in);
	/* No prefetch here: the header is read at once, and on replay (net_pcap copies each
	 * frame on rx) a prefetch only costs the mbuf load that computes its address. */
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum vxg_drop_reason r;
		uint16_t vlan;

		if (b.from_overlay && vx->enabled && vxg_decap_try(w, &d, m, &b)) {
			r = ETH_IN_SLOT; /* VXLAN's common case, Ethernet checks and all */
		} else {
			r = eth_classify(w->gen, in, m);
			if (r == ETH_TO_L2) {
				r = eth_access(in, m, vx, &b.net[b.n], &vlan);
				if (r == ETH_TO_L2) {
					b.src[b.n] = vlan;
					b.pkts[b.n] = m;
					r = ETH_IN_SLOT;
				}
			} else if (r == ETH_TO_VXLAN && vx->enabled) {
				r = vxg_decap_one(w, &d, m, &b);
				if (r == VXG_DECAP_OK) /* else why not */
					r = ETH_IN_SLOT;
			}
		}
		if (trace && vxg_traced(w, m))
			eth_trace(w, m, r, &b);
		if (r == ETH_IN_SLOT) {
			/* In slot b.n of b: switched (or routed) at once while the header is at
			 * hand, else left for the batched path. */
			if (!vxg_l2_fast_one_as(w, &f, &b, b.n, trace))
				b.n++;
		} else if (r == ETH_TO_NAT) {
			nat[n_nat++] = m;
		} else if (r == ETH_TO_L3V6) {
			v6[n_v6++] = m;
		} else if (r == ETH_TO_PUNT && !w->gen->host.tap) {
			vxg_meta(m)->why = VXG_PUNT_UNDERLAY;
			punt[n_punt++] = m;
		} else if (unlikely(w->gen->host.tap) && eth_host(w, in, m, &r)) {
			punt[n_punt++] = m;
		} else {
			vxg_drop(w, m, r == ETH_TO_VXLAN ? VXG_DROP_no_stage : r);
		}
	}
	vxg_l2_fast_end(w, &f);
	vxg_decap_count(w, &d);
	if (n_punt > 0)
		vxg_punt_burst(w, punt, n_punt);
	if (n_nat > 0)
		vxg_l3_outside_input(w, in, nat, n_nat);
	if (n_v6 > 0)
		vxg_l3v6_outside_input(w, in, v6, n_v6);
	vxg_l2_input_rest(w, &b);
}

static __rte_noinline __rte_cold void
eth_input_traced(
	struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	eth_input(w, in, pkts, n, true);
}

void
vxg_eth_input(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	if (unlikely(w->trace.live != 0))
		eth_input_traced(w, in, pkts, n);
	else
		eth_input(w, in, pkts, n, false);
}
