/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Field values read from YAML nodes: each reader takes one node, checks its kind, parses
 * its text with fields.h and checks its bounds, and on any problem reports it at the
 * node's position, named by its key ("vni 0 is out of range 1..16777215"). True and the
 * value when the node is good, false (nothing stored) when not.
 *
 * Thread-safety: as the load they run in (one thread).
 */
#ifndef VXG_CONFIG_VALUES_H
#define VXG_CONFIG_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

#include "config/errors.h"
#include "config/yaml_doc.h"

bool config_get_int(struct config_ctx *x, const struct config_node *n, const char *key, int64_t min,
	int64_t max, int64_t *v);
/* true/True/TRUE or false/False/FALSE (not yes/no: YAML 1.2). */
bool config_get_bool(struct config_ctx *x, const struct config_node *n, const char *key, bool *v);
/* One of count keywords: *v is its index. */
bool config_get_enum(struct config_ctx *x, const struct config_node *n, const char *key,
	const char *const *names, unsigned count, unsigned *v);
/* A unicast IPv4 address. */
bool config_get_ip(
	struct config_ctx *x, const struct config_node *n, const char *key, uint32_t *ip);
/* A prefix whose length is min..max with host bits zero; a bare address is a /32 if bare_ok. */
bool config_get_cidr(struct config_ctx *x, const struct config_node *n, const char *key,
	int64_t min, int64_t max, bool bare_ok, struct vxg_cidr *out);
/* An interface's unicast address/len that is a host of its own subnet. */
bool config_get_ifaddr(struct config_ctx *x, const struct config_node *n, const char *key,
	uint32_t *ip, uint8_t *len);
/* A unicast IPv6 address (config_ip6_not_unicast). */
bool config_get_ip6(
	struct config_ctx *x, const struct config_node *n, const char *key, struct vxg_ip6 *ip);
/* An IPv6 prefix whose length is min..max with host bits zero; a bare address is a /128 if
 * bare_ok. */
bool config_get_cidr6(struct config_ctx *x, const struct config_node *n, const char *key,
	int64_t min, int64_t max, bool bare_ok, struct vxg_cidr6 *out);
/* An interface's unicast IPv6 address/len, not its prefix's subnet-router anycast. */
bool config_get_ifaddr6(struct config_ctx *x, const struct config_node *n, const char *key,
	struct vxg_ip6 *ip, uint8_t *len);
/* A unicast MAC, not all zeros. */
bool config_get_mac(struct config_ctx *x, const struct config_node *n, const char *key,
	struct rte_ether_addr *m);
/* "A-B" or "A" within min..max, A <= B. */
bool config_get_range(struct config_ctx *x, const struct config_node *n, const char *key,
	int64_t min, int64_t max, int64_t *a, int64_t *b);
/* "A.B.C.D:PORT" to listen on: a unicast or loopback address, or 0.0.0.0 for all. */
bool config_get_endpoint(struct config_ctx *x, const struct config_node *n, const char *key,
	uint32_t *ip, uint16_t *port);
/* A QoS rate in bits a second (config_text_rate) within min..max. */
bool config_get_rate(struct config_ctx *x, const struct config_node *n, const char *key,
	uint64_t min, uint64_t max, uint64_t *bits);
/* A QoS burst in bytes (config_text_bytes) within min..max. */
bool config_get_bytes(struct config_ctx *x, const struct config_node *n, const char *key,
	uint64_t min, uint64_t max, uint64_t *bytes);
/* A string of 1 to size - 1 characters, copied into dst. */
bool config_get_str(
	struct config_ctx *x, const struct config_node *n, const char *key, char *dst, size_t size);
/* An object's name (config_name_ok), copied into dst[VXG_NAME_MAX]. */
bool config_get_name(struct config_ctx *x, const struct config_node *n, const char *key, char *dst);

/*
 * A sequence of addresses into out[max] (or a new array when max is 0), each marked with
 * its position; *cnt counts the good ones. 0, or -ENOMEM.
 */
int config_get_ip_list(struct config_ctx *x, const struct config_doc *doc,
	const struct config_node *n, const char *key, unsigned max, uint32_t **out, unsigned *cnt);
/* The same for IPv6 addresses, into out[max]. */
int config_get_ip6_list(struct config_ctx *x, const struct config_doc *doc,
	const struct config_node *n, const char *key, unsigned max, struct vxg_ip6 *out,
	unsigned *cnt);

#endif
