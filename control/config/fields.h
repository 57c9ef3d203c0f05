/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Field parsers and formatters: the text forms of the values a config holds (integers,
 * IPv4 addresses and prefixes, MACs, port ranges, names, host names, protocols, interface
 * roles), read from and written to plain strings. Nothing here knows YAML or keeps
 * state, so any code may use it: the YAML layer (values.h) wraps these with messages
 * and positions, the shell and the table dumps format with them.
 *
 * The shell's formatters (vxg_ip_format, vxg_endpoint_format, vxg_proto_format,
 * vxg_role_name) write the same text forms into a caller's buffer, for show commands and
 * table dumps.
 *
 * Thread-safety: pure functions, callable from any thread.
 */
#ifndef VXG_CONFIG_FIELDS_H
#define VXG_CONFIG_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "config/model.h"

/* Bytes VXLAN adds on the underlay: outer Ethernet 14 + IPv4 20 + UDP 8 + VXLAN 8. */
#define CONFIG_VXLAN_OVERHEAD 50

/* The keywords of enum vxg_if_role, indexed by it. */
#define CONFIG_ROLES (VXG_ROLE_ACCESS + 1)
extern const char *const config_role_names[CONFIG_ROLES];

/* Parsers: 0, or -EINVAL when s is not of the form (config_text_int: -ERANGE too). */

/* A decimal integer, optionally negative. */
int config_text_int(const char *s, int64_t *v);
/* "A.B.C.D" into a host-order address. */
int config_text_ip(const char *s, uint32_t *ip);
/* "A.B.C.D/LEN" or a bare "A.B.C.D" (*len = -1); host bits are not checked. */
int config_text_cidr(const char *s, uint32_t *ip, int *len);
/* "xx:xx:xx:xx:xx:xx", hex digits in either case. */
int config_text_mac(const char *s, struct rte_ether_addr *m);
/* "A-B" or a single "A" (*b = *a); bounds are not checked. */
int config_text_range(const char *s, int64_t *a, int64_t *b);
/* "A.B.C.D:PORT", PORT 1..65535 (-ERANGE when not); any address, 0.0.0.0 included. */
int config_text_endpoint(const char *s, uint32_t *ip, uint16_t *port);
/* A keyword of a rule's protocol ("any", "tcp", ...): true and *proto, else false. */
bool config_proto_by_name(const char *s, uint16_t *proto);

/* Names appear in shell commands and messages: one plain word of VXG_NAME_MAX - 1 at most. */
bool config_name_ok(const char *s);
/* Hostnames (one RFC 1123 label) or, with dots, domains. */
bool config_hostname_ok(const char *s, bool dots);
/* Addresses a host, gateway or VTEP can have: NULL if fine, else what it is. */
const char *config_ip_not_unicast(uint32_t ip);

/* Text forms for messages; the struct lives until the end of the full expression. */
struct config_str {
	char s[64];
};
struct config_str config_ip_str(uint32_t ip);
struct config_str config_cidr_str(struct vxg_cidr c);
struct config_str config_mac_str(const struct rte_ether_addr *m);

/* The shell's formatters. */

/* An interface role's keyword ("underlay", ...). */
const char *vxg_role_name(enum vxg_if_role r);
/* "a.b.c.d" of a host-order address. */
void vxg_ip_format(uint32_t addr, char *buf, size_t len);
/* "a.b.c.d" of addr (network order), then sep and the port in decimal unless sep is NULL:
 * "10.0.0.1:80", "10.0.0.1 id 7". */
void vxg_endpoint_format(rte_be32_t addr, const char *sep, rte_be16_t port, char *buf, size_t len);
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

#endif
