/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The VPC router's IPv6 route tables (one rte_fib6 per dual-stack VPC), their next hops
 * and the external interfaces' IPv6 side, in a generation; the IPv6 router neighbours
 * are in vxg_l3.h next to the IPv4 ones.
 *
 * Thread-safety: compiled by the control thread into a generation and immutable after;
 * workers look up concurrently.
 */
#ifndef VXG_L3V6_H
#define VXG_L3V6_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_fib6.h>
#include <rte_mbuf.h>

#define VXG_IP6_LEN 16

/*
 * A next hop of an IPv6 route: kind is enum vxg_nh_kind. Interface next hops are not
 * bound to a MAC in the generation as IPv4's are: vxgate resolves their gateway by
 * Neighbour Solicitation, and the router neighbour table holds it under the key
 * (VXG_L3N6_IF | interface index, gateway).
 */
struct vxg_nh6 {
	uint8_t gateway[VXG_IP6_LEN]; /* GATEWAY, INTERFACE; :: for CONNECTED */
	uint8_t kind; /* enum vxg_nh_kind */
	uint8_t iface; /* INTERFACE: index into config->interfaces and gen->ifs */
	uint16_t network; /* CONNECTED, GATEWAY: index into vpc->networks */
	uint16_t mtu; /* of the egress network or interface */
	uint16_t gnet; /* CONNECTED, GATEWAY: the egress network in vx.nets, else UINT16_MAX */
	uint16_t port_id; /* INTERFACE: the DPDK port */
	struct rte_ether_addr src_mac; /* INTERFACE: the interface's */
	uint8_t prefix[VXG_IP6_LEN]; /* the route's, for `show route` and the trace */
	uint8_t prefix_len;
};

/* An IPv6 prefix of a short list (as vxg_l3_pfx): address and mask as the packet holds
 * them, in two words each. */
struct vxg_l3_pfx6 {
	uint64_t net[2], mask[2];
	uint32_t nh; /* index into nhs */
};

#define VXG_L3_SMALL6 8 /* prefixes (the default route included) a short list holds */

/* A dual-stack VPC's IPv6 routes: up to VXG_L3_SMALL6 prefixes a short list, longest
 * first (as IPv4's, vxg_l3.h); more, an rte_fib6 with 2-byte next hops: 32 MB of tbl24
 * and 512 bytes per tbl8 group, the smallest DIR-24-8 there is (rte_lpm6 takes 64 MB). */
struct vxg_l3_vpc6 {
	bool on; /* a dual-stack network: the VPC routes IPv6 */
	bool lent; /* control: fib belongs to a later generation (a rebuild took it over) */
	uint8_t n_small; /* fib NULL: the prefixes in small[] */
	struct vxg_l3_pfx6 small[VXG_L3_SMALL6];
	struct rte_fib6 *fib; /* next hop = index into nhs; VXG_L3_NO_ROUTE6: none */
	struct vxg_nh6 *nhs;
	uint32_t n_nhs;
	uint32_t n_tbl8; /* tbl8 groups the fib was made with, for `show memory` */
};

#define VXG_L3_NO_ROUTE6 0x7fff /* the largest 2-byte rte_fib6 next hop: "no route" */

/* The neighbour key's vni of an external interface's neighbours (VNIs are 24 bits). */
#define VXG_L3N6_IF 0x80000000u

/* An external interface's IPv6 side, in a generation: its address and where what comes
 * in from outside goes (the /64s of the VPCs that route out of it). */
struct vxg_gen_if6 {
	bool on; /* address6 set */
	uint8_t addr[VXG_IP6_LEN];
	uint8_t ll[VXG_IP6_LEN]; /* fe80::EUI-64(interface MAC) */
	uint8_t gateway[VXG_IP6_LEN];
	uint16_t n_in;
	struct vxg_if6_in {
		uint8_t prefix[8]; /* a dual-stack network's /64 */
		uint16_t vpc;
	} * in;
};

/* The next hop of dst in a dual-stack VPC: an index into nhs, or VXG_L3_NO_ROUTE6. */
static inline uint32_t
vxg_l3v6_lookup(const struct vxg_l3_vpc6 *l3, const uint8_t *dst)
{
	uint8_t ip[1][RTE_FIB6_IPV6_ADDR_SIZE];
	uint64_t nh, a[2];

	if (l3->fib == NULL) {
		memcpy(a, dst, 16);
		for (unsigned i = 0; i < l3->n_small; i++) {
			const struct vxg_l3_pfx6 *p = &l3->small[i];

			if ((a[0] & p->mask[0]) == p->net[0] && (a[1] & p->mask[1]) == p->net[1])
				return p->nh;
		}
		return VXG_L3_NO_ROUTE6;
	}
	memcpy(ip[0], dst, 16);
	rte_fib6_lookup_bulk(l3->fib, ip, &nh, 1);
	return (uint32_t)nh;
}

static inline bool
vxg_ip6_eq(const uint8_t *a, const uint8_t *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
}

/* fe80::/64 with the modified EUI-64 of mac (RFC 4291 2.5.1). */
static inline void
vxg_ip6_ll_from_mac(uint8_t *ip, const struct rte_ether_addr *mac)
{
	memset(ip, 0, VXG_IP6_LEN);
	ip[0] = 0xfe;
	ip[1] = 0x80;
	ip[8] = mac->addr_bytes[0] ^ 0x02;
	ip[9] = mac->addr_bytes[1];
	ip[10] = mac->addr_bytes[2];
	ip[11] = 0xff;
	ip[12] = 0xfe;
	ip[13] = mac->addr_bytes[3];
	ip[14] = mac->addr_bytes[4];
	ip[15] = mac->addr_bytes[5];
}

#endif
