/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Field parsers and formatters (fields.h): strings to values and back, with no YAML and
 * no error context, so the shell and the table dumps share them with the config loader.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "config/fields.h"

const char *const config_role_names[CONFIG_ROLES] = {
	[VXG_ROLE_UNDERLAY] = "underlay",
	[VXG_ROLE_EXTERNAL] = "external",
	[VXG_ROLE_ACCESS] = "access",
};

const char *const config_ip6_mode_names[CONFIG_IP6_MODES] = {
	[VXG_IP6_SLAAC] = "slaac",
	[VXG_IP6_DHCP_STATELESS] = "dhcpv6-stateless",
	[VXG_IP6_DHCP_STATEFUL] = "dhcpv6-stateful",
};

const char *const config_frr_mode_names[CONFIG_FRR_MODES] = {
	[VXG_FRR_MANAGED] = "managed",
	[VXG_FRR_EXTERNAL] = "external",
};

/* A rule's protocol keywords; the shell prints protocols the same way. */
static const struct {
	const char *name;
	uint16_t proto;
} proto_names[] = {
	{"any", VXG_PROTO_ANY},
	{"icmp", IPPROTO_ICMP},
	{"tcp", IPPROTO_TCP},
	{"udp", IPPROTO_UDP},
	{"sctp", IPPROTO_SCTP},
	{"icmpv6", CONFIG_PROTO_ICMPV6},
};

/* ---- Parsers ----------------------------------------------------------------------------- */

int
config_text_int(const char *s, int64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0]) && !(s[0] == '-' && isdigit((unsigned char)s[1])))
		return -EINVAL;
	errno = 0;
	*v = strtoll(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	return errno == ERANGE ? -ERANGE : 0;
}

int
config_text_ip(const char *s, uint32_t *ip)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = ntohl(a.s_addr);
	return 0;
}

const char *
config_ip_not_unicast(uint32_t ip)
{
	if (ip == 0)
		return "the unspecified address";
	if ((ip >> 24) == 127)
		return "a loopback address";
	if ((ip >> 28) == 0xe)
		return "a multicast address";
	if (ip == UINT32_MAX)
		return "the broadcast address";
	if ((ip >> 28) == 0xf)
		return "a reserved address";
	return NULL;
}

int
config_text_cidr(const char *s, uint32_t *ip, int *len)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	char buf[INET_ADDRSTRLEN];
	int64_t l;

	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (config_text_ip(buf, ip) < 0)
		return -EINVAL;
	*len = -1;
	if (slash == NULL)
		return 0;
	if (!isdigit((unsigned char)slash[1]) || strlen(slash + 1) > 2 ||
		config_text_int(slash + 1, &l))
		return -EINVAL;
	if (l > 32)
		return -EINVAL;
	*len = l;
	return 0;
}

bool
config_text_is6(const char *s)
{
	return strchr(s, ':') != NULL;
}

int
config_text_ip6(const char *s, struct vxg_ip6 *ip)
{
	return inet_pton(AF_INET6, s, ip->a) == 1 ? 0 : -EINVAL;
}

int
config_text_cidr6(const char *s, struct vxg_ip6 *ip, int *len)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	char buf[INET6_ADDRSTRLEN];
	int64_t l;

	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (config_text_ip6(buf, ip) < 0)
		return -EINVAL;
	*len = -1;
	if (slash == NULL)
		return 0;
	if (!isdigit((unsigned char)slash[1]) || strlen(slash + 1) > 3 ||
		config_text_int(slash + 1, &l) || l > 128)
		return -EINVAL;
	*len = l;
	return 0;
}

const char *
config_ip6_not_unicast(const struct vxg_ip6 *ip)
{
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
	struct vxg_ip6 one = {.a = {[15] = 1}};

	if (config_ip6_is_zero(ip))
		return "the unspecified address";
	if (config_ip6_cmp(ip, &one) == 0)
		return "the loopback address";
	if (ip->a[0] == 0xff)
		return "a multicast address";
	if (memcmp(ip->a, mapped, sizeof(mapped)) == 0)
		return "an IPv4-mapped address";
	if (ip->a[0] == 0xfe && (ip->a[1] & 0xc0) == 0x80)
		return "a link-local address";
	return NULL;
}

