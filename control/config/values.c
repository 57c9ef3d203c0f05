/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Field values read from YAML nodes (values.h): the text parsers of fields.h, with the
 * messages that say what was expected, at the node's position.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config/names.h"
#include "config/values.h"

bool
config_get_int(struct config_ctx *x, const struct config_node *n, const char *key, int64_t min,
	int64_t max, int64_t *v)
{
	int r;

	if (!config_want_scalar(x, n, key, "an integer"))
		return false;
	r = config_text_int(config_scalar(n), v);
	if (r == -EINVAL) {
		config_error(x, config_node_pos(n), "%s: expected an integer, got %s", key,
			config_node_desc(n).s);
		return false;
	}
	if (r < 0 || *v < min || *v > max) {
		config_error(x, config_node_pos(n), "%s %s is out of range %" PRId64 "..%" PRId64,
			key, config_excerpt(n), min, max);
		return false;
	}
	return true;
}

bool
config_get_bool(struct config_ctx *x, const struct config_node *n, const char *key, bool *v)
{
	static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False",
									   "FALSE"};
	unsigned i;

	if (!config_want_scalar(x, n, key, "true or false"))
		return false;
	for (i = 0; i < RTE_DIM(yes); i++) {
		if (!strcmp(config_scalar(n), yes[i]) || !strcmp(config_scalar(n), no[i])) {
			*v = !strcmp(config_scalar(n), yes[i]);
			return true;
		}
	}
	config_error(x, config_node_pos(n), "%s: expected true or false, got %s", key,
		config_node_desc(n).s);
	return false;
}

bool
config_get_enum(struct config_ctx *x, const struct config_node *n, const char *key,
	const char *const *names, unsigned count, unsigned *v)
{
	struct config_names l = {(const char *)names, count, sizeof(*names), true};
	char hint[160];

	if (!config_want_scalar(x, n, key, "a keyword"))
		return false;
	for (*v = 0; *v < count; (*v)++)
		if (!strcmp(config_scalar(n), names[*v]))
			return true;
	config_names_suggest(&l, config_scalar(n), hint, sizeof(hint));
	config_error(
		x, config_node_pos(n), "%s: unknown value '%s'%s", key, config_excerpt(n), hint);
	return false;
}

bool
config_get_ip(struct config_ctx *x, const struct config_node *n, const char *key, uint32_t *ip)
{
	const char *why;

	if (!config_want_scalar(x, n, key, "an IPv4 address"))
		return false;
	if (config_text_ip(config_scalar(n), ip) < 0) {
		config_error(x, config_node_pos(n), "%s '%s' is not an IPv4 address", key,
			config_excerpt(n));
		return false;
	}
	why = config_ip_not_unicast(*ip);
	if (why != NULL) {
		config_error(x, config_node_pos(n), "%s %s is %s, not a unicast address", key,
			config_excerpt(n), why);
		return false;
	}
	return true;
}

/* A prefix: host bits must be zero; a bare address is a /32 where bare_ok. */
bool
config_get_cidr(struct config_ctx *x, const struct config_node *n, const char *key, int64_t min,
	int64_t max, bool bare_ok, struct vxg_cidr *out)
{
	uint32_t ip;
	int len;

	if (!config_want_scalar(x, n, key, "an IPv4 prefix"))
		return false;
	if (config_text_cidr(config_scalar(n), &ip, &len) < 0) {
		config_error(x, config_node_pos(n), "%s '%s' is not an IPv4 prefix (A.B.C.D/LEN)",
			key, config_excerpt(n));
		return false;
	}
	if (len < 0 && !bare_ok) {
		config_error(x, config_node_pos(n),
			"%s %s has no prefix length; write it as %s/LEN", key, config_excerpt(n),
			config_excerpt(n));
		return false;
	}
	len = len < 0 ? 32 : len;
	if (len < min || len > max) {
		config_error(x, config_node_pos(n),
			"%s %s: the prefix length must be %" PRId64 "..%" PRId64, key,
			config_excerpt(n), min, max);
		return false;
	}
	if (ip & ~config_mask(len)) {
		config_error(x, config_node_pos(n), "%s %s has host bits set; did you mean %s/%d?",
			key, config_excerpt(n), config_ip_str(ip & config_mask(len)).s, len);
		return false;
	}
	out->addr = ip;
	out->len = len;
	return true;
}

