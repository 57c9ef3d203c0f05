/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a network, its DHCP server and its IPv6 block (schema_networks.h). Containment
 * (gateway and range inside the CIDR), overlaps and the derived MTU and gateway MAC are
 * checked and filled in by validate_networks.c, the IPv6 block's by validate_net6.c.
 */
#include <string.h>

#include <rte_ether.h>

#include "config/fields.h"
#include "config/schema_networks.h"
#include "config/values.h"

static int
fn_dhcp_range(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_dhcp_cfg *d = obj;

	if (!config_want_kind(p->x, n, "range", CONFIG_NODE_SEQ))
		return 0;
	if (config_seq_len(n) != 2) {
		config_error(p->x, config_node_pos(n),
			"range: expected [first, last], got %u addresses", config_seq_len(n));
		return 0;
	}
	if (config_get_ip(p->x, config_seq_item(p->doc, n, 0), "range", &d->range_start))
		config_mark(p->x, &d->range_start, config_node_pos(config_seq_item(p->doc, n, 0)));
	if (config_get_ip(p->x, config_seq_item(p->doc, n, 1), "range", &d->range_end))
		config_mark(p->x, &d->range_end, config_node_pos(config_seq_item(p->doc, n, 1)));
	return 0;
}

static int
fn_dhcp_dns(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_dhcp_cfg *d = obj;
	uint32_t *dns = d->dns;

	return config_get_ip_list(p->x, p->doc, n, "dns", VXG_DNS_MAX, &dns, &d->n_dns);
}

static void
get_domain(struct config_parser *p, const struct config_node *n, char *dst, size_t size)
{
	if (!config_want_scalar(p->x, n, "domain", "a domain name"))
		return;
	if (strlen(config_scalar(n)) >= size || !config_hostname_ok(config_scalar(n), true)) {
		config_error(p->x, config_node_pos(n),
			"domain '%s' is not a domain name (letters, "
			"digits, '-' and dots, at most %zu characters)",
			config_excerpt(n), size - 1);
		return;
	}
	strcpy(dst, config_scalar(n));
}

static int
fn_dhcp_domain(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_dhcp_cfg *d = obj;

	get_domain(p, n, d->domain, sizeof(d->domain));
	return 0;
}

static int
fn_dhcp_hostname(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_dhcp_host_cfg *h = obj;

	if (!config_want_scalar(p->x, n, "hostname", "a host name"))
		return 0;
	if (strlen(config_scalar(n)) >= sizeof(h->hostname) ||
		!config_hostname_ok(config_scalar(n), false)) {
		config_error(p->x, config_node_pos(n),
			"hostname '%s' is not a host name (letters, digits "
			"and '-', at most %zu characters)",
			config_excerpt(n), sizeof(h->hostname) - 1);
		return 0;
	}
	strcpy(h->hostname, config_scalar(n));
	return 0;
}

#define T struct vxg_dhcp_host_cfg
static const struct config_field dhcp_host_fields[] = {
	{"mac", F_MAC, REQ, AT(mac)},
	{"ip", F_IP, REQ, AT(ip)},
	{"hostname", F_FN, .fn = fn_dhcp_hostname},
};
static const struct config_seq dhcp_host_seq = SEQ("host", false, dhcp_host_fields, NULL, NULL);
#undef T

#define T struct vxg_dhcp_cfg
static const struct config_field dhcp_fields[] = {
	{"range", F_FN, .fn = fn_dhcp_range},
	{"lease", F_U32, AT(lease), .min = 60, .max = 31536000},
	{"dns", F_FN, .fn = fn_dhcp_dns},
	{"domain", F_FN, .fn = fn_dhcp_domain},
	{"hosts", LIST(hosts, n_hosts, dhcp_host_seq)},
};
#undef T

static int
fn_dhcp(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_network_cfg *net = obj;

	net->dhcp.enabled = true;
	net->dhcp.lease = 86400;
	net->dhcp.pos = config_node_pos(n);
	return config_parse_sub(p, n, "dhcp", dhcp_fields, RTE_DIM(dhcp_fields), &net->dhcp);
}

