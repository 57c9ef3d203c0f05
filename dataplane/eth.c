/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet input: validate the L2 header and hand each packet to the stage its
 * interface role and ethertype call for. Stages land with their issues (vxlan, l2, l3);
 * until then their traffic is counted under no_stage.
 */
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "vxg_worker.h"

static inline enum vxg_drop_reason
eth_classify(const struct vxg_gen_if *in, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth;
	uint16_t l2_len = sizeof(*eth);
	rte_be16_t type;

	if (unlikely(m->data_len < sizeof(*eth)))
		return VXG_DROP_eth_truncated;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (unlikely(rte_is_multicast_ether_addr(&eth->src_addr)))
		return VXG_DROP_eth_src_multicast;
	type = eth->ether_type;
	if (type == RTE_BE16(RTE_ETHER_TYPE_VLAN)) {
		if (unlikely(m->data_len < sizeof(*eth) + sizeof(struct rte_vlan_hdr)))
			return VXG_DROP_eth_truncated;
		/* No network is carried tagged yet. */
		return VXG_DROP_vlan_unknown;
	}
	m->l2_len = l2_len;

	if (in->role == VXG_ROLE_ACCESS)
		return VXG_DROP_no_stage;
	if (!rte_is_multicast_ether_addr(&eth->dst_addr) &&
		!rte_is_same_ether_addr(&eth->dst_addr, &in->mac))
		return VXG_DROP_not_for_us;
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4) || type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return VXG_DROP_no_stage;
	return VXG_DROP_ethertype_unknown;
}

void
vxg_eth_input(struct vxg_worker *w, const struct vxg_gen_if *in, struct rte_mbuf **pkts, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++) {
		if (i + 4 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void *));
		vxg_drop(w, pkts[i], eth_classify(in, pkts[i]));
	}
}