bool
config_get_ip6(
	struct config_ctx *x, const struct config_node *n, const char *key, struct vxg_ip6 *ip)
{
	const char *why;

	if (!config_want_scalar(x, n, key, "an IPv6 address"))
		return false;
	if (config_text_ip6(config_scalar(n), ip) < 0) {
		config_error(x, config_node_pos(n), "%s '%s' is not an IPv6 address", key,
			config_excerpt(n));
		return false;
	}
	why = config_ip6_not_unicast(ip);
	if (why != NULL) {
		config_error(x, config_node_pos(n), "%s %s is %s, not a unicast address", key,
			config_excerpt(n), why);
		return false;
	}
	return true;
}

bool
config_get_cidr6(struct config_ctx *x, const struct config_node *n, const char *key, int64_t min,
	int64_t max, bool bare_ok, struct vxg_cidr6 *out)
{
	struct vxg_ip6 ip, net;
	int len;

	if (!config_want_scalar(x, n, key, "an IPv6 prefix"))
		return false;
	if (config_text_cidr6(config_scalar(n), &ip, &len) < 0) {
		config_error(x, config_node_pos(n), "%s '%s' is not an IPv6 prefix (ADDR/LEN)", key,
			config_excerpt(n));
		return false;
	}
	if (len < 0 && !bare_ok) {
		config_error(x, config_node_pos(n),
			"%s %s has no prefix length; write it as %s/LEN", key, config_excerpt(n),
			config_excerpt(n));
		return false;
	}
	len = len < 0 ? 128 : len;
	if (len < min || len > max) {
		config_error(x, config_node_pos(n),
			"%s %s: the prefix length must be %" PRId64 "..%" PRId64, key,
			config_excerpt(n), min, max);
		return false;
	}
	net = config_ip6_prefix(&ip, len);
	if (config_ip6_cmp(&net, &ip) != 0) {
		config_error(x, config_node_pos(n), "%s %s has host bits set; did you mean %s/%d?",
			key, config_excerpt(n), config_ip6_str(&net).s, len);
		return false;
	}
	out->addr = ip;
	out->len = len;
	return true;
}

bool
config_get_ifaddr6(struct config_ctx *x, const struct config_node *n, const char *key,
	struct vxg_ip6 *ipp, uint8_t *lenp)
{
	struct vxg_ip6 ip, net;
	const char *why;
	int len;

	if (!config_want_scalar(x, n, key, "an IPv6 address with a prefix length"))
		return false;
	if (config_text_cidr6(config_scalar(n), &ip, &len) < 0 || len < 1) {
		config_error(x, config_node_pos(n),
			"%s '%s' is not an IPv6 address with a prefix length, like "
			"2001:db8:ff::2/64",
			key, config_excerpt(n));
		return false;
	}
	why = config_ip6_not_unicast(&ip);
	if (why != NULL) {
		config_error(x, config_node_pos(n), "%s %s is %s, not a unicast address", key,
			config_excerpt(n), why);
		return false;
	}
	net = config_ip6_prefix(&ip, len);
	if (len <= 126 && config_ip6_cmp(&net, &ip) == 0) {
		config_error(x, config_node_pos(n),
			"%s %s is the subnet-router anycast address of %s/%d, not a host", key,
			config_excerpt(n), config_ip6_str(&net).s, len);
		return false;
	}
	*ipp = ip;
	*lenp = len;
	return true;
}

