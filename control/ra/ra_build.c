/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router Advertisement frames (ra_build.h): headers from DPDK's rte_ether.h and rte_ip.h,
 * options as RFC 4861 4.6 and RFC 8106 5 lay them out, the checksum by
 * rte_ipv6_udptcp_cksum (the pseudo-header of RFC 8200 8.1 with next header 58).
 */
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>

#include "config/fields.h"
#include "ra/ra_build.h"

/* The RA's own header after type, code and checksum (RFC 4861 4.2). */
struct ra_body {
	uint8_t type, code;
	rte_be16_t cksum;
	uint8_t cur_hop_limit, flags;
	rte_be16_t router_lifetime;
	rte_be32_t reachable, retrans;
} __rte_packed;

struct nd_opt_prefix {
	uint8_t type, len, prefix_len, flags;
	rte_be32_t valid, preferred, reserved;
	uint8_t prefix[16];
} __rte_packed;

/* MTU, RDNSS and DNSSL share this head: type, length in 8 bytes, 2 reserved, a 32-bit
 * value (the MTU, or the lifetime). */
struct nd_opt_head {
	uint8_t type, len;
	rte_be16_t reserved;
	rte_be32_t value;
} __rte_packed;

static size_t
dns_name_encode(const char *name, size_t nlen, uint8_t *out, size_t room)
{
	size_t at = 0, start = 0;

	if (nlen > 0 && name[nlen - 1] == '.')
		nlen--; /* a fully qualified name: the root label is written anyway */
	if (nlen == 0 || nlen + 2 > room || nlen + 2 > 255)
		return 0;
	for (size_t i = 0; i <= nlen; i++) {
		if (i < nlen && name[i] != '.')
			continue;
		if (i == start || i - start > 63)
			return 0;
		out[at++] = (uint8_t)(i - start);
		memcpy(out + at, name + start, i - start);
		at += i - start;
		start = i + 1;
	}
	out[at++] = 0;
	return at;
}

size_t
vxg_dns_names_encode(const char *names, uint8_t *out, size_t room)
{
	size_t at = 0;

	while (*names != '\0') {
		size_t len = strcspn(names, " ,"), n;

		if (len > 0) {
			if ((n = dns_name_encode(names, len, out + at, room - at)) == 0)
				return 0;
			at += n;
		}
		names += len;
		names += strspn(names, " ,");
	}
	return at;
}

/* An option of `body` bytes after its 8-byte head, padded to 8 bytes: its length. */
static size_t
opt_head(uint8_t *p, uint8_t type, size_t body, uint32_t value)
{
	size_t len = RTE_ALIGN_CEIL(sizeof(struct nd_opt_head) + body, 8);
	struct nd_opt_head *h = (struct nd_opt_head *)p;

	memset(p, 0, len);
	h->type = type;
	h->len = (uint8_t)(len / 8);
	h->value = rte_cpu_to_be_32(value);
	return len;
}

static size_t
opt_prefix(uint8_t *p, const struct vxg_ra_params *ra)
{
	struct nd_opt_prefix *o = (struct nd_opt_prefix *)p;

	memset(o, 0, sizeof(*o));
	o->type = VXG_ND_OPT_PREFIX;
	o->len = sizeof(*o) / 8;
	o->prefix_len = ra->prefix.len;
	/* On-link always; autonomous unless addresses come from DHCPv6 alone. */
	o->flags = VXG_PIO_FLAG_L | (ra->mode == VXG_IP6_DHCP_STATEFUL ? 0 : VXG_PIO_FLAG_A);
	o->valid = RTE_BE32(VXG_RA_VALID_LIFETIME);
	o->preferred = RTE_BE32(VXG_RA_PREFERRED_LIFETIME);
	memcpy(o->prefix, ra->prefix.addr.a, 16);
	return sizeof(*o);
}

/* The options after the RA header, into p (room for VXG_RA_FRAME_MAX): their length. */
static size_t
ra_options(uint8_t *p, const struct vxg_ra_params *ra)
{
	uint8_t names[256];
	size_t at = 0, nl;

	p[at] = VXG_ND_OPT_SLLA;
	p[at + 1] = 1;
	memcpy(p + at + 2, ra->gw_mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	at += 8;
	if (ra->mtu != 0)
		at += opt_head(p + at, VXG_ND_OPT_MTU, 0, ra->mtu);
	at += opt_prefix(p + at, ra);
	if (ra->n_dns > 0) {
		size_t n = opt_head(p + at, VXG_ND_OPT_RDNSS, 16 * ra->n_dns, ra->dns_lifetime);

		for (unsigned i = 0; i < ra->n_dns; i++)
			memcpy(p + at + 8 + 16 * i, ra->dns[i].a, 16);
		at += n;
	}
	nl = vxg_dns_names_encode(ra->domain, names, sizeof(names));
	if (nl > 0) {
		size_t n = opt_head(p + at, VXG_ND_OPT_DNSSL, nl, ra->dns_lifetime);

		memcpy(p + at + 8, names, nl); /* the padding after stays zero */
		at += n;
	}
	return at;
}

size_t
vxg_ra_build(const struct vxg_ra_params *p, const struct rte_ether_addr *dst_mac,
	const struct vxg_ip6 *dst, uint8_t *buf, size_t len)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct ra_body *ra = (struct ra_body *)(ip + 1);
	size_t hdrs = sizeof(*eth) + sizeof(*ip) + sizeof(*ra), opts;
	struct vxg_ip6 src;

	if (len < VXG_RA_FRAME_MAX)
		return 0;
	memset(buf, 0, hdrs);
	opts = ra_options((uint8_t *)(ra + 1), p);
	eth->dst_addr = *dst_mac;
	eth->src_addr = p->gw_mac;
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	src = vxg_ip6_link_local(&p->gw_mac);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(sizeof(*ra) + opts));
	ip->proto = IPPROTO_ICMPV6;
	ip->hop_limits = 255; /* RFC 4861 6.1.2: hosts drop an RA with any other */
	memcpy(ip->src_addr, src.a, 16);
	memcpy(ip->dst_addr, dst->a, 16);
	ra->type = VXG_ICMP6_RA;
	ra->cur_hop_limit = VXG_RA_CUR_HOP_LIMIT;
	if (p->mode == VXG_IP6_DHCP_STATEFUL)
		ra->flags = VXG_RA_FLAG_M | VXG_RA_FLAG_O;
	else if (p->mode == VXG_IP6_DHCP_STATELESS)
		ra->flags = VXG_RA_FLAG_O;
	ra->router_lifetime = rte_cpu_to_be_16(p->router_lifetime);
	ra->cksum = rte_ipv6_udptcp_cksum(ip, ra);
	return hdrs + opts;
}
