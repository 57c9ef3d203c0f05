/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router: frames L2 found addressed to a network's gateway are routed through
 * their VPC's rte_lpm table to a next hop inside one of its networks (its MAC from the
 * router neighbour table, its location from the FDB) or out of an external interface.
 * TTL is decremented incrementally; expiry, no route and too-big-with-DF turn the packet
 * into an ICMP error in place (rate-limited); too big without DF is fragmented. What is
 * for the router itself (ARP, ping, DHCP) and packets whose next hop has no MAC yet go
 * to the control thread.
 */
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "l2/l2_fast.h"
#include "vxg_ct.h"
#include "vxg_ipv4.h"
#include "vxg_icmp.h"
#include "vxg_l3.h"
#include "pipeline.h"

/* ---- The router stage ------------------------------------------------------------------ */

#define L3_CHUNK RTE_HASH_LOOKUP_BULK_MAX
#define L3_FRAGS_MAX 8 /* a 9000-byte packet into 1280-byte fragments fits */

struct l3_chunk {
	uint16_t n; /* packets with a route to a next hop in a network */
	struct rte_mbuf *pkts[L3_CHUNK];
	const struct vxg_gen_net *out[L3_CHUNK];
	struct vxg_l3_nkey keys[L3_CHUNK];
	int32_t pos[L3_CHUNK];
	struct vxg_l3_ext ext; /* packets routed out of an interface */
};

/* Everything leaving the router: into networks (L2 output) or to the control thread. */
struct l3_out {
	struct vxg_worker *w;
	struct vxg_l2_burst *l2;
	uint16_t n_punt;
	struct rte_mbuf *punt[VXG_BURST_MAX];
};

static inline struct rte_ipv4_hdr *
l3_ip(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
}

static inline rte_be16_t
l3_ethertype(const struct rte_mbuf *m)
{
	return *rte_pktmbuf_mtod_offset(m, const rte_be16_t *, m->l2_len - 2);
}

static inline void
l3_to_net(struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *net)
{
	struct vxg_l2_burst *b = o->l2;

	if (unlikely(b->n == VXG_BURST_MAX)) {
		vxg_drop(o->w, m, VXG_DROP_tx_full); /* fragments of a burst of jumbo packets */
		return;
	}
	b->pkts[b->n] = m;
	b->net[b->n] = net;
	b->src[b->n] = 0;
	b->n++;
}

/* Untagged, with what control needs to know about it. */
static inline void
l3_punt(struct l3_out *o, struct rte_mbuf *m, enum vxg_punt_why why, uint32_t vni, rte_be32_t nh)
{
	struct vxg_meta *meta = vxg_meta(m);

	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m);
	meta->why = why;
	meta->vni = vni;
	meta->nexthop = nh;
	o->punt[o->n_punt++] = m;
}

/*
 * An ICMP error built in m (vxg_icmp_error), sent back to the hop it came from: within the
 * worker's budget of errors, from MAC `src`, counted under ev. True: m is ready to go;
 * false: out of budget, m dropped under r.
 */
static inline bool
l3_icmp_return(struct vxg_worker *w, struct rte_mbuf *m, const struct rte_ether_addr *src,
	enum vxg_drop_reason r, enum vxg_event ev)
{
	struct rte_ether_hdr *eth;

	if (!vxg_ratelimit_take(&w->icmp_rl, rte_rdtsc())) {
		w->stats.events[VXG_EV_icmp_ratelimited]++;
		vxg_drop(w, m, r);
		return false;
	}
	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	eth->dst_addr = eth->src_addr;
	eth->src_addr = *src;
	w->stats.events[ev]++;
	return true;
}

/*
 * Turn m into an ICMP error from the gateway of `in`, back to the hop it came from
 * (MACs swapped: the sender's MAC is on the ingress network). Without a token or when
 * RFC 1812 forbids the error, m is dropped under `r`.
 */
static void
l3_icmp_error(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *in, uint8_t type, uint8_t code, uint32_t info,
	enum vxg_drop_reason r, enum vxg_event ev)
{
	/* Whether an error may be sent at all first: a flood of packets no error may be
	 * about (from broadcast sources, say) must not spend the budget of real errors. */
	if (!vxg_icmp_error(m, type, code, info, rte_be_to_cpu_32(in->gw_ip))) {
		vxg_drop(w, m, r);
		return;
	}
	if (!l3_icmp_return(w, m, &in->gw_mac, r, ev))
		return;
	vxg_meta(m)->lport = VXG_LPORT_SELF; /* the router's own: no group filters it */
	l3_to_net(o, m, in);
}