bool
config_get_mac(struct config_ctx *x, const struct config_node *n, const char *key,
	struct rte_ether_addr *m)
{
	if (!config_want_scalar(x, n, key, "a MAC address"))
		return false;
	if (config_text_mac(config_scalar(n), m) < 0) {
		config_error(x, config_node_pos(n),
			"%s '%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", key, config_excerpt(n));
		return false;
	}
	if (rte_is_multicast_ether_addr(m)) {
		config_error(x, config_node_pos(n),
			"%s %s is a multicast address (the low bit of the "
			"first byte is set); use a unicast MAC such as 02:...",
			key, config_excerpt(n));
		return false;
	}
	if (rte_is_zero_ether_addr(m)) {
		config_error(x, config_node_pos(n), "%s %s is all zeros", key, config_excerpt(n));
		return false;
	}
	return true;
}

bool
config_get_range(struct config_ctx *x, const struct config_node *n, const char *key, int64_t min,
	int64_t max, int64_t *a, int64_t *b)
{
	if (!config_want_scalar(x, n, key, "a port range"))
		return false;
	if (config_text_range(config_scalar(n), a, b) < 0) {
		config_error(x, config_node_pos(n), "%s '%s' is not a port or a range (N or A-B)",
			key, config_excerpt(n));
		return false;
	}
	if (*a < min || *b > max) {
		config_error(x, config_node_pos(n), "%s %s is out of range %" PRId64 "..%" PRId64,
			key, config_excerpt(n), min, max);
		return false;
	}
	if (*a > *b) {
		config_error(x, config_node_pos(n), "%s %s: the first port is above the last", key,
			config_excerpt(n));
		return false;
	}
	return true;
}

bool
config_get_endpoint(struct config_ctx *x, const struct config_node *n, const char *key,
	uint32_t *ip, uint16_t *port)
{
	int ret;

	if (!config_want_scalar(x, n, key, "an address:port"))
		return false;
	ret = config_text_endpoint(config_scalar(n), ip, port);
	if (ret == -ERANGE) {
		config_error(x, config_node_pos(n), "%s %s: the port is out of range 1..65535", key,
			config_excerpt(n));
		return false;
	}
	if (ret < 0) {
		config_error(x, config_node_pos(n),
			"%s '%s' is not an IPv4 address and port (A.B.C.D:PORT)", key,
			config_excerpt(n));
		return false;
	}
	if (*ip != 0 && (*ip >> 28) >= 0xe) {
		config_error(x, config_node_pos(n), "%s %s: %s is not an address to listen on", key,
			config_excerpt(n), config_ip_str(*ip).s);
		return false;
	}
	return true;
}

bool
config_get_ifaddr(struct config_ctx *x, const struct config_node *n, const char *key, uint32_t *ipp,
	uint8_t *lenp)
{
	struct vxg_cidr net;
	const char *why;
	uint32_t ip;
	int len;

	if (!config_want_scalar(x, n, key, "an address with a prefix length"))
		return false;
	if (config_text_cidr(config_scalar(n), &ip, &len) < 0 || len < 1) {
		config_error(x, config_node_pos(n),
			"%s '%s' is not an address with a prefix length, "
			"like 172.16.0.1/24",
			key, config_excerpt(n));
		return false;
	}
	net.addr = ip & config_mask(len);
	net.len = len;
	why = config_ip_not_unicast(ip);
	if (why != NULL) {
		config_error(x, config_node_pos(n), "%s %s is %s, not a unicast address", key,
			config_excerpt(n), why);
		return false;
	}
	if (len <= 30 && (ip == net.addr || ip == config_cidr_last(net))) {
		config_error(x, config_node_pos(n), "%s %s is the %s address of %s, not a host",
			key, config_excerpt(n), ip == net.addr ? "network" : "broadcast",
			config_cidr_str(net).s);
		return false;
	}
	*ipp = ip;
	*lenp = len;
	return true;
}

bool
config_get_str(
	struct config_ctx *x, const struct config_node *n, const char *key, char *dst, size_t size)
{
	size_t len;

	if (!config_want_scalar(x, n, key, "a string"))
		return false;
	len = strlen(config_scalar(n));
	if (len == 0 || len >= size) {
		config_error(x, config_node_pos(n), "%s: must be 1 to %zu characters, got %zu", key,
			size - 1, len);
		return false;
	}
	memcpy(dst, config_scalar(n), len + 1);
	return true;
}