struct vxg_ip6
vxg_ip6_eui64(const struct vxg_ip6 *prefix, const struct rte_ether_addr *mac)
{
	const uint8_t *m = mac->addr_bytes;
	struct vxg_ip6 r = config_ip6_prefix(prefix, 64);

	r.a[8] = m[0] ^ 0x02; /* the universal/local bit, inverted (RFC 4291 2.5.1) */
	r.a[9] = m[1];
	r.a[10] = m[2];
	r.a[11] = 0xff;
	r.a[12] = 0xfe;
	r.a[13] = m[3];
	r.a[14] = m[4];
	r.a[15] = m[5];
	return r;
}

struct vxg_ip6
vxg_ip6_link_local(const struct rte_ether_addr *mac)
{
	struct vxg_ip6 ll = {.a = {0xfe, 0x80}};

	return vxg_ip6_eui64(&ll, mac);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
config_text_mac(const char *s, struct rte_ether_addr *m)
{
	int hi, lo, i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0)
			return -EINVAL;
		m->addr_bytes[i] = hi << 4 | lo;
		s += 2;
		if (i < RTE_ETHER_ADDR_LEN - 1 && *s++ != ':')
			return -EINVAL;
	}
	return *s == '\0' ? 0 : -EINVAL;
}

/* An int or a string, so `ports: 80` and `ports: 80-81` both work. */
int
config_text_range(const char *s, int64_t *a, int64_t *b)
{
	const char *dash = strchr(s, '-');
	char buf[16];
	size_t n;

	if (dash == NULL) {
		if (config_text_int(s, a))
			return -EINVAL;
		*b = *a;
		return 0;
	}
	n = dash - s;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (config_text_int(buf, a) || config_text_int(dash + 1, b))
		return -EINVAL;
	return 0;
}

int
config_text_endpoint(const char *s, uint32_t *ip, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	char buf[INET_ADDRSTRLEN];
	size_t n = colon ? (size_t)(colon - s) : 0;
	int64_t p;

	if (colon == NULL || n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (config_text_ip(buf, ip) < 0 || config_text_int(colon + 1, &p) < 0)
		return -EINVAL;
	if (p < 1 || p > UINT16_MAX)
		return -ERANGE;
	*port = (uint16_t)p;
	return 0;
}

bool
config_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= VXG_NAME_MAX || !isalnum((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
			return false;
	return true;
}

bool
config_hostname_ok(const char *s, bool dots)
{
	size_t label = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (*s == '.' && dots && label > 0 && s[-1] != '-' && s[1] != '\0') {
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && !(*s == '-' && label > 0))
			return false;
		if (++label > 63)
			return false;
	}
	return s[-1] != '-';
}

bool
config_proto_by_name(const char *s, uint16_t *proto)
{
	unsigned i;

	for (i = 0; i < RTE_DIM(proto_names); i++) {
		if (!strcmp(s, proto_names[i].name)) {
			*proto = proto_names[i].proto;
			return true;
		}
	}
	return false;
}

/* ---- Formatters -------------------------------------------------------------------------- */

struct config_str
config_ip_str(uint32_t ip)
{
	struct config_str s;

	snprintf(s.s, sizeof(s.s), "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
		ip & 0xff);
	return s;
}

struct config_str
config_cidr_str(struct vxg_cidr c)
{
	struct config_str s;

	snprintf(s.s, sizeof(s.s), "%.15s/%u", config_ip_str(c.addr).s, c.len);
	return s;
}

struct config_str
config_mac_str(const struct rte_ether_addr *m)
{
	const uint8_t *b = m->addr_bytes;
	struct config_str s;

	snprintf(s.s, sizeof(s.s), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4],
		b[5]);
	return s;
}

struct config_str
config_ip6_str(const struct vxg_ip6 *ip)
{
	struct config_str s;

	vxg_ip6_format(ip, s.s, sizeof(s.s));
	return s;
}