/* Local delivery: the router answers pings (and port-unreachable) and serves DHCP. */
static inline void
l3_local(struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in)
{
	bool dhcp = in->dhcp && vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT);

	l3_punt(o, m, dhcp ? VXG_PUNT_DHCP : VXG_PUNT_ROUTER, in->vni, 0);
}

/*
 * A packet to one of the router's own addresses meets its sender's egress rules, as in
 * Neutron: a port whose groups do not let ICMP out gets no echo reply from a gateway.
 * DHCP to the server always passes (as ARP does: it never comes here). One packet at a
 * time: these go to the control thread anyway. False: m dropped.
 */
static bool
l3_local_egress(struct vxg_worker *w, struct rte_mbuf *m)
{
	uint16_t lsrc = vxg_meta(m)->lport, none = 0;
	unsigned verdict;

	if (lsrc == 0 || lsrc == VXG_LPORT_SELF ||
		vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT))
		return true;
	vxg_sg_filter(w, &m, &lsrc, &none, 1, &verdict);
	if (likely(verdict == VXG_DROP_MAX))
		return true;
	vxg_drop(w, m, (enum vxg_drop_reason)verdict);
	return false;
}

/* Broadcasts reach the router only as ARP for its address or DHCP (see l2_check). */
static inline bool
l3_classify(
	struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m, const struct vxg_gen_net *in)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	rte_be16_t type = l3_ethertype(m);

	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		l3_punt(o, m, VXG_PUNT_ROUTER, in->vni, 0);
		return false;
	}
	if (unlikely(type != RTE_BE16(RTE_ETHER_TYPE_IPV4))) {
		vxg_drop(w, m, VXG_DROP_l3_not_ip);
		return false;
	}
	switch (vxg_ipv4_check(m, m->l2_len)) {
	case VXG_IPV4_OK:
		break;
	case VXG_IPV4_BAD_CHECKSUM:
		vxg_drop(w, m, VXG_DROP_ip_bad_checksum);
		return false;
	default:
		vxg_drop(w, m, VXG_DROP_ip_bad_header);
		return false;
	}
	if (unlikely(rte_is_multicast_ether_addr(&eth->dst_addr))) {
		if (in->dhcp && vxg_ipv4_udp_dport(m, m->l2_len) == RTE_BE16(VXG_DHCP_SERVER_PORT))
			l3_local(o, m, in);
		else
			vxg_drop(w, m, VXG_DROP_l3_broadcast);
		return false;
	}
	return true;
}

/* The L2 rewrite and TTL of a packet leaving the router; Ethernet padding goes. */
static inline void
l3_rewrite(struct rte_mbuf *m, const struct rte_ether_addr *src, const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = l3_ip(m);
	uint32_t len = m->l2_len + rte_be_to_cpu_16(ip->total_length);

	if (unlikely(m->pkt_len > len))
		rte_pktmbuf_trim(m, m->pkt_len - len);
	vxg_ipv4_ttl_dec(ip);
	eth->src_addr = *src;
	eth->dst_addr = *dst;
}

/*
 * Too big without DF: m becomes fragments (RFC 791) of at most mtu bytes, each with m's
 * L2 header. Returns how many are in frags; 0 when m was dropped (no mbufs).
 */
static unsigned
l3_fragment(struct vxg_worker *w, struct rte_mbuf *m, uint16_t mtu, struct rte_mbuf **frags)
{
	uint8_t l2[RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr)];
	uint16_t l2_len = m->l2_len;
	unsigned k = 0;
	int n;

	memcpy(l2, rte_pktmbuf_mtod(m, void *), l2_len);
	rte_pktmbuf_adj(m, l2_len);
	n = rte_ipv4_fragment_packet(m, frags, L3_FRAGS_MAX, mtu, m->pool, m->pool);
	if (unlikely(n <= 0)) {
		vxg_drop(w, m, VXG_DROP_mbuf_exhausted);
		return 0;
	}
	rte_pktmbuf_free(m);
	w->stats.events[VXG_EV_fragmented]++;
	for (int i = 0; i < n; i++) {
		struct rte_mbuf *f = frags[i];
		struct rte_ipv4_hdr *ip;
		uint8_t *p;

		if (rte_pktmbuf_linearize(f) < 0 ||
			(p = (uint8_t *)rte_pktmbuf_prepend(f, l2_len)) == NULL) {
			vxg_drop(w, f, VXG_DROP_mbuf_exhausted);
			continue;
		}
		memcpy(p, l2, l2_len);
		f->l2_len = l2_len;
		ip = l3_ip(f);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		frags[k++] = f;
	}
	return k;
}

