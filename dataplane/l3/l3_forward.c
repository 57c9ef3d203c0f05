/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The router's last step, out of line (l3_forward.h has the inline part): fragments for a
 * smaller MTU, out of an external interface, a chunk to its next hops' MACs looked up in
 * bulk (or to control, which resolves what has no MAC yet), and the security groups'
 * batch of the fast path.
 */
#include <string.h>

#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "l3/l3_forward.h"
#include "pipeline.h"
#include "vxg_ipv4.h"
#include "vxg_l3.h"

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
	if (vxg_traced(w, m))
		vxg_trace_frags(w, m, frags, (unsigned)n);
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

void
vxg_l3_to_interface(struct vxg_worker *w, struct rte_mbuf *m, const struct vxg_nh *nh)
{
	/* QoS: the sender's port, then its floating IP or its VPC's SNAT (set by NAT) */
	if (unlikely(w->gen->qos_on) &&
		!(vxg_qos_port(w, vxg_meta(m)->lport, VXG_DIR_EGRESS, m) &&
			(vxg_meta(m)->qos == 0 || vxg_qos_frame(w, vxg_meta(m)->qos, m)))) {
		vxg_drop(w, m, VXG_DROP_qos_exceeded);
		return;
	}
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

	if (vxg_traced(w, m))
		vxg_trace_ev_mac(w, m, VXG_TR_NEIGH, mac.valid, 0, out->vni, nh, 0, &mac.mac);
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

void
vxg_l3_chunk_forward(
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

bool
vxg_l3_fast_sg_add(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	union vxg_fdb_loc loc, const struct vxg_gen_net *out)
{
	struct vxg_l3_sg *s = &f->sg;
	uint16_t lsrc = vxg_meta(m)->lport, ldst;

	if (!l2_sg_wanted(w->gen, w->gen->vx.fdb, lsrc, f->dpos, &ldst))
		return false;
	if (vxg_sg_fast(w, m, lsrc, ldst, f->now)) {
		l3_fast_send(w, m, loc, out, ldst); /* an established connection */
		return true;
	}
	if (s->n == VXG_L3_EXT_MAX)
		vxg_l3_fast_sg_flush(w, s);
	s->pkts[s->n] = m;
	s->lsrc[s->n] = lsrc;
	s->ldst[s->n] = ldst;
	s->loc[s->n] = loc;
	s->out[s->n++] = out;
	return true;
}

void
vxg_l3_fast_sg_flush(struct vxg_worker *w, struct vxg_l3_sg *s)
{
	l3_fast_sg_run(w, s);
}
