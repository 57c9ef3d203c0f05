/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of NAT (validate_nat.h).
 */
#include <stdlib.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_nat.h"
#include "config/validate_pfwd.h"

static void
nat_interface(struct config_ctx *x, struct vxg_nat_cfg *nat)
{
	struct vxg_pos pos = config_pos(x, &nat->interface, nat->pos);
	const struct vxg_if_cfg *ic;
	unsigned i;

	for (i = 0; i < x->c->n_interfaces && nat->interface == VXG_NONE; i++)
		if (x->c->interfaces[i].role == VXG_ROLE_EXTERNAL)
			nat->interface = i;
	if (nat->interface == VXG_NONE) {
		config_error(x, nat->pos, "no interface has role external; NAT needs one");
		return;
	}
	ic = &x->c->interfaces[nat->interface];
	if (ic->role != VXG_ROLE_EXTERNAL)
		config_error(x, pos, "interface %s has role %s; NAT needs an external interface",
			ic->name, vxg_role_name(ic->role));
	else if (ic->address == 0)
		config_error(x, pos, "interface %s has no address", ic->name);
}

static void
fip_fixed_ip(struct config_ctx *x, struct vxg_fip_cfg *f, const struct vxg_port_cfg *port)
{
	unsigned i;

	if (port->n_ips == 0) {
		config_error(x, config_pos(x, &f->port, f->pos),
			"port %s has no IP address to map "
			"to",
			port->name);
		return;
	}
	if (f->fixed_ip == 0)
		f->fixed_ip = port->ips[0];
	for (i = 0; i < port->n_ips && port->ips[i] != f->fixed_ip; i++)
		;
	if (i == port->n_ips)
		config_error(x, config_pos(x, &f->fixed_ip, f->pos),
			"fixed_ip %s is not an "
			"address of port %s",
			config_ip_str(f->fixed_ip).s, port->name);
}

static void
check_fip(struct config_ctx *x, const struct vxg_vpc_cfg *v, struct vxg_fip_cfg *f, unsigned i)
{
	const struct vxg_port_cfg *port = &v->ports[f->port];
	const struct vxg_network_cfg *net = &v->networks[port->network];
	size_t mark = config_obj_push(x, "floating_ip %u", i + 1);
	unsigned k;

	fip_fixed_ip(x, f, port);
	if (net->gateway == 0)
		config_error(x, config_pos(x, &f->port, f->pos),
			"port %s is on network %s, which "
			"has no gateway to route the floating IP through",
			port->name, net->name);
	for (k = 0; k < x->c->n_interfaces; k++)
		if (x->c->interfaces[k].address == f->ip)
			config_error(x, config_pos(x, &f->ip, f->pos),
				"ip %s is the address of "
				"interface %s",
				config_ip_str(f->ip).s, x->c->interfaces[k].name);
	config_obj_pop(x, mark);
}

static void
report_fixed_ip(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	const struct vxg_fip_cfg *f = &v->nat.fips[again->b];
	size_t mark = config_obj_push(x, "floating_ip %u", again->b + 1);

	config_error(x, config_pos(x, &f->fixed_ip, config_pos(x, &f->port, f->pos)),
		"port %s already has floating_ip %u "
		"(line %u) for fixed IP %s",
		v->ports[f->port].name, first->b + 1, v->nat.fips[first->b].pos.line,
		config_ip_str(f->fixed_ip).s);
	config_obj_pop(x, mark);
}

void
validate_nat(struct config_ctx *x, struct vxg_vpc_cfg *v)
{
	struct vxg_nat_cfg *nat = &v->nat;
	size_t mark;
	struct validate_dup *d;
	unsigned i;

	if (nat->pos.line == 0)
		return;
	mark = config_obj_push(x, "nat");
	nat_interface(x, nat);
	for (i = 0; i < nat->n_fips; i++)
		check_fip(x, v, &nat->fips[i], i);
	validate_pfwd(x, v);
	d = validate_dup_alloc(x, nat->n_fips);
	if (d != NULL) {
		for (i = 0; i < nat->n_fips; i++)
			d[i] = (struct validate_dup){
				.key = (uint64_t)nat->fips[i].port << 32 | nat->fips[i].fixed_ip,
				.b = i};
		validate_find_dups(x, d, nat->n_fips, report_fixed_ip, v);
	}
	config_obj_pop(x, mark);
}

