/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VXLAN (RFC 7348) over IPv4: encapsulation from the per-VTEP header templates control
 * precomputes, the general case (a VTEP only learned, a tagged frame, the UDP checksum);
 * the common case is inline (vxg_encap_fast, vxlan_encap.h). Decapsulation is all inline
 * (vxlan_decap.h): Ethernet input decapsulates and switches each underlay frame in the
 * pass that classified it.
 */
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "vxlan/vxlan_encap.h"
#include "pipeline.h"

/* The template for ip: the VTEP's own, or the gateway's for a VTEP only learned. */
static inline const struct vxg_vxlan_tmpl *
encap_tmpl(const struct vxg_gen_vxlan *vx, const struct vxg_gen_vtep *vtep, rte_be32_t ip)
{
	uint32_t a = rte_be_to_cpu_32(ip), ours = rte_be_to_cpu_32(vx->addr);

	if (vtep != NULL)
		return vtep->resolved ? &vtep->tmpl : NULL;
	if ((a & vx->mask) == (ours & vx->mask) || !vx->gw_resolved)
		return NULL; /* on-link, needs its own neighbour entry (dynamic ARP: later) */
	return &vx->gw_tmpl;
}

void
vxg_vxlan_encap(struct vxg_worker *w, const struct vxg_gen_vtep *vtep, rte_be32_t ip,
	const struct vxg_gen_net *net, struct rte_mbuf *m)
{
	const struct vxg_gen_vxlan *vx = &w->gen->vx;
	const struct vxg_vxlan_tmpl *t = encap_tmpl(vx, vtep, ip);
	struct vxg_vxlan_tmpl *h;
	uint32_t inner;
	uint16_t sport;

	if (unlikely(t == NULL)) {
		vxg_drop(w, m, VXG_DROP_vtep_unresolved);
		return;
	}
	if (m->l2_len > RTE_ETHER_HDR_LEN)
		vxg_vlan_pop(m); /* the access VLAN does not cross the overlay */
	inner = m->pkt_len;
	/* The outer IPv4 packet (inner frame + 36 bytes) must fit the underlay MTU. */
	if (unlikely(inner + VXG_VXLAN_OVERHEAD - RTE_ETHER_HDR_LEN > vx->mtu)) {
		vxg_drop(w, m, VXG_DROP_mtu_exceeded);
		return;
	}
	sport = encap_src_port(vx, m);
	h = (struct vxg_vxlan_tmpl *)rte_pktmbuf_prepend(m, sizeof(*h));
	if (unlikely(h == NULL)) {
		vxg_drop(w, m, VXG_DROP_mbuf_exhausted);
		return;
	}
	encap_fill(h, t, inner, sport, net->vx_vni, t == &vx->gw_tmpl ? ip : 0);
	if (vx->udp_csum)
		h->udp.dgram_cksum = rte_ipv4_udptcp_cksum(&h->ip, &h->udp);
	if (vtep != NULL)
		vx->ctr[w->id * vx->n_vteps + (vtep - vx->vteps)].tx++;
	if (vxg_traced(w, m))
		vxg_trace_ev(w, m, VXG_TR_ENCAP, 0, 0, ip, net->vni, 0, 0);
	vxg_tx_enqueue(w, vx->port_id, m);
}
