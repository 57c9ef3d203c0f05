/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * L2 output, the per-frame pieces, inline: the worker's view of the FDB (keys built in
 * registers, its cache of positions, the declared port a position names), a frame out of
 * an access port or to a remote VTEP, and the batched lookups of a chunk. L2 input, the
 * router and l2_output.c (the flood, and frames the router sends into a network) all end
 * here; only the flood is out of line (vxg_l2_flood).
 */
#ifndef VXG_L2_OUTPUT_H
#define VXG_L2_OUTPUT_H

#include <string.h>

#include <rte_ether.h>
#include <rte_hash.h>
#include <rte_mbuf.h>

#include "qos/qos.h"
#include "vxlan/vxlan_encap.h"
#include "pipeline.h"

/* Unknown unicast, broadcast, multicast: to the network's access interfaces and flood
 * list, never back where frame i of b came from (l2_output.c). */
void vxg_l2_flood(struct vxg_worker *w, const struct vxg_l2_burst *b, uint16_t i);

/* A key as two words built in registers: written once with 8-byte stores and compared
 * without reading back what was just stored (a store-forwarding stall otherwise). */
struct l2_key_w {
	uint64_t w0, w1;
};

static inline struct l2_key_w
l2_key_make(uint32_t vni, const struct rte_ether_addr *mac)
{
	struct l2_key_w k;
	uint32_t lo;
	uint16_t hi;

	memcpy(&lo, mac->addr_bytes, 4);
	memcpy(&hi, mac->addr_bytes + 4, 2);
	k.w0 = vni | (uint64_t)lo << 32; /* the layout of struct vxg_fdb_key, little endian */
	k.w1 = hi;
	return k;
}

static inline uint32_t
l2_cache_slot(struct l2_key_w kw)
{
	uint64_t h = (kw.w0 ^ (kw.w1 << 23) ^ (kw.w0 >> 31)) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 48) & (VXG_FDB_CACHE - 1);
}

/* The cached position of kw, if the entry there still holds kw; else -1. */
static inline int32_t
l2_cache_get(const struct vxg_worker *w, const struct vxg_fdb *fdb, struct l2_key_w kw)
{
	uint32_t c = w->fdb_cache[l2_cache_slot(kw)];
	const uint64_t *ek;

	if (c == 0)
		return -1;
	ek = (const uint64_t *)&fdb->entries[c - 1].key;
	if (ek[0] != kw.w0 || ek[1] != kw.w1 || fdb->entries[c - 1].loc.kind == VXG_FDB_NONE)
		return -1;
	return (int32_t)c - 1;
}

/* The declared port an FDB position names (slot + 1), or 0. */
static inline uint16_t
l2_lport(const struct vxg_fdb *fdb, int32_t pos)
{
	union vxg_fdb_loc loc;

	if (pos < 0)
		return 0;
	loc.u64 = __atomic_load_n(&fdb->entries[pos].loc.u64, __ATOMIC_ACQUIRE);
	return loc.kind != VXG_FDB_NONE && loc.origin == VXG_FDB_STATIC ? fdb->entries[pos].lport
									: 0;
}

/* Has port slot + 1 `lport` security groups? 0 (no port) and vxgate itself have none. */
static inline bool
l2_lport_filtered(const struct vxg_gen *g, uint16_t lport)
{
	return lport != 0 && lport != VXG_LPORT_SELF &&
	       (g->lports[lport - 1].flags & VXG_LP_FILTERED);
}

/* Whether a frame from port lsrc to FDB position dpos meets a port with groups; *ldst:
 * the receiving port. */
static inline bool
l2_sg_wanted(const struct vxg_gen *g, const struct vxg_fdb *fdb, uint16_t lsrc, int32_t dpos,
	uint16_t *ldst)
{
	*ldst = l2_lport(fdb, dpos);
	if (lsrc == VXG_LPORT_SELF)
		return false; /* ARP, ping and DHCP replies, ICMP errors of the router */
	return l2_lport_filtered(g, lsrc) || l2_lport_filtered(g, *ldst);
}