/* Bigger than mtu: with DF an ICMP error (true, m consumed), else false. */
static inline bool
l3_too_big_df(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *in, uint16_t mtu)
{
	const struct rte_ipv4_hdr *ip = l3_ip(m);

	if (likely(rte_be_to_cpu_16(ip->total_length) <= mtu) ||
		!(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)))
		return false;
	l3_icmp_error(w, o, m, in, VXG_ICMP_DEST_UNREACH, VXG_ICMP_FRAG_NEEDED, mtu,
		VXG_DROP_frag_needed, VXG_EV_icmp_frag_needed);
	return true;
}

/* Out of an external interface, to its gateway (resolved, DF checked: l3_route_one). */
static void
l3_to_interface(struct vxg_worker *w, struct rte_mbuf *m, const struct vxg_nh *nh)
{
	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m);
	l3_rewrite(m, &nh->src_mac, &nh->dst_mac);
	w->stats.events[VXG_EV_routed]++;
	if (unlikely(rte_be_to_cpu_16(l3_ip(m)->total_length) > nh->mtu)) {
		struct rte_mbuf *frags[L3_FRAGS_MAX];
		unsigned n = l3_fragment(w, m, nh->mtu, frags);

		for (unsigned i = 0; i < n; i++)
			vxg_tx_enqueue(w, nh->port_id, frags[i]);
		return;
	}
	vxg_tx_enqueue(w, nh->port_id, m);
}

/* After the route lookup: local, TTL, no route, external, or a neighbour to look up. */
static void
l3_route_one(struct vxg_worker *w, const struct vxg_gen *g, struct l3_out *o, struct l3_chunk *c,
	struct rte_mbuf *m, const struct vxg_gen_net *in, uint32_t nhi)
{
	const struct vxg_l3_vpc *l3 = &g->vpcs[in->vpc_idx].l3;
	struct rte_ipv4_hdr *ip = l3_ip(m);
	const struct vxg_nh *nh;
	const struct vxg_gen_net *out;
	uint16_t k;

	nh = nhi != VXG_L3_NO_ROUTE ? &l3->nhs[nhi] : NULL;
	out = nh != NULL && nh->gnet != UINT16_MAX ? &g->vx.nets[nh->gnet] : NULL;
	if (out != NULL && nh->kind == VXG_NH_CONNECTED && ip->dst_addr == out->gw_ip) {
		if (likely(!g->sg_on) || l3_local_egress(w, m))
			l3_local(o, m, in);
		return;
	}
	if (unlikely(ip->time_to_live <= 1)) {
		l3_icmp_error(w, o, m, in, VXG_ICMP_TIME_EXCEEDED, 0, 0, VXG_DROP_ttl_exceeded,
			VXG_EV_icmp_time_exceeded);
		return;
	}
	if (unlikely(nh == NULL || (out == NULL && nh->kind != VXG_NH_INTERFACE))) {
		l3_icmp_error(w, o, m, in, VXG_ICMP_DEST_UNREACH, VXG_ICMP_NET_UNREACH, 0,
			VXG_DROP_no_route, VXG_EV_icmp_unreachable);
		return;
	}
	if (nh->kind == VXG_NH_INTERFACE) {
		if (unlikely(!nh->resolved)) {
			vxg_drop(w, m, VXG_DROP_nh_unresolved);
			return;
		}
		/* before NAT: the error quotes what the sender sent */
		if (l3_too_big_df(w, o, m, in, nh->mtu))
			return;
		k = c->ext.n++;
		c->ext.pkts[k] = m;
		c->ext.nh[k] = nh;
		c->ext.in[k] = in;
		return;
	}
	if (l3_too_big_df(w, o, m, in, out->mtu))
		return;
	k = c->n++;
	c->pkts[k] = m;
	c->out[k] = out;
	c->keys[k].vni = out->vni;
	c->keys[k].ip = nh->kind == VXG_NH_GATEWAY ? rte_cpu_to_be_32(nh->gateway) : ip->dst_addr;
	c->keys[k].pad = 0;
}

/*
 * Into the egress network: to the neighbour's MAC, or, when it has none yet, to the
 * control thread that resolves it (L2 source and TTL already done there). Too big
 * without DF: fragments, each sent or punted alike. (DF was dealt with at the lookup.)
 */
