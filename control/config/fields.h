/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Field parsers and formatters: the text forms of the values a config holds (integers,
 * IPv4 and IPv6 addresses and prefixes, MACs, port ranges, names, host names, protocols,
 * interface roles, IPv6 address modes), read from and written to plain strings. Nothing here knows
 * YAML or keeps state, so any code may use it: the YAML layer (values.h) wraps these with messages
 * and positions, the shell and the table dumps format with them.
 *
 * The shell's formatters (vxg_ip_format, vxg_ip6_format, vxg_cidr6_format,
 * vxg_endpoint_format, vxg_proto_format, vxg_role_name, vxg_ip6_mode_name) write the same text
 * forms into a caller's buffer, for show commands and table dumps.
 *
 * Thread-safety: pure functions, callable from any thread.
 */
#ifndef VXG_CONFIG_FIELDS_H
#define VXG_CONFIG_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "config/model.h"

/* Bytes VXLAN adds on the underlay: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
#define CONFIG_VXLAN_OVERHEAD 50

/* The keywords of enum vxg_if_role, indexed by it. */
#define CONFIG_ROLES (VXG_ROLE_ACCESS + 1)
extern const char *const config_role_names[CONFIG_ROLES];

/* The keywords of enum vxg_ip6_mode, indexed by it. */
#define CONFIG_IP6_MODES (VXG_IP6_DHCP_STATEFUL + 1)
extern const char *const config_ip6_mode_names[CONFIG_IP6_MODES];

/* The keywords of enum vxg_frr_mode (vtep.evpn.frr), indexed by it. */
#define CONFIG_FRR_MODES (VXG_FRR_EXTERNAL + 1)
extern const char *const config_frr_mode_names[CONFIG_FRR_MODES];

#define CONFIG_PROTO_ICMPV6 58

/* Parsers: 0, or -EINVAL when s is not of the form (config_text_int: -ERANGE too). */

/* A decimal integer, optionally negative. */
int config_text_int(const char *s, int64_t *v);
/* "A.B.C.D" into a host-order address. */
int config_text_ip(const char *s, uint32_t *ip);
/* "A.B.C.D/LEN" or a bare "A.B.C.D" (*len = -1); host bits are not checked. */
int config_text_cidr(const char *s, uint32_t *ip, int *len);
/* An IPv6 address in any form inet_pton takes ("2001:db8::1", "::ffff:1.2.3.4"). */
int config_text_ip6(const char *s, struct vxg_ip6 *ip);
/* "ADDR/LEN" or a bare "ADDR" (*len = -1), LEN 0..128; host bits are not checked. */
int config_text_cidr6(const char *s, struct vxg_ip6 *ip, int *len);
/* Whether s is meant as IPv6 (it has a ':'), to choose the parser of a field taking both. */
bool config_text_is6(const char *s);
/* "xx:xx:xx:xx:xx:xx", hex digits in either case. */
int config_text_mac(const char *s, struct rte_ether_addr *m);
/* "A-B" or a single "A" (*b = *a); bounds are not checked. */
int config_text_range(const char *s, int64_t *a, int64_t *b);
/* "A.B.C.D:PORT", PORT 1..65535 (-ERANGE when not); any address, 0.0.0.0 included. */
int config_text_endpoint(const char *s, uint32_t *ip, uint16_t *port);
/* A QoS rate in bits a second: a decimal number, bare or with a unit bit, kbit, mbit or
 * gbit (k = 1000), in any case ("50mbit"); -ERANGE past 64 bits. */
int config_text_rate(const char *s, uint64_t *bits);
/* A QoS burst in bytes: a number, bare or with a unit b, kb, mb or gb (k = 1000). */
int config_text_bytes(const char *s, uint64_t *bytes);
/* A keyword of a rule's protocol ("any", "tcp", ...): true and *proto, else false. */
bool config_proto_by_name(const char *s, uint16_t *proto);