bool
config_get_name(struct config_ctx *x, const struct config_node *n, const char *key, char *dst)
{
	if (!config_want_scalar(x, n, key, "a name"))
		return false;
	if (!config_name_ok(config_scalar(n))) {
		config_error(x, config_node_pos(n),
			"%s '%s' is not a valid name: 1 to %d letters, "
			"digits, '-', '_' or '.', starting with a letter or digit",
			key, config_excerpt(n), VXG_NAME_MAX - 1);
		return false;
	}
	strcpy(dst, config_scalar(n));
	return true;
}

int
config_get_ip_list(struct config_ctx *x, const struct config_doc *doc, const struct config_node *n,
	const char *key, unsigned max, uint32_t **out, unsigned *cnt)
{
	unsigned i, len = config_seq_len(n);

	if (!config_want_kind(x, n, key, CONFIG_NODE_SEQ) || len == 0)
		return 0;
	if (max && len > max) {
		config_error(
			x, config_node_pos(n), "%s: at most %u addresses, got %u", key, max, len);
		return 0;
	}
	if (max == 0) {
		*out = calloc(len, sizeof(**out));
		if (*out == NULL)
			return -ENOMEM;
	}
	for (i = 0; i < len; i++) {
		if (!config_get_ip(x, config_seq_item(doc, n, i), key, &(*out)[*cnt]))
			continue;
		config_mark(x, &(*out)[*cnt], config_node_pos(config_seq_item(doc, n, i)));
		(*cnt)++;
	}
	return 0;
}

int
config_get_ip6_list(struct config_ctx *x, const struct config_doc *doc, const struct config_node *n,
	const char *key, unsigned max, struct vxg_ip6 *out, unsigned *cnt)
{
	unsigned i, len = config_seq_len(n);

	if (!config_want_kind(x, n, key, CONFIG_NODE_SEQ) || len == 0)
		return 0;
	if (len > max) {
		config_error(
			x, config_node_pos(n), "%s: at most %u addresses, got %u", key, max, len);
		return 0;
	}
	for (i = 0; i < len; i++) {
		if (!config_get_ip6(x, config_seq_item(doc, n, i), key, &out[*cnt]))
			continue;
		config_mark(x, &out[*cnt], config_node_pos(config_seq_item(doc, n, i)));
		(*cnt)++;
	}
	return 0;
}

/* A rate (bits) or a burst (bytes) of a QoS policy within min..max. */
static bool
get_scaled(struct config_ctx *x, const struct config_node *n, const char *key, bool bits,
	uint64_t min, uint64_t max, uint64_t *v)
{
	const char *what = bits ? "a rate (e.g. 50mbit: bit, kbit, mbit, gbit)"
				: "a size in bytes (e.g. 64kb: b, kb, mb, gb)";
	char lo[32], hi[32];
	int r;

	if (!config_want_scalar(x, n, key, what))
		return false;
	r = bits ? config_text_rate(config_scalar(n), v) : config_text_bytes(config_scalar(n), v);
	if (r == -EINVAL) {
		config_error(
			x, config_node_pos(n), "%s '%s' is not %s", key, config_excerpt(n), what);
		return false;
	}
	if (r < 0 || *v < min || *v > max) {
		(bits ? vxg_rate_format : vxg_bytes_format)(min, lo, sizeof(lo));
		(bits ? vxg_rate_format : vxg_bytes_format)(max, hi, sizeof(hi));
		config_error(x, config_node_pos(n), "%s %s is out of range %s..%s", key,
			config_excerpt(n), lo, hi);
		return false;
	}
	return true;
}

bool
config_get_rate(struct config_ctx *x, const struct config_node *n, const char *key, uint64_t min,
	uint64_t max, uint64_t *bits)
{
	return get_scaled(x, n, key, true, min, max, bits);
}

bool
config_get_bytes(struct config_ctx *x, const struct config_node *n, const char *key, uint64_t min,
	uint64_t max, uint64_t *bytes)
{
	return get_scaled(x, n, key, false, min, max, bytes);
}