static void
l3_forward(struct vxg_worker *w, struct l3_out *o, struct rte_mbuf *m,
	const struct vxg_gen_net *out, union vxg_l3_nmac mac, rte_be32_t nh)
{
	struct rte_mbuf *frags[L3_FRAGS_MAX];
	unsigned n = 1;

	l3_rewrite(m, &out->gw_mac, &mac.mac);
	if (unlikely(rte_be_to_cpu_16(l3_ip(m)->total_length) > out->mtu))
		n = l3_fragment(w, m, out->mtu, frags);
	else
		frags[0] = m;
	if (likely(mac.valid)) {
		w->stats.events[VXG_EV_routed] += n > 0;
		for (unsigned i = 0; i < n; i++)
			l3_to_net(o, frags[i], out);
		return;
	}
	w->stats.events[VXG_EV_neigh_miss] += n > 0;
	for (unsigned i = 0; i < n; i++)
		l3_punt(o, frags[i], VXG_PUNT_NEIGH_MISS, out->vni, nh);
}

static inline uint32_t
l3_cache_slot(const struct vxg_l3_nkey *k)
{
	uint64_t h = ((uint64_t)k->vni << 32 | k->ip) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 56) & (VXG_L3N_CACHE - 1);
}

/*
 * Positions of the chunk's neighbour keys: the previous packet's, the worker's cache
 * (checked against the entry's key: an entry deleted or reused meanwhile just misses),
 * or one bulk lookup for the rest.
 */
static inline void
l3_neigh_lookup(struct vxg_worker *w, const struct vxg_l3_neigh_table *t, struct l3_chunk *c)
{
	const void *kp[L3_CHUNK];
	uint8_t map[L3_CHUNK];
	int32_t res[L3_CHUNK];
	uint16_t n = 0;

	if (unlikely(t == NULL)) {
		memset(c->pos, 0xff, sizeof(c->pos));
		return;
	}
	for (uint16_t j = 0; j < c->n; j++) {
		const struct vxg_l3_nkey *k = &c->keys[j];
		uint32_t e;

		if (j > 0 && k->vni == c->keys[j - 1].vni && k->ip == c->keys[j - 1].ip) {
			c->pos[j] = c->pos[j - 1];
			map[j] = map[j - 1];
			continue;
		}
		e = w->l3n_cache[l3_cache_slot(k)];
		if (e != 0 && t->e[e - 1].key.vni == k->vni && t->e[e - 1].key.ip == k->ip) {
			c->pos[j] = (int32_t)e - 1;
			continue;
		}
		c->pos[j] = INT32_MIN;
		map[j] = (uint8_t)n;
		kp[n++] = k;
	}
	if (n == 0)
		return;
	rte_hash_lookup_bulk(t->h, kp, n, res);
	for (uint16_t j = 0; j < c->n; j++) {
		if (c->pos[j] != INT32_MIN)
			continue;
		c->pos[j] = res[map[j]];
		if (c->pos[j] >= 0)
			w->l3n_cache[l3_cache_slot(&c->keys[j])] = (uint32_t)c->pos[j] + 1;
	}
}

/* The chunk's packets to their next hops' MACs (looked up in bulk), or to control. */
static void
l3_chunk_forward(
	struct vxg_worker *w, const struct vxg_gen *g, struct l3_chunk *c, struct l3_out *o)
{
	l3_neigh_lookup(w, g->l3n, c);
	for (uint16_t j = 0; j < c->n; j++) {
		union vxg_l3_nmac mac = {.u64 = 0};

		if (c->pos[j] >= 0)
			mac.u64 = __atomic_load_n(&g->l3n->e[c->pos[j]].mac.u64, __ATOMIC_ACQUIRE);
		l3_forward(w, o, c->pkts[j], c->out[j], mac, c->keys[j].ip);
	}
}

/*
 * Out of the VPC: the senders' egress rules (all there is to check), then NAT for what
 * leaves by a VPC's NAT interface, then the interface; what NAT turned towards one of
 * our own NAT addresses comes back in through the external side (hairpin).
 */