static int
fn_ip6_range(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_net6_cfg *c = obj;
	const struct config_node *a, *b;

	if (!config_want_kind(p->x, n, "range", CONFIG_NODE_SEQ))
		return 0;
	if (config_seq_len(n) != 2) {
		config_error(p->x, config_node_pos(n),
			"range: expected [first, last], got %u addresses", config_seq_len(n));
		return 0;
	}
	a = config_seq_item(p->doc, n, 0);
	b = config_seq_item(p->doc, n, 1);
	if (config_get_ip6(p->x, a, "range", &c->range_start))
		config_mark(p->x, &c->range_start, config_node_pos(a));
	if (config_get_ip6(p->x, b, "range", &c->range_end))
		config_mark(p->x, &c->range_end, config_node_pos(b));
	return 0;
}

static int
fn_ip6_dns(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_net6_cfg *c = obj;

	return config_get_ip6_list(p->x, p->doc, n, "dns", VXG_DNS_MAX, c->dns, &c->n_dns);
}

static int
fn_ip6_domain(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_net6_cfg *c = obj;

	get_domain(p, n, c->domain, sizeof(c->domain));
	return 0;
}

static int
fn_ip6_mode(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_net6_cfg *c = obj;
	unsigned v;

	if (config_get_enum(p->x, n, "mode", config_ip6_mode_names, CONFIG_IP6_MODES, &v)) {
		c->mode = v;
		config_mark(p->x, &c->mode, config_node_pos(n));
	}
	return 0;
}

#define T struct vxg_net6_cfg
static const struct config_field ip6_fields[] = {
	{"cidr", F_CIDR6, REQ, AT(cidr), .min = 1, .max = 128},
	{"gateway", F_IP6, AT(gateway)},
	{"mode", F_FN, .fn = fn_ip6_mode},
	{"dns", F_FN, .fn = fn_ip6_dns},
	{"domain", F_FN, .fn = fn_ip6_domain},
	{"range", F_FN, .fn = fn_ip6_range},
	{"lease", F_U32, AT(lease), .min = 60, .max = 31536000},
	{"ra_interval", F_U32, AT(ra_interval), .min = 4, .max = 1800},
	{"ra_lifetime", F_U32, AT(ra_lifetime), .min = 0, .max = 9000},
};
#undef T

/* Defaults that depend on other keys follow the parse: the gateway is the subnet's ::1,
 * the router lifetime three RA intervals (RFC 4861's AdvDefaultLifetime). */
static int
fn_ipv6(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_net6_cfg *c = &((struct vxg_network_cfg *)obj)->ip6;
	int ret;

	c->enabled = true;
	c->mode = VXG_IP6_SLAAC;
	c->lease = 86400;
	c->ra_interval = 200;
	c->ra_lifetime = UINT32_MAX; /* not given */
	c->pos = config_node_pos(n);
	ret = config_parse_sub(p, n, "ipv6", ip6_fields, RTE_DIM(ip6_fields), c);
	if (c->ra_lifetime == UINT32_MAX)
		c->ra_lifetime = 3 * c->ra_interval;
	if (config_ip6_is_zero(&c->gateway) && c->cidr.len != 0) {
		c->gateway = c->cidr.addr;
		c->gateway.a[15] |= 1;
	}
	return ret;
}

static int
fn_flood(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_network_cfg *net = obj;

	return config_get_ip_list(p->x, p->doc, n, "flood", 0, &net->flood, &net->n_flood);
}

static void
network_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	struct vxg_network_cfg *net = elem;

	net->gw_mac_set = !rte_is_zero_ether_addr(&net->gw_mac);
}

/* Defaults before any key: a network takes part in EVPN unless it says not to. */
static void
network_init(struct config_parser *p, void *elem)
{
	struct vxg_network_cfg *net = elem;

	net->evpn = true;
}

#define T struct vxg_network_cfg
static const struct config_field network_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"vni", F_U32, REQ, AT(vni), .min = 1, .max = VXG_VNI_MAX},
	{"cidr", F_CIDR, REQ, AT(cidr), .min = 1, .max = 30},
	{"gateway", F_IP, AT(gateway)},
	{"gateway_mac", F_MAC, AT(gw_mac)},
	{"mtu", F_U16, AT(mtu), .min = 68, .max = 9600},
	{"flood", F_FN, .fn = fn_flood},
	{"evpn", F_BOOL, AT(evpn)},
	{"dhcp", F_FN, .fn = fn_dhcp},
	{"ipv6", F_FN, .fn = fn_ipv6},
};
const struct config_seq schema_network_seq =
	SEQ("network", true, network_fields, network_init, network_check);
#undef T
