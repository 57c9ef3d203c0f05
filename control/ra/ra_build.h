/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Router Advertisements (RFC 4861 4.2) of a dual-stack network's gateway, built whole
 * into a frame: from the gateway's link-local address fe80::EUI-64(gateway MAC), hop
 * limit 255, with the source link-layer address, MTU, prefix information (RFC 4861 4.6),
 * RDNSS and DNSSL (RFC 8106) options. Also the helpers DHCPv6 shares: the link-local
 * address of a MAC and DNS names in wire format.
 *
 * Thread-safety: none needed: pure functions of their arguments.
 */
#ifndef VXG_RA_BUILD_H
#define VXG_RA_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "config/model.h"

#define VXG_ICMP6_RS 133
#define VXG_ICMP6_RA 134

/* ND options (RFC 4861 4.6, RFC 8106). */
#define VXG_ND_OPT_SLLA 1
#define VXG_ND_OPT_PREFIX 3
#define VXG_ND_OPT_MTU 5
#define VXG_ND_OPT_RDNSS 25
#define VXG_ND_OPT_DNSSL 31

#define VXG_RA_FLAG_M 0x80
#define VXG_RA_FLAG_O 0x40
#define VXG_PIO_FLAG_L 0x80
#define VXG_PIO_FLAG_A 0x40

/* Prefix lifetimes (radvd's defaults): a host keeps its SLAAC address a day after the
 * last RA, and prefers it for four hours. */
#define VXG_RA_VALID_LIFETIME 86400
#define VXG_RA_PREFERRED_LIFETIME 14400
#define VXG_RA_CUR_HOP_LIMIT 64
/* The largest frame an RA takes: headers, SLLA, MTU, PIO, 4 RDNSS addresses, and a
 * DNSSL of up to 128 + 2 bytes of names, padded. */
#define VXG_RA_FRAME_MAX 512

/* What one network advertises. */
struct vxg_ra_params {
	struct rte_ether_addr gw_mac;
	struct vxg_cidr6 prefix;
	enum vxg_ip6_mode mode;
	uint16_t router_lifetime; /* seconds; 0: not a default router (a final RA) */
	uint32_t mtu; /* 0: no MTU option */
	struct vxg_ip6 dns[VXG_DNS_MAX];
	unsigned n_dns;
	char domain[128]; /* one or more names, separated by spaces or commas; "" none */
	uint32_t dns_lifetime; /* RDNSS and DNSSL lifetime, seconds */
};

/*
 * names (separated by spaces or commas) in DNS wire format (RFC 1035 3.1), one after the
 * other, into out. The bytes written, or 0 when a label is empty or over 63 bytes, a name
 * over 255, or out too small (then out holds nothing usable). "" writes 0 bytes.
 */
size_t vxg_dns_names_encode(const char *names, uint8_t *out, size_t room);

/*
 * The RA frame to dst (ff02::1 and its MAC, or one host) into buf: its length, or 0 when
 * buf is too small. The ICMPv6 checksum is computed.
 */
size_t vxg_ra_build(const struct vxg_ra_params *p, const struct rte_ether_addr *dst_mac,
	const struct vxg_ip6 *dst, uint8_t *buf, size_t len);

#endif