struct config_str
config_cidr6_str(struct vxg_cidr6 c)
{
	struct config_str s;

	vxg_cidr6_format(c, s.s, sizeof(s.s));
	return s;
}

void
vxg_ip6_format(const struct vxg_ip6 *ip, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, ip->a, s, sizeof(s)) == NULL)
		snprintf(s, sizeof(s), "?");
	snprintf(buf, len, "%s", s);
}

void
vxg_cidr6_format(struct vxg_cidr6 c, char *buf, size_t len)
{
	char s[INET6_ADDRSTRLEN];

	vxg_ip6_format(&c.addr, s, sizeof(s));
	snprintf(buf, len, "%s/%u", s, c.len);
}

const char *
vxg_ip6_mode_name(enum vxg_ip6_mode m)
{
	if ((unsigned)m < RTE_DIM(config_ip6_mode_names))
		return config_ip6_mode_names[m];
	return "unknown";
}

const char *
vxg_frr_mode_name(enum vxg_frr_mode m)
{
	if ((unsigned)m < RTE_DIM(config_frr_mode_names))
		return config_frr_mode_names[m];
	return "unknown";
}

const char *
vxg_role_name(enum vxg_if_role r)
{
	if ((unsigned)r < RTE_DIM(config_role_names))
		return config_role_names[r];
	return "unknown";
}

void
vxg_ip_format(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

void
vxg_endpoint_format(rte_be32_t addr, const char *sep, rte_be16_t port, char *buf, size_t len)
{
	size_t n;

	vxg_ip_format(rte_be_to_cpu_32(addr), buf, len);
	n = strlen(buf);
	if (sep != NULL && n < len)
		snprintf(buf + n, len - n, "%s%u", sep, rte_be_to_cpu_16(port));
}

void
vxg_proto_format(uint16_t proto, char *buf, size_t len)
{
	for (unsigned i = 0; i < RTE_DIM(proto_names); i++) {
		if (proto_names[i].proto == proto) {
			snprintf(buf, len, "%s", proto_names[i].name);
			return;
		}
	}
	snprintf(buf, len, "proto %u", proto);
}

/* QoS rates and bursts: decimal multiples (k = 1000, as tc's kbit), the unit in any case. */
struct unit {
	const char *name;
	uint64_t mult;
};

static const struct unit rate_units[] = {
	{"", 1}, {"bit", 1}, {"kbit", 1000}, {"mbit", 1000000}, {"gbit", 1000000000}};
static const struct unit byte_units[] = {
	{"", 1}, {"b", 1}, {"kb", 1000}, {"mb", 1000000}, {"gb", 1000000000}};

static int
text_scaled(const char *s, const struct unit *u, unsigned n, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	for (unsigned i = 0; i < n; i++) {
		if (strcasecmp(end, u[i].name) != 0)
			continue;
		if (errno == ERANGE || x > UINT64_MAX / u[i].mult)
			return -ERANGE;
		*v = x * u[i].mult;
		return 0;
	}
	return -EINVAL;
}

int
config_text_rate(const char *s, uint64_t *bits)
{
	return text_scaled(s, rate_units, RTE_DIM(rate_units), bits);
}

int
config_text_bytes(const char *s, uint64_t *bytes)
{
	return text_scaled(s, byte_units, RTE_DIM(byte_units), bytes);
}

/* v in the largest unit of u that divides it. */
static void
format_scaled(uint64_t v, const struct unit *u, unsigned n, char *buf, size_t len)
{
	unsigned i = n - 1;

	while (i > 1 && (v == 0 || v % u[i].mult != 0))
		i--;
	snprintf(buf, len, "%" PRIu64 "%s", v / u[i].mult, u[i].name);
}

void
vxg_rate_format(uint64_t bits, char *buf, size_t len)
{
	format_scaled(bits, rate_units, RTE_DIM(rate_units), buf, len);
}

void
vxg_bytes_format(uint64_t bytes, char *buf, size_t len)
{
	format_scaled(bytes, byte_units, RTE_DIM(byte_units), buf, len);
}