static void
l3_ext_run(struct vxg_worker *w, const struct vxg_gen *g, struct vxg_l3_ext *x)
{
	struct rte_mbuf *nat[VXG_L3_EXT_MAX], *loop[VXG_L3_EXT_MAX];
	uint16_t nat_vpc[VXG_L3_EXT_MAX], nat_idx[VXG_L3_EXT_MAX], n_nat = 0, n_loop = 0;
	uint8_t res[VXG_L3_EXT_MAX];
	bool tx[VXG_L3_EXT_MAX];

	if (unlikely(g->sg_on)) {
		uint16_t lsrc[VXG_L3_EXT_MAX], none[VXG_L3_EXT_MAX];
		unsigned verdict[VXG_L3_EXT_MAX];

		for (uint16_t i = 0; i < x->n; i++) {
			lsrc[i] = vxg_meta(x->pkts[i])->lport;
			none[i] = 0;
		}
		vxg_sg_filter(w, x->pkts, lsrc, none, x->n, verdict);
		for (uint16_t i = 0; i < x->n; i++) {
			tx[i] = verdict[i] == VXG_DROP_MAX;
			if (!tx[i])
				vxg_drop(w, x->pkts[i], (enum vxg_drop_reason)verdict[i]);
		}
	} else {
		memset(tx, 1, sizeof(tx[0]) * x->n);
	}
	for (uint16_t i = 0; g->nat_on && i < x->n; i++) {
		const struct vxg_gen_nat *gn = &g->vpcs[x->in[i]->vpc_idx].nat;

		if (!tx[i] || !gn->on || x->nh[i]->port_id != gn->port_id)
			continue;
		nat[n_nat] = x->pkts[i];
		nat_vpc[n_nat] = x->in[i]->vpc_idx;
		nat_idx[n_nat++] = i;
	}
	if (n_nat > 0) {
		vxg_nat_out(w, nat, nat_vpc, n_nat, res);
		for (uint16_t j = 0; j < n_nat; j++) {
			uint16_t i = nat_idx[j];

			tx[i] = res[j] == VXG_NAT_TX;
			if (res[j] != VXG_NAT_LOOP)
				continue;
			if (x->pkts[i]->l2_len > RTE_ETHER_HDR_LEN)
				vxg_vlan_pop(x->pkts[i]);
			loop[n_loop++] = x->pkts[i];
		}
	}
	for (uint16_t i = 0; i < x->n; i++)
		if (tx[i])
			l3_to_interface(w, x->pkts[i], x->nh[i]);
	if (n_loop > 0) {
		const struct vxg_gen_nat *gn = &g->vpcs[x->in[nat_idx[0]]->vpc_idx].nat;

		w->stats.events[VXG_EV_nat_hairpin] += n_loop;
		vxg_nat_in(w, &g->ifs[gn->ifindex], loop, n_loop);
	}
	x->n = 0;
}

static void
l3_chunk_run(
	struct vxg_worker *w, struct vxg_l2_burst *b, uint16_t first, uint16_t n, struct l3_out *o)
{
	const struct vxg_gen *g = w->gen;
	struct rte_mbuf *pkts[L3_CHUNK];
	const struct vxg_gen_net *in[L3_CHUNK];
	uint32_t dst[L3_CHUNK], nh[L3_CHUNK];
	struct l3_chunk c;
	uint16_t k = 0;
	bool one_vpc = true;

	for (uint16_t i = first; i < first + n; i++) {
		if (!l3_classify(w, o, b->pkts[i], b->net[i]))
			continue;
		pkts[k] = b->pkts[i];
		in[k] = b->net[i];
		dst[k] = rte_be_to_cpu_32(l3_ip(pkts[k])->dst_addr);
		one_vpc &= in[k]->vpc_idx == in[0]->vpc_idx;
		k++;
	}
	if (k == 0)
		return;
	if (one_vpc) {
		vxg_l3_lookup_bulk(&g->vpcs[in[0]->vpc_idx].l3, dst, nh, k);
	} else {
		for (uint16_t i = 0; i < k; i++)
			vxg_l3_lookup_bulk(&g->vpcs[in[i]->vpc_idx].l3, &dst[i], &nh[i], 1);
	}
	c.n = 0;
	c.ext.n = 0;
	for (uint16_t i = 0; i < k; i++)
		l3_route_one(w, g, o, &c, pkts[i], in[i], nh[i]);
	if (c.ext.n > 0)
		l3_ext_run(w, g, &c.ext);
	if (c.n == 0)
		return;
	l3_chunk_forward(w, g, &c, o);
}

/* Routed m into network out, to where its next hop's FDB entry says: an access port or
 * a remote VTEP. */
static inline void
l3_fast_send(struct vxg_worker *w, struct rte_mbuf *m, union vxg_fdb_loc loc,
	const struct vxg_gen_net *out)
{
	if (loc.kind == VXG_FDB_LOCAL)
		l2_tx_local(w, loc.port_id, loc.vlan, m);
	else
		vxg_vxlan_encap(w, vxg_vtep_by_ip(&w->gen->vx, loc.vtep), loc.vtep, out, m);
}

/* An established SNAT flow out of its VPC's NAT interface: translated and sent, whole. */
static __rte_noinline bool
l3_fast_nat(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_nh *nh, const struct vxg_gen_net *in)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_gen_nat *gn = &g->vpcs[in->vpc_idx].nat;
	/* the sender's port, when its groups must pass the packet first */
	uint16_t lsrc =
		g->sg_on && l2_lport_filtered(g, vxg_meta(m)->lport) ? vxg_meta(m)->lport : 0;

	if (!gn->on || nh->port_id != gn->port_id)
		return false;
	if (!vxg_nat_fast_out(w, m, in->vpc_idx, lsrc, f->now))
		return false;
	l3_to_interface(w, m, nh);
	return true;
}

