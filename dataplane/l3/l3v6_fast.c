/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router's fast path, as l3_fast.c's for IPv4: one packet while L2 input's fast
 * path has its header at hand, routed whole to a next hop inside the VPC when the route
 * (memo of the last destination), the next hop's MAC (the worker's IPv6 neighbour cache)
 * and its location (the FDB cache) are known; through the security groups' batch like
 * IPv4. What it declines (out of an interface, the router's own, errors) the batched
 * path (l3v6.c) takes.
 */
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "l3/l3v6.h"
#include "pipeline.h"
#include "vxg_l3.h"

/* The next hop's MAC from the worker's cache (memo in f): false when not known. */
static __rte_always_inline bool
l3v6_fast_mac(struct vxg_worker *w, struct vxg_l3_fast *f, uint32_t vni, const uint8_t *ip,
	union vxg_l3_nmac *mac)
{
	const struct vxg_l3_neigh6_table *t = w->gen->l3n6;

	if (vni != f->nkey6.vni || !vxg_ip6_eq(ip, f->nkey6.ip)) {
		struct vxg_l3_nkey6 k;
		uint32_t e;

		vxg_l3n6_key(&k, vni, ip);
		e = w->l3n6_cache[l3v6_cache_slot(&k)];
		f->nkey6 = k;
		f->npos6 = e != 0 && memcmp(&t->e[e - 1].key, &k, sizeof(k)) == 0 ? (int32_t)e - 1
										  : -1;
	}
	if (f->npos6 < 0)
		return false;
	mac->u64 = __atomic_load_n(&t->e[f->npos6].mac.u64, __ATOMIC_ACQUIRE);
	return mac->valid;
}

/* The route of dst from network in (memo in f). */
static __rte_always_inline uint32_t
l3v6_fast_route(struct vxg_l3_fast *f, const struct vxg_l3_vpc6 *l3, const struct vxg_gen_net *in,
	const uint8_t *dst)
{
	if (in != f->in6 || !vxg_ip6_eq(dst, f->dst6)) {
		f->in6 = in;
		memcpy(f->dst6, dst, 16);
		f->nhi6 = vxg_l3v6_lookup(l3, dst);
	}
	return f->nhi6;
}

bool
vxg_l3v6_fast_one(struct vxg_worker *w, struct vxg_l3_fast *f, struct rte_mbuf *m,
	const struct vxg_gen_net *in)
{
	const struct vxg_gen *g = w->gen;
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct vxg_l3_vpc6 *l3 = &g->vpcs[in->vpc_idx].l3v6;
	struct vxg_fdb *fdb = g->vx.fdb;
	const struct vxg_gen_net *out;
	const struct vxg_nh6 *nh;
	struct rte_ipv6_hdr *ip;
	union vxg_l3_nmac mac;
	union vxg_fdb_loc loc;
	struct l2_key_w dk;
	uint32_t nhi;

	if (!l3->on || g->l3n6 == NULL || rte_is_multicast_ether_addr(&eth->dst_addr) ||
		!l3v6_valid(m))
		return false;
	ip = l3v6_ip(m);
	if (ip->hop_limits <= 1 || l3v6_scoped(ip->dst_addr) || l3v6_scoped(ip->src_addr))
		return false;
	nhi = l3v6_fast_route(f, l3, in, ip->dst_addr);
	if (nhi == VXG_L3_NO_ROUTE6)
		return false;
	nh = &l3->nhs[nhi];
	if (nh->kind == VXG_NH_INTERFACE || nh->gnet == UINT16_MAX || l3v6_len(ip) > nh->mtu)
		return false;
	out = &g->vx.nets[nh->gnet];
	if (nh->kind == VXG_NH_CONNECTED &&
		(vxg_ip6_eq(ip->dst_addr, out->gw6) || vxg_ip6_eq(ip->dst_addr, in->gw6)))
		return false;
	if (!l3v6_fast_mac(
		    w, f, out->vni, nh->kind == VXG_NH_GATEWAY ? nh->gateway : ip->dst_addr, &mac))
		return false;
	dk = l2_key_make(out->vni, &mac.mac);
	if (dk.w0 != f->dkey.w0 || dk.w1 != f->dkey.w1) {
		f->dkey = dk;
		f->dpos = l2_cache_get(w, fdb, dk);
	}
	if (f->dpos < 0)
		return false;
	loc.u64 = __atomic_load_n(&fdb->entries[f->dpos].loc.u64, __ATOMIC_ACQUIRE);
	if (!vxg_fdb_located(&loc))
		return false; /* being written, or a port not placed yet: L2 output floods it */
	if (vxg_traced(w, m)) {
		vxg_trace_route6(w, m, l3, in->vpc_idx, nhi, ip->dst_addr, 0);
		vxg_trace_neigh6(w, m, out->vni,
			nh->kind == VXG_NH_GATEWAY ? nh->gateway : ip->dst_addr, true);
	}
	l3v6_rewrite(m, &out->gw_mac, &mac.mac);
	w->stats.events[VXG_EV_routed6]++;
	if (unlikely(g->sg_on) && vxg_l3_fast_sg_add(w, f, m, loc, out))
		return true;
	l3_fast_send(w, m, loc, out, l3_qos_ldst(g, fdb, f->dpos, loc));
	return true;
}
