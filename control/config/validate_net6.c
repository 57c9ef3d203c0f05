/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks and derived addresses of the IPv6 side of networks and ports (validate_net6.h).
 */
#include <rte_ether.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_net6.h"

/* RFC 2526: the top 128 interface identifiers of an EUI-64 subnet are reserved anycast. */
static bool
reserved_anycast(const struct vxg_ip6 *ip)
{
	static const uint8_t top[7] = {0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	return memcmp(&ip->a[8], top, sizeof(top)) == 0 && ip->a[15] >= 0x80;
}

const char *
validate_host6_problem(const struct vxg_net6_cfg *c, const struct vxg_ip6 *ip)
{
	if (!config_cidr6_has(c->cidr, ip))
		return "is outside";
	if (config_ip6_cmp(ip, &c->cidr.addr) == 0)
		return "is the subnet-router anycast address of";
	if (c->cidr.len == 64 && reserved_anycast(ip))
		return "is a reserved anycast address (RFC 2526) of";
	return NULL;
}

static void
check_range6(struct config_ctx *x, const struct vxg_net6_cfg *c)
{
	struct vxg_pos p1 = config_pos(x, &c->range_start, c->pos);
	struct vxg_pos p2 = config_pos(x, &c->range_end, c->pos);
	const char *w1 = validate_host6_problem(c, &c->range_start),
		   *w2 = validate_host6_problem(c, &c->range_end);
	struct config_str cidr = config_cidr6_str(c->cidr), a = config_ip6_str(&c->range_start),
			  b = config_ip6_str(&c->range_end);

	if (c->mode != VXG_IP6_DHCP_STATEFUL) {
		config_error(x, p1,
			"range applies only to mode dhcpv6-stateful (this network's mode is %s: "
			"hosts choose their own addresses)",
			vxg_ip6_mode_name(c->mode));
		return;
	}
	if (w1 != NULL)
		config_error(x, p1, "range start %s %s %s", a.s, w1, cidr.s);
	if (w2 != NULL)
		config_error(x, p2, "range end %s %s %s", b.s, w2, cidr.s);
	if (w1 != NULL || w2 != NULL)
		return;
	if (config_ip6_cmp(&c->range_start, &c->range_end) > 0)
		config_error(x, p1, "range %s - %s: the first address is above the last", a.s, b.s);
	else if (config_ip6_cmp(&c->gateway, &c->range_start) >= 0 &&
		 config_ip6_cmp(&c->gateway, &c->range_end) <= 0)
		config_error(x, p1, "range %s - %s includes the gateway %s", a.s, b.s,
			config_ip6_str(&c->gateway).s);
}

void
validate_network6(struct config_ctx *x, const struct vxg_network_cfg *net)
{
	const struct vxg_net6_cfg *c = &net->ip6;
	size_t mark;
	const char *why;

	if (!c->enabled)
		return;
	mark = config_obj_push(x, "ipv6");
	if (c->cidr.len != 64) {
		config_error(x, config_pos(x, &c->cidr, c->pos),
			"cidr %s is a /%u; an IPv6 network must be a /64 (SLAAC and EUI-64 "
			"addresses need 64-bit interface identifiers)",
			config_cidr6_str(c->cidr).s, c->cidr.len);
		config_obj_pop(x, mark);
		return;
	}
	why = validate_host6_problem(c, &c->gateway);
	if (why != NULL)
		config_error(x, config_pos(x, &c->gateway, c->pos), "gateway %s %s %s",
			config_ip6_str(&c->gateway).s, why, config_cidr6_str(c->cidr).s);
	if (!config_ip6_is_zero(&c->range_start))
		check_range6(x, c);
	if (c->ra_lifetime != 0 && c->ra_lifetime < c->ra_interval)
		config_error(x, config_pos(x, &c->ra_lifetime, c->pos),
			"ra_lifetime %u is below ra_interval %u; RFC 4861 wants 0 (not a "
			"default router) or ra_interval..9000",
			c->ra_lifetime, c->ra_interval);
	config_obj_pop(x, mark);
}

/* Few networks: n^2. */
void
validate_overlaps6(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	const struct vxg_net6_cfg *a, *b;
	unsigned i, j;
	size_t mark;

	for (j = 0; j < v->n_networks; j++) {
		b = &v->networks[j].ip6;
		for (i = 0; i < j && b->enabled; i++) {
			a = &v->networks[i].ip6;
			if (!a->enabled || (!config_cidr6_has(a->cidr, &b->cidr.addr) &&
						   !config_cidr6_has(b->cidr, &a->cidr.addr)))
				continue;
			mark = config_obj_push(x, "network %s ipv6", v->networks[j].name);
			config_error(x, config_pos(x, &b->cidr, b->pos),
				"cidr %s overlaps network %s %s (line %u)",
				config_cidr6_str(b->cidr).s, v->networks[i].name,
				config_cidr6_str(a->cidr).s, a->pos.line);
			config_obj_pop(x, mark);
			break;
		}
	}
}

void
validate_ports6_auto(struct vxg_vpc_cfg *v)
{
	for (unsigned i = 0; i < v->n_ports; i++) {
		struct vxg_port_cfg *port = &v->ports[i];
		const struct vxg_net6_cfg *c = &v->networks[port->network].ip6;

		if (!c->enabled || c->mode == VXG_IP6_DHCP_STATEFUL || c->cidr.len != 64 ||
			port->n_ip6s > 0)
			continue;
		port->ip6s[0] = vxg_ip6_eui64(&c->cidr.addr, &port->mac);
		port->n_ip6s = 1;
		port->ip6_auto = true;
	}
}

void
validate_port6(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port)
{
	const struct vxg_network_cfg *net = &v->networks[port->network];
	const char *auto_s = port->ip6_auto ? " (the EUI-64 address of its mac)" : "";
	size_t mark = config_obj_push(x, "port %s", port->name);
	struct vxg_pos pos;
	const char *why;

	for (unsigned i = 0; i < port->n_ip6s; i++) {
		pos = config_pos(x, &port->ip6s[i], port->pos);
		if (!net->ip6.enabled) {
			config_error(x, pos,
				"ip6 %s: network %s has no ipv6 block; give it one or remove the "
				"address",
				config_ip6_str(&port->ip6s[i]).s, net->name);
			break;
		}
		why = validate_host6_problem(&net->ip6, &port->ip6s[i]);
		if (why != NULL)
			config_error(x, pos, "ip6 %s%s %s network %s %s",
				config_ip6_str(&port->ip6s[i]).s, auto_s, why, net->name,
				config_cidr6_str(net->ip6.cidr).s);
		else if (config_ip6_cmp(&port->ip6s[i], &net->ip6.gateway) == 0)
			config_error(x, pos, "ip6 %s%s is the gateway of network %s",
				config_ip6_str(&port->ip6s[i]).s, auto_s, net->name);
	}
	config_obj_pop(x, mark);
}

static void
report_port_ip6(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	const struct vxg_port_cfg *pa = &v->ports[first->b], *pb = &v->ports[again->b];
	size_t mark = config_obj_push(x, "port %s", pb->name);

	if (first->b == again->b)
		config_error(x, validate_dup_pos(x, again), "ip6 %s is listed twice",
			config_ip6_str(again->key6).s);
	else
		config_error(x, validate_dup_pos(x, again),
			"ip6 %s%s is already used by port %s (line %u%s)",
			config_ip6_str(again->key6).s,
			pb->ip6_auto ? " (the EUI-64 address of its mac)" : "", pa->name,
			pa->pos.line, pa->ip6_auto ? ", the EUI-64 address of its mac" : "");
	config_obj_pop(x, mark);
}

/* Networks' /64s of a VPC do not overlap, so unique in the VPC is unique in the network. */
void
validate_port_ip6s(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	unsigned i, j, n = 0;
	struct validate_dup *d;

	for (i = 0; i < v->n_ports; i++)
		n += v->ports[i].n_ip6s;
	d = validate_dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < v->n_ports; i++)
		for (j = 0; j < v->ports[i].n_ip6s; j++)
			d[n++] = (struct validate_dup){.key6 = &v->ports[i].ip6s[j],
				.b = i,
				.c = j,
				.field = &v->ports[i].ip6s[j],
				.pos = v->ports[i].pos};
	validate_find_dups(x, d, n, report_port_ip6, v);
}