/* With security groups: m waits for them when either end has some. */
static __rte_noinline bool
l3_fast_sg_add(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	union vxg_fdb_loc loc, const struct vxg_gen_net *out)
{
	struct vxg_l3_sg *s = &f->sg;
	uint16_t lsrc = vxg_meta(m)->lport, ldst;

	if (!l2_sg_wanted(w->gen, w->gen->vx.fdb, lsrc, f->dpos, &ldst))
		return false;
	if (vxg_sg_fast(w, m, lsrc, ldst, f->now)) {
		l3_fast_send(w, m, loc, out); /* an established connection */
		return true;
	}
	if (s->n == VXG_L3_EXT_MAX)
		vxg_l3_fast_flush(w, f);
	s->pkts[s->n] = m;
	s->lsrc[s->n] = lsrc;
	s->ldst[s->n] = ldst;
	s->loc[s->n] = loc;
	s->out[s->n++] = out;
	return true;
}

/*
 * The router's fast path once the route is known: to next hop nh in network out, its MAC
 * and FDB location from the worker's caches (memo in f), rewritten and sent, or batched
 * for the security groups (of vxg_meta(m)->lport, the sender's port slot, and of the
 * receiver). False: m untouched. Needs the FDB and the neighbour table.
 */
static __rte_always_inline bool
l3_fast_tail(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *out, const struct vxg_nh *nh, rte_be32_t dst)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_l3_neigh_table *t = g->l3n;
	struct vxg_fdb *fdb = g->vx.fdb;
	union vxg_l3_nmac mac;
	union vxg_fdb_loc loc;
	struct vxg_l3_nkey key;
	struct l2_key_w dk;

	/* The next hop's MAC, from the worker's neighbour cache. */
	key.vni = out->vni;
	key.ip = nh->kind == VXG_NH_GATEWAY ? rte_cpu_to_be_32(nh->gateway) : dst;
	key.pad = 0;
	if (key.vni != f->nkey.vni || key.ip != f->nkey.ip) {
		uint32_t e = w->l3n_cache[l3_cache_slot(&key)];

		f->nkey = key;
		f->npos = e != 0 && t->e[e - 1].key.vni == key.vni && t->e[e - 1].key.ip == key.ip
				  ? (int32_t)e - 1
				  : -1;
	}
	if (f->npos < 0)
		return false;
	mac.u64 = __atomic_load_n(&t->e[f->npos].mac.u64, __ATOMIC_ACQUIRE);
	if (!mac.valid)
		return false;
	/* Its location, from the worker's FDB cache. */
	dk = l2_key_make(out->vni, &mac.mac);
	if (dk.w0 != f->dkey.w0 || dk.w1 != f->dkey.w1) {
		f->dkey = dk;
		f->dpos = l2_cache_get(w, fdb, dk);
	}
	if (f->dpos < 0)
		return false;
	loc.u64 = __atomic_load_n(&fdb->entries[f->dpos].loc.u64, __ATOMIC_ACQUIRE);
	if (loc.kind == VXG_FDB_NONE)
		return false;
	/* Committed: as l3_forward and L2 output would. */
	l3_rewrite(m, &out->gw_mac, &mac.mac);
	w->stats.events[VXG_EV_routed]++;
	if (unlikely(g->sg_on) && l3_fast_sg_add(w, f, m, loc, out))
		return true;
	l3_fast_send(w, m, loc, out);
	return true;
}