/* A NAT address: c = 0 the VPC's snat, c = 1 floating IP b, c = 2 port forward b - FWD_B
 * (snat sorts first, forwards last). */
#define FWD_B 0x40000000u

static void
push_nat_obj(struct config_ctx *x, const struct validate_dup *d)
{
	const char *vpc = x->c->vpcs[d->a].name;

	if (d->c == 0)
		config_obj_push(x, "vpc %s nat", vpc);
	else if (d->c == 1)
		config_obj_push(x, "vpc %s nat floating_ip %u", vpc, d->b);
	else
		config_obj_push(x, "vpc %s nat port_forward %u", vpc, d->b - FWD_B);
}

static void
report_nat_ip(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const char *what = again->c == 0   ? "snat"
			   : again->c == 1 ? "floating IP"
					   : "port forward ip";
	const char *vpc = x->c->vpcs[first->a].name;
	struct config_str ip = config_ip_str(again->key);
	struct vxg_pos pos = validate_dup_pos(x, again);
	size_t mark = x->obj_len;

	push_nat_obj(x, again);
	if (first->c == 0)
		config_error(
			x, pos, "%s %s is already the snat address of vpc %s", what, ip.s, vpc);
	else if (first->c == 1)
		config_error(x, pos, "%s %s is already floating_ip %u of vpc %s (line %u)", what,
			ip.s, first->b, vpc, validate_dup_pos(x, first).line);
	else
		config_error(x, pos, "%s %s is already port_forward %u of vpc %s (line %u)", what,
			ip.s, first->b - FWD_B, vpc, validate_dup_pos(x, first).line);
	config_obj_pop(x, mark);
}

/* The VPC's forward addresses, each once, but its own SNAT address (a VPC may forward
 * ports of its SNAT address): into d; returns how many. */
static unsigned
fwd_addresses(const struct vxg_vpc_cfg *v, unsigned vi, struct validate_dup *d)
{
	unsigned n = 0;

	for (unsigned j = 0; j < v->nat.n_fwds; j++) {
		const struct vxg_pfwd_cfg *f = &v->nat.fwds[j];
		unsigned k;

		for (k = 0; k < j && v->nat.fwds[k].ip != f->ip; k++)
			;
		if (k < j || f->ip == v->nat.snat || f->ip == 0)
			continue;
		d[n++] = (struct validate_dup){.key = f->ip,
			.a = vi,
			.b = FWD_B + j + 1,
			.c = 2,
			.field = &f->ip,
			.pos = f->pos};
	}
	return n;
}

void
validate_nat_addresses(struct config_ctx *x)
{
	const struct vxg_vpc_cfg *v;
	unsigned i, j, n = 0;
	struct validate_dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].nat.n_fips + x->c->vpcs[i].nat.n_fwds + 1;
	d = validate_dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++) {
		v = &x->c->vpcs[i];
		if (v->nat.snat != 0)
			d[n++] = (struct validate_dup){.key = v->nat.snat,
				.a = i,
				.field = &v->nat.snat,
				.pos = v->nat.pos};
		for (j = 0; j < v->nat.n_fips; j++)
			d[n++] = (struct validate_dup){.key = v->nat.fips[j].ip,
				.a = i,
				.b = j + 1,
				.c = 1,
				.field = &v->nat.fips[j].ip,
				.pos = v->nat.fips[j].pos};
		n += fwd_addresses(v, i, &d[n]);
	}
	validate_find_dups(x, d, n, report_nat_ip, NULL);
}
