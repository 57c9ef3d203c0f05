/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 services a dual-stack network's router gives on the control thread: Router
 * Solicitations (ICMPv6 133) and DHCPv6 client messages (UDP to port 547). Workers find
 * them here, in what L2 hands the router (multicast to all-routers or all-DHCP-agents, or
 * unicast to the gateway MAC), and punt them as they punt DHCPv4. As OVN does, they are
 * answered locally and not flooded to the network's other ports.
 *
 * Inline and read-only: it only looks at the frame.
 */
#ifndef VXG_IP6_SVC_H
#define VXG_IP6_SVC_H

#include <stdbool.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "vxg_meta.h"
#include "vxg_vxlan.h"

#define VXG_ICMP6_RS 133

/*
 * The punt kind of m (VXG_PUNT_RS or VXG_PUNT_DHCP6), its IPv6 header at l2_len, in a
 * network with the services; -1 when it is neither. No extension header is followed:
 * neither an RS nor a DHCPv6 client message carries one.
 */
static inline int
vxg_ip6_svc_kind(const struct vxg_gen_net *net, const struct rte_mbuf *m, uint16_t l2_len)
{
	const struct rte_ipv6_hdr *ip;
	const uint8_t *l4;

	if (!net->ip6_svc || m->data_len < l2_len + sizeof(*ip) + sizeof(struct rte_udp_hdr) ||
		*rte_pktmbuf_mtod_offset(m, const rte_be16_t *, l2_len - 2) !=
			RTE_BE16(RTE_ETHER_TYPE_IPV6))
		return -1;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv6_hdr *, l2_len);
	l4 = (const uint8_t *)(ip + 1);
	if (ip->proto == IPPROTO_ICMPV6 && l4[0] == VXG_ICMP6_RS)
		return VXG_PUNT_RS;
	if (ip->proto == IPPROTO_UDP &&
		((const struct rte_udp_hdr *)l4)->dst_port == RTE_BE16(VXG_DHCP6_SERVER_PORT))
		return VXG_PUNT_DHCP6;
	return -1;
}

/* Multicast MACs of the groups RS and DHCPv6 go to: ff02::2 and ff02::1:2 (RFC 2464). */
static inline bool
vxg_ip6_svc_group(const struct rte_ether_addr *dst)
{
	static const uint8_t routers[6] = {0x33, 0x33, 0, 0, 0, 2};
	static const uint8_t dhcp[6] = {0x33, 0x33, 0, 1, 0, 2};

	return memcmp(dst->addr_bytes, routers, 6) == 0 || memcmp(dst->addr_bytes, dhcp, 6) == 0;
}

#endif