bool
vxg_l3_fast_one(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *in)
{
	const struct vxg_gen *g = w->gen;
	const struct vxg_l3_neigh_table *t = g->l3n;
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct vxg_l3_vpc *l3 = &g->vpcs[in->vpc_idx].l3;
	const struct vxg_gen_net *out;
	const struct vxg_nh *nh;
	struct rte_ipv4_hdr *ip;

	/* What the batched path does something else with: ARP, broadcasts (DHCP), bad
	 * IPv4, TTL expiry, packets for the router itself, out of an interface, too big. */
	if (l3_ethertype(m) != RTE_BE16(RTE_ETHER_TYPE_IPV4) || t == NULL ||
		rte_is_multicast_ether_addr(&eth->dst_addr) ||
		vxg_ipv4_check(m, m->l2_len) != VXG_IPV4_OK)
		return false;
	ip = l3_ip(m);
	if (ip->time_to_live <= 1)
		return false;
	if (in != f->in || ip->dst_addr != f->dst) {
		uint32_t nhi;

		f->in = in;
		f->dst = ip->dst_addr;
		f->nhi = rte_lpm_lookup(l3->lpm, rte_be_to_cpu_32(ip->dst_addr), &nhi) == 0
				 ? nhi
				 : l3->default_nh;
	}
	if (f->nhi == VXG_L3_NO_ROUTE)
		return false;
	nh = &l3->nhs[f->nhi];
	if (nh->kind == VXG_NH_INTERFACE) {
		/* Out of the VPC, after NAT, at the end of the burst (vxg_l3_fast_flush). */
		if (!nh->resolved || rte_be_to_cpu_16(ip->total_length) > nh->mtu)
			return false;
		if (g->nat_on && l3_fast_nat(w, f, m, nh, in))
			return true;
		if (f->ext.n == VXG_L3_EXT_MAX)
			vxg_l3_fast_flush(w, f);
		f->ext.pkts[f->ext.n] = m;
		f->ext.nh[f->ext.n] = nh;
		f->ext.in[f->ext.n++] = in;
		return true;
	}
	if (nh->gnet == UINT16_MAX)
		return false;
	out = &g->vx.nets[nh->gnet];
	if ((nh->kind == VXG_NH_CONNECTED && ip->dst_addr == out->gw_ip) ||
		rte_be_to_cpu_16(ip->total_length) > out->mtu)
		return false;
	return l3_fast_tail(w, f, m, out, nh, ip->dst_addr);
}

/* The security groups' verdicts on what the fast path routed inside the VPC, then L2. */
static void
l3_fast_sg_run(struct vxg_worker *w, struct vxg_l3_sg *s)
{
	unsigned verdict[VXG_L3_EXT_MAX];

	vxg_sg_filter(w, s->pkts, s->lsrc, s->ldst, s->n, verdict);
	for (uint16_t k = 0; k < s->n; k++) {
		if (unlikely(verdict[k] != VXG_DROP_MAX))
			vxg_drop(w, s->pkts[k], (enum vxg_drop_reason)verdict[k]);
		else
			l3_fast_send(w, s->pkts[k], s->loc[k], s->out[k]);
	}
	s->n = 0;
}

void
vxg_l3_fast_flush(struct vxg_worker *w, struct vxg_l3_fast *f)
{
	if (f->sg.n > 0)
		l3_fast_sg_run(w, &f->sg);
	if (f->ext.n > 0)
		l3_ext_run(w, w->gen, &f->ext);
}

void
vxg_l3_input(struct vxg_worker *w, struct vxg_l2_burst *b)
{
	struct vxg_l2_burst out;
	struct l3_out o;

	o.w = w; /* not an initializer: that would clear punt[] for every burst */
	o.l2 = &out;
	o.n_punt = 0;
	out.n = 0;
	out.from_overlay = false;
	out.in_port = VXG_INJECT_NET;
	for (uint16_t first = 0; first < b->n; first += L3_CHUNK)
		l3_chunk_run(w, b, first, RTE_MIN(L3_CHUNK, b->n - first), &o);
	if (o.n_punt > 0)
		vxg_punt_burst(w, o.punt, o.n_punt);
	if (out.n > 0)
		vxg_l2_output(w, &out);
}

/* ---- From outside a VPC -------------------------------------------------------------- */

/*
 * Turn m, which vxg_nat_in translated into VPC vpc, into an ICMP error back to its sender,
 * as a router with NAT sends one: from the address of the external interface m came in on,
 * quoting the packet as the sender sent it (vxg_nat_in_unquote translates the quote back:
 * the sender must recognise its own packet), out of that interface to the hop it came from
 * (MACs swapped). A packet that came round from inside (hairpin: it came in on no external
 * interface, its sender is one of ours), an interface without an address, RFC 1812's
 * exceptions and the rate limit (the router's) leave m dropped under r.
 */
static void
l3_outside_icmp_error(struct vxg_worker *w, struct rte_mbuf *m, uint16_t vpc, uint8_t type,
	uint8_t code, uint32_t info, enum vxg_drop_reason r, enum vxg_event ev)
{
	const struct vxg_gen *g = w->gen;
	uint8_t x = m->port < RTE_MAX_ETHPORTS ? g->if_of_port[m->port] : VXG_IF_NONE;
	const struct vxg_gen_if *ifx = x != VXG_IF_NONE ? &g->ifs[x] : NULL;

	if (ifx == NULL || ifx->role != VXG_ROLE_EXTERNAL || ifx->addr == 0 ||
		!vxg_icmp_error(m, type, code, info, rte_be_to_cpu_32(ifx->addr)) ||
		!vxg_nat_in_unquote(g, vpc, m, m->l2_len)) {
		vxg_drop(w, m, r);
		return;
	}
	if (l3_icmp_return(w, m, &ifx->mac, r, ev))
		vxg_tx_enqueue(w, ifx->port_id, m);
}