/* Names appear in shell commands and messages: one plain word of VXG_NAME_MAX - 1 at most. */
bool config_name_ok(const char *s);
/* Hostnames (one RFC 1123 label) or, with dots, domains. */
bool config_hostname_ok(const char *s, bool dots);
/* Addresses a host, gateway or VTEP can have: NULL if fine, else what it is. */
const char *config_ip_not_unicast(uint32_t ip);
/* The same for IPv6: ::, ::1, multicast, IPv4-mapped and link-local are not. */
const char *config_ip6_not_unicast(const struct vxg_ip6 *ip);

/* RFC 4291 appendix A: the modified EUI-64 interface identifier of mac (U/L bit flipped,
 * ff:fe in the middle) after the first 64 bits of prefix. */
struct vxg_ip6 vxg_ip6_eui64(const struct vxg_ip6 *prefix, const struct rte_ether_addr *mac);
/* fe80::EUI-64(mac), the link-local address of a host or router port with that MAC. */
struct vxg_ip6 vxg_ip6_link_local(const struct rte_ether_addr *mac);

/* Text forms for messages; the struct lives until the end of the full expression. */
struct config_str {
	char s[64];
};
struct config_str config_ip_str(uint32_t ip);
struct config_str config_cidr_str(struct vxg_cidr c);
struct config_str config_mac_str(const struct rte_ether_addr *m);
struct config_str config_ip6_str(const struct vxg_ip6 *ip);
struct config_str config_cidr6_str(struct vxg_cidr6 c);

/* The shell's formatters. */

/* An interface role's keyword ("underlay", ...). */
const char *vxg_role_name(enum vxg_if_role r);
/* "a.b.c.d" of a host-order address. */
void vxg_ip_format(uint32_t addr, char *buf, size_t len);
/* "a.b.c.d" of addr (network order), then sep and the port in decimal unless sep is NULL:
 * "10.0.0.1:80", "10.0.0.1 id 7". */
void vxg_endpoint_format(rte_be32_t addr, const char *sep, rte_be16_t port, char *buf, size_t len);
/* An IPv6 address as inet_ntop writes it (RFC 5952: "2001:db8::1"); buf of 46 at least. */
void vxg_ip6_format(const struct vxg_ip6 *ip, char *buf, size_t len);
/* "2001:db8:1::/64". */
void vxg_cidr6_format(struct vxg_cidr6 c, char *buf, size_t len);
/* An address mode's keyword ("slaac", ...). */
const char *vxg_ip6_mode_name(enum vxg_ip6_mode m);
/* "managed" or "external". */
const char *vxg_frr_mode_name(enum vxg_frr_mode m);
/* A rate or a burst as the config writes it, in the largest unit that divides it:
 * "50mbit", "64kb", "1500b". */
void vxg_rate_format(uint64_t bits, char *buf, size_t len);
void vxg_bytes_format(uint64_t bytes, char *buf, size_t len);
/* A protocol as rules spell it ("any", "tcp", ...), else "proto N". */
void vxg_proto_format(uint16_t proto, char *buf, size_t len);

static inline uint32_t
config_mask(uint8_t len)
{
	return len == 0 ? 0 : UINT32_MAX << (32 - len);
}

static inline bool
config_cidr_has(struct vxg_cidr c, uint32_t ip)
{
	return (ip & config_mask(c.len)) == c.addr;
}

static inline uint32_t
config_cidr_last(struct vxg_cidr c)
{
	return c.addr | ~config_mask(c.len);
}

static inline bool
config_ip6_is_zero(const struct vxg_ip6 *ip)
{
	static const struct vxg_ip6 zero;

	return memcmp(ip, &zero, sizeof(zero)) == 0;
}

static inline int
config_ip6_cmp(const struct vxg_ip6 *a, const struct vxg_ip6 *b)
{
	return memcmp(a, b, sizeof(*a));
}

/* ip with the bits past len cleared. */
static inline struct vxg_ip6
config_ip6_prefix(const struct vxg_ip6 *ip, uint8_t len)
{
	struct vxg_ip6 r = *ip;

	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len > 8 * i ? len - 8 * i : 0;

		r.a[i] &= bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
	}
	return r;
}

static inline bool
config_cidr6_has(struct vxg_cidr6 c, const struct vxg_ip6 *ip)
{
	struct vxg_ip6 p = config_ip6_prefix(ip, c.len);

	return config_ip6_cmp(&p, &c.addr) == 0;
}

#endif