/* Insert an 802.1Q tag in front of the ethertype (the MACs move down 4 bytes). */
static inline int
l2_vlan_push(struct rte_mbuf *m, uint16_t vlan)
{
	uint8_t *p = (uint8_t *)rte_pktmbuf_prepend(m, sizeof(struct rte_vlan_hdr));
	uint64_t a;
	uint32_t b;

	if (unlikely(p == NULL))
		return -1;
	memcpy(&a, p + 4, 8);
	memcpy(&b, p + 12, 4);
	memcpy(p, &a, 8);
	memcpy(p + 8, &b, 4);
	*(rte_be16_t *)(p + 12) = RTE_BE16(RTE_ETHER_TYPE_VLAN);
	*(rte_be16_t *)(p + 14) = rte_cpu_to_be_16(vlan);
	m->l2_len = RTE_ETHER_HDR_LEN + sizeof(struct rte_vlan_hdr);
	return 0;
}

/* Out of an access port: the frame's tag rewritten to the port's VLAN, added or removed. */
static inline void
l2_tx_local(struct vxg_worker *w, uint16_t port_id, uint16_t vlan, struct rte_mbuf *m)
{
	bool tagged = m->l2_len > RTE_ETHER_HDR_LEN;

	if (tagged && vlan != 0) {
		rte_be16_t *tci = rte_pktmbuf_mtod_offset(m, rte_be16_t *, 14);

		*tci = (*tci & RTE_BE16(0xf000)) | rte_cpu_to_be_16(vlan); /* keep PCP/DEI */
	} else if (tagged) {
		vxg_vlan_pop(m);
	} else if (vlan != 0 && unlikely(l2_vlan_push(m, vlan) < 0)) {
		vxg_drop(w, m, VXG_DROP_mbuf_exhausted);
		return;
	}
	vxg_tx_enqueue(w, port_id, m);
}

/*
 * QoS of a frame about to go to FDB position pos (at loc): the policies of the port that
 * sent it (vxg_meta(m)->lport, which L2 input sets when the generation has QoS) and of
 * the port it goes to. False: over one of them, to be dropped.
 */
static __rte_noinline bool
l2_qos(struct vxg_worker *w, const struct vxg_fdb *fdb, struct rte_mbuf *m, int32_t pos,
	union vxg_fdb_loc loc)
{
	uint16_t ldst = loc.origin == VXG_FDB_STATIC ? fdb->entries[pos].lport : 0;

	return vxg_qos_port(w, vxg_meta(m)->lport, VXG_DIR_EGRESS, m) &&
	       vxg_qos_port(w, ldst, VXG_DIR_INGRESS, m);
}

/* Frame i of b to FDB position pos. em: the fast path's last VTEP (NULL: the general
 * encapsulation). */
static __rte_always_inline void
l2_forward_em(struct vxg_worker *w, struct vxg_fdb *fdb, const struct vxg_l2_burst *b, uint16_t i,
	int32_t pos, struct vxg_encap_memo *em)
{
	struct rte_mbuf *m = b->pkts[i];
	union vxg_fdb_loc loc = {.u64 = 0};

	if (pos >= 0)
		loc.u64 = __atomic_load_n(&fdb->entries[pos].loc.u64, __ATOMIC_ACQUIRE);
	if (vxg_traced(w, m))
		vxg_trace_ev_mac(w, m, VXG_TR_L2,
			vxg_fdb_located(&loc) ? VXG_TR_L2_HIT : VXG_TR_L2_MISS,
			loc.kind == VXG_FDB_LOCAL ? loc.port_id : 0, b->net[i]->vni,
			loc.kind == VXG_FDB_REMOTE ? loc.vtep : 0,
			loc.kind == VXG_FDB_LOCAL ? loc.vlan : 0,
			&rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->dst_addr);
	if (unlikely(w->gen->qos_on) && loc.kind != VXG_FDB_NONE && !l2_qos(w, fdb, m, pos, loc)) {
		vxg_drop(w, m, VXG_DROP_qos_exceeded);
		return;
	}
	switch (loc.kind) {
	case VXG_FDB_LOCAL:
		if (!b->from_overlay && loc.port_id == b->in_port && loc.vlan == b->src[i])
			vxg_drop(w, m, VXG_DROP_l2_hairpin);
		else
			l2_tx_local(w, loc.port_id, loc.vlan, m);
		return;
	case VXG_FDB_REMOTE:
		if (b->from_overlay)
			vxg_drop(w, m, VXG_DROP_l2_split_horizon);
		else if (em != NULL)
			vxg_encap_fast(w, em, loc.vtep, b->net[i], m);
		else
			vxg_vxlan_encap(
				w, vxg_vtep_by_ip(&w->gen->vx, loc.vtep), loc.vtep, b->net[i], m);
		return;
	default: /* unknown unicast (or an entry being written, a port not placed yet): flood */
		vxg_l2_flood(w, b, i);
	}
}

