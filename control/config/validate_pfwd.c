/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of a VPC's port forwards (validate_pfwd.h): the target port and its address, the
 * two ranges, the external address (not an interface's, not inside an explicit snat_ports
 * range of the SNAT address) and overlaps between forwards. Addresses that other VPCs or
 * floating IPs hold are validate_nat_addresses' (validate_nat.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include <netinet/in.h>

#include "config/fields.h"
#include "config/validate_pfwd.h"

/* "A-B", or "A" for one port. */
static struct config_str
range_str(uint16_t a, uint16_t b)
{
	struct config_str r;

	if (a == b)
		snprintf(r.s, sizeof(r.s), "%u", a);
	else
		snprintf(r.s, sizeof(r.s), "%u-%u", a, b);
	return r;
}

/* The target port's address and network, and the to_port range. */
static void
pfwd_target(struct config_ctx *x, const struct vxg_vpc_cfg *v, struct vxg_pfwd_cfg *f)
{
	const struct vxg_port_cfg *port = &v->ports[f->to];
	unsigned n = f->port_max - f->port_min, m = f->to_max - f->to_min;

	if (port->n_ips == 0)
		config_error(x, config_pos(x, &f->to, f->pos),
			"port %s has no IP address to forward to", port->name);
	else
		f->to_ip = port->ips[0];
	if (v->networks[port->network].gateway == 0)
		config_error(x, config_pos(x, &f->to, f->pos),
			"port %s is on network %s, which has no gateway to route the forward "
			"through",
			port->name, v->networks[port->network].name);
	if (f->to_min == 0) {
		f->to_min = f->port_min;
		f->to_max = f->port_max;
	} else if (n != m) {
		config_error(x, config_pos(x, &f->to_min, f->pos),
			"to_port %s has %u ports, port %s has %u: ranges must be the same length",
			range_str(f->to_min, f->to_max).s, m + 1,
			range_str(f->port_min, f->port_max).s, n + 1);
	}
}

/* The external address: not an interface's own, and outside an explicit snat_ports range
 * when it is the SNAT address (the default range leaves forwarded ports out). */
static void
pfwd_address(struct config_ctx *x, const struct vxg_nat_cfg *nat, struct vxg_pfwd_cfg *f)
{
	bool ports_given = config_pos(x, &nat->port_min, (struct vxg_pos){0}).line != 0;

	for (unsigned k = 0; k < x->c->n_interfaces; k++)
		if (x->c->interfaces[k].address == f->ip)
			config_error(x, config_pos(x, &f->ip, f->pos),
				"ip %s is the address of interface %s", config_ip_str(f->ip).s,
				x->c->interfaces[k].name);
	if (ports_given && f->ip == nat->snat && f->port_min <= nat->port_max &&
		f->port_max >= nat->port_min)
		config_error(x, config_pos(x, &f->port_min, f->pos),
			"port %s of the snat address %s is inside snat_ports %s (line %u)",
			range_str(f->port_min, f->port_max).s, config_ip_str(f->ip).s,
			range_str(nat->port_min, nat->port_max).s,
			config_pos(x, &nat->port_min, nat->pos).line);
}

static const struct vxg_pfwd_cfg *sort_base;

/* By address, protocol, first port, then file order. */
static int
pfwd_cmp(const void *pa, const void *pb)
{
	const struct vxg_pfwd_cfg *a = &sort_base[*(const unsigned *)pa];
	const struct vxg_pfwd_cfg *b = &sort_base[*(const unsigned *)pb];

	if (a->ip != b->ip)
		return a->ip < b->ip ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port_min != b->port_min)
		return a->port_min < b->port_min ? -1 : 1;
	return (*(const unsigned *)pa > *(const unsigned *)pb) -
	       (*(const unsigned *)pa < *(const unsigned *)pb);
}

static void
pfwd_report_overlap(struct config_ctx *x, const struct vxg_nat_cfg *nat, unsigned i, unsigned j)
{
	const struct vxg_pfwd_cfg *later = &nat->fwds[RTE_MAX(i, j)];
	const struct vxg_pfwd_cfg *first = &nat->fwds[RTE_MIN(i, j)];
	size_t mark = config_obj_push(x, "port_forward %u", RTE_MAX(i, j) + 1);

	config_error(x, config_pos(x, &later->port_min, later->pos),
		"%s %s port %s overlaps port_forward %u (line %u), port %s",
		later->proto == IPPROTO_TCP ? "tcp" : "udp", config_ip_str(later->ip).s,
		range_str(later->port_min, later->port_max).s, RTE_MIN(i, j) + 1, first->pos.line,
		range_str(first->port_min, first->port_max).s);
	config_obj_pop(x, mark);
}

/* Two forwards of one address and protocol whose port ranges meet: sorted by first port,
 * each is checked against the one reaching furthest among those before it. */
static void
pfwd_overlaps(struct config_ctx *x, const struct vxg_nat_cfg *nat)
{
	unsigned *idx = calloc(nat->n_fwds, sizeof(*idx)), reach = 0;

	if (idx == NULL) {
		x->nomem = true;
		return;
	}
	for (unsigned i = 0; i < nat->n_fwds; i++)
		idx[i] = i;
	sort_base = nat->fwds;
	qsort(idx, nat->n_fwds, sizeof(*idx), pfwd_cmp);
	for (unsigned k = 1; k < nat->n_fwds; k++) {
		const struct vxg_pfwd_cfg *a = &nat->fwds[idx[reach]], *b = &nat->fwds[idx[k]];

		if (a->ip != b->ip || a->proto != b->proto) {
			reach = k;
			continue;
		}
		if (b->port_min <= a->port_max)
			pfwd_report_overlap(x, nat, idx[reach], idx[k]);
		if (b->port_max > a->port_max)
			reach = k;
	}
	free(idx);
}

void
validate_pfwd(struct config_ctx *x, struct vxg_vpc_cfg *v)
{
	struct vxg_nat_cfg *nat = &v->nat;

	for (unsigned i = 0; i < nat->n_fwds; i++) {
		struct vxg_pfwd_cfg *f = &nat->fwds[i];
		size_t mark = config_obj_push(x, "port_forward %u", i + 1);

		if (f->to != VXG_NONE && f->proto != 0 && f->port_min != 0) {
			pfwd_target(x, v, f);
			pfwd_address(x, nat, f);
		}
		config_obj_pop(x, mark);
	}
	if (nat->n_fwds > 1)
		pfwd_overlaps(x, nat);
}