/* Translated packets in from a NAT interface: into the VPC's networks only (a route back
 * out would loop). Expiry and too big with DF draw an ICMP error back out to the sender
 * (l3_outside_icmp_error). */
static void
l3_outside_chunk(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n,
	struct l3_out *o, struct vxg_l3_fast *f)
{
	const struct vxg_gen *g = w->gen;
	uint32_t dst[L3_CHUNK], nhi[L3_CHUNK];
	bool fast = g->vx.fdb != NULL && g->l3n != NULL;
	struct l3_chunk c;

	bool one_vpc = true;

	for (uint16_t i = 0; i < n; i++) {
		dst[i] = rte_be_to_cpu_32(l3_ip(pkts[i])->dst_addr);
		one_vpc &= vpc[i] == vpc[0];
	}
	if (one_vpc) {
		vxg_l3_lookup_bulk(&g->vpcs[vpc[0]].l3, dst, nhi, n);
	} else {
		for (uint16_t i = 0; i < n; i++)
			vxg_l3_lookup_bulk(&g->vpcs[vpc[i]].l3, &dst[i], &nhi[i], 1);
	}
	c.n = 0;
	for (uint16_t i = 0; i < n; i++) {
		const struct vxg_l3_vpc *l3 = &g->vpcs[vpc[i]].l3;
		struct rte_mbuf *m = pkts[i];
		struct rte_ipv4_hdr *ip = l3_ip(m);
		const struct vxg_nh *nh = nhi[i] != VXG_L3_NO_ROUTE ? &l3->nhs[nhi[i]] : NULL;
		const struct vxg_gen_net *out =
			nh != NULL && nh->gnet != UINT16_MAX ? &g->vx.nets[nh->gnet] : NULL;
		uint16_t k;

		if (unlikely(out == NULL || nh->kind == VXG_NH_INTERFACE ||
			     ip->dst_addr == out->gw_ip)) {
			vxg_drop(w, m, VXG_DROP_no_route);
			continue;
		}
		if (unlikely(ip->time_to_live <= 1)) {
			l3_outside_icmp_error(w, m, vpc[i], VXG_ICMP_TIME_EXCEEDED, 0, 0,
				VXG_DROP_ttl_exceeded, VXG_EV_icmp_time_exceeded);
			continue;
		}
		if (unlikely(rte_be_to_cpu_16(ip->total_length) > out->mtu &&
			     (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_DF_FLAG)))) {
			l3_outside_icmp_error(w, m, vpc[i], VXG_ICMP_DEST_UNREACH,
				VXG_ICMP_FRAG_NEEDED, out->mtu, VXG_DROP_frag_needed,
				VXG_EV_icmp_frag_needed);
			continue;
		}
		if (fast && rte_be_to_cpu_16(ip->total_length) <= out->mtu &&
			l3_fast_tail(w, f, m, out, nh, ip->dst_addr))
			continue;
		k = c.n++;
		c.pkts[k] = m;
		c.out[k] = out;
		c.keys[k].vni = out->vni;
		c.keys[k].ip =
			nh->kind == VXG_NH_GATEWAY ? rte_cpu_to_be_32(nh->gateway) : ip->dst_addr;
		c.keys[k].pad = 0;
	}
	if (c.n == 0)
		return;
	l3_chunk_forward(w, g, &c, o);
}

void
vxg_l3_from_outside(struct vxg_worker *w, struct rte_mbuf **pkts, const uint16_t *vpc, uint16_t n)
{
	struct vxg_l2_burst out;
	struct vxg_l3_fast f;
	struct l3_out o;

	o.w = w; /* not an initializer: that would clear punt[] for every burst */
	o.l2 = &out;
	o.n_punt = 0;
	out.n = 0;
	out.from_overlay = false;
	out.in_port = VXG_INJECT_NET;
	vxg_l3_fast_init(&f, vxg_worker_now(w));
	for (uint16_t first = 0; first < n; first += L3_CHUNK)
		l3_outside_chunk(
			w, &pkts[first], &vpc[first], RTE_MIN(L3_CHUNK, n - first), &o, &f);
	if (f.sg.n > 0)
		vxg_l3_fast_flush(w, &f);
	if (o.n_punt > 0)
		vxg_punt_burst(w, o.punt, o.n_punt);
	if (out.n > 0)
		vxg_l2_output(w, &out);
}