static inline void
l2_forward(struct vxg_worker *w, struct vxg_fdb *fdb, const struct vxg_l2_burst *b, uint16_t i,
	int32_t pos)
{
	l2_forward_em(w, fdb, b, i, pos, NULL);
}

/* ---- Chunks: the batched lookups of L2 input and output ----------------------------------- */

#define L2_CHUNK RTE_HASH_LOOKUP_BULK_MAX

struct l2_chunk {
	uint16_t n, ns, nd;
	uint16_t idx[L2_CHUNK]; /* index in the burst */
	bool router[L2_CHUNK]; /* for the VPC router: learn its source, do not switch it */
	struct vxg_fdb_key skey[L2_CHUNK], dkey[L2_CHUNK];
	int32_t spos[L2_CHUNK], dpos[L2_CHUNK]; /* per packet: position, -1 none */
	/* Keys neither in the worker's cache nor equal to the previous packet's go to one
	 * bulk lookup; [sd]map gives each such packet its slot in it. */
	uint8_t smap[L2_CHUNK], dmap[L2_CHUNK];
	const void *sk[L2_CHUNK], *dk[L2_CHUNK];
	int32_t sres[L2_CHUNK], dres[L2_CHUNK];
};

#define L2_PENDING INT32_MIN /* waits for the bulk lookup */

/* Position of packet k's key: the previous packet's, the cache's, or queued for lookup. */
static inline void
l2_key_add(const struct vxg_worker *w, const struct vxg_fdb *fdb, struct vxg_fdb_key *keys,
	uint16_t k, struct l2_key_w kw, struct l2_key_w *prev, int32_t *pos, uint8_t *map,
	const void **lk, uint16_t *n)
{
	uint64_t *dst = (uint64_t *)&keys[k];

	dst[0] = kw.w0;
	dst[1] = kw.w1;
	if (k > 0 && kw.w0 == prev->w0 && kw.w1 == prev->w1) {
		pos[k] = pos[k - 1];
		map[k] = map[k - 1];
		return;
	}
	*prev = kw;
	pos[k] = l2_cache_get(w, fdb, kw);
	if (pos[k] >= 0)
		return;
	pos[k] = L2_PENDING;
	map[k] = *n;
	lk[(*n)++] = &keys[k];
}

/* Fill in the positions the bulk lookup found, and remember them. */
static inline void
l2_key_resolve(struct vxg_worker *w, const struct vxg_fdb_key *keys, int32_t *pos,
	const uint8_t *map, const int32_t *res, uint16_t n)
{
	for (uint16_t k = 0; k < n; k++) {
		const uint64_t *kw = (const uint64_t *)&keys[k];

		if (pos[k] != L2_PENDING)
			continue;
		pos[k] = res[map[k]];
		if (pos[k] >= 0)
			w->fdb_cache[l2_cache_slot((struct l2_key_w){kw[0], kw[1]})] =
				(uint32_t)pos[k] + 1;
	}
}

/* Frames held for the security groups, forwarded (or dropped) together. */
struct l2_sg {
	uint16_t n;
	uint16_t idx[L2_CHUNK];
	int32_t dpos[L2_CHUNK];
	struct rte_mbuf *pkts[L2_CHUNK];
	uint16_t lsrc[L2_CHUNK], ldst[L2_CHUNK];
};

static inline void
l2_sg_add(
	struct l2_sg *s, struct rte_mbuf *m, uint16_t i, int32_t dpos, uint16_t lsrc, uint16_t ldst)
{
	uint16_t k = s->n++;

	s->idx[k] = i;
	s->dpos[k] = dpos;
	s->pkts[k] = m;
	s->lsrc[k] = lsrc;
	s->ldst[k] = ldst;
}

static inline void
l2_sg_run(struct vxg_worker *w, struct vxg_fdb *fdb, struct vxg_l2_burst *b, struct l2_sg *s)
{
	unsigned verdict[L2_CHUNK];

	if (s->n == 0)
		return;
	vxg_sg_filter(w, s->pkts, s->lsrc, s->ldst, s->n, verdict);
	for (uint16_t k = 0; k < s->n; k++) {
		if (likely(verdict[k] == VXG_DROP_MAX))
			l2_forward(w, fdb, b, s->idx[k], s->dpos[k]);
		else
			vxg_drop(w, s->pkts[k], (enum vxg_drop_reason)verdict[k]);
	}
}

#endif
