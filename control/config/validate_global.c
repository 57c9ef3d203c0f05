/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Uniqueness across VPCs (validate_global.h).
 */
#include <stdlib.h>

#include <rte_ether.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_global.h"

static void
report_vni(struct config_ctx *x, const struct validate_dup *first, const struct validate_dup *again,
	const void *arg)
{
	const struct vxg_vpc_cfg *va = &x->c->vpcs[first->a], *vb = &x->c->vpcs[again->a];
	size_t mark =
		config_obj_push(x, "vpc %s network %s", vb->name, vb->networks[again->b].name);

	config_error(x, validate_dup_pos(x, again),
		"vni %u is already used by vpc %s network %s (line "
		"%u); VNIs are global to the VTEP",
		(unsigned)again->key, va->name, va->networks[first->b].name,
		validate_dup_pos(x, first).line);
	config_obj_pop(x, mark);
}

void
validate_vnis(struct config_ctx *x)
{
	const struct vxg_network_cfg *net;
	unsigned i, j, n = 0;
	struct validate_dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].n_networks;
	d = validate_dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++) {
		for (j = 0; j < x->c->vpcs[i].n_networks; j++) {
			net = &x->c->vpcs[i].networks[j];
			d[n++] = (struct validate_dup){.key = net->vni,
				.a = i,
				.b = j,
				.field = &net->vni,
				.pos = net->pos};
		}
	}
	validate_find_dups(x, d, n, report_vni, NULL);
}

static uint64_t
mac_key(const struct rte_ether_addr *m)
{
	uint64_t k = 0;
	unsigned i;

	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		k = k << 8 | m->addr_bytes[i];
	return k;
}

/* MAC owners: c = 0 a port (b: port index), c = 1 a router port (b: network index). */
static void
report_mac_gateway(
	struct config_ctx *x, const struct validate_dup *port, const struct validate_dup *gw)
{
	const struct vxg_vpc_cfg *vp = &x->c->vpcs[port->a], *vg = &x->c->vpcs[gw->a];
	const struct vxg_network_cfg *net = &vg->networks[gw->b];
	size_t mark = config_obj_push(x, "vpc %s port %s", vp->name, vp->ports[port->b].name);

	config_error(x, validate_dup_pos(x, port),
		"mac %s is the %sgateway MAC of vpc %s network %s%s",
		config_mac_str(&net->gw_mac).s, net->gw_mac_set ? "" : "derived ", vg->name,
		net->name, net->gw_mac_set ? "" : "; change this MAC or set gateway_mac there");
	config_obj_pop(x, mark);
}

static void
report_mac(struct config_ctx *x, const struct validate_dup *first, const struct validate_dup *again,
	const void *arg)
{
	const struct vxg_vpc_cfg *va = &x->c->vpcs[first->a], *vb = &x->c->vpcs[again->a];
	const struct vxg_port_cfg *pa = &va->ports[first->b], *pb = &vb->ports[again->b];
	size_t mark;

	if (first->c == 1 && again->c == 1)
		return; /* one router MAC on several networks is fine: they are separate LANs */
	if (first->c != again->c) {
		report_mac_gateway(x, first->c == 0 ? first : again, first->c == 0 ? again : first);
		return;
	}
	mark = config_obj_push(x, "vpc %s port %s", vb->name, pb->name);
	if (first->a == again->a && pa->network == pb->network)
		config_error(x, validate_dup_pos(x, again),
			"mac %s is already used by port %s in the same "
			"network (line %u)",
			config_mac_str(&pb->mac).s, pa->name, pa->pos.line);
	else
		config_error(x, validate_dup_pos(x, again),
			"mac %s is already used by vpc %s port %s (line "
			"%u); MACs must be unique across the whole config",
			config_mac_str(&pb->mac).s, va->name, pa->name, pa->pos.line);
	config_obj_pop(x, mark);
}

static size_t
mac_entries(const struct vxg_config *c, unsigned i, struct validate_dup *d)
{
	const struct vxg_vpc_cfg *v = &c->vpcs[i];
	const struct vxg_port_cfg *port;
	size_t n = 0;
	unsigned j;

	for (j = 0; j < v->n_ports; j++) {
		port = &v->ports[j];
		d[n++] = (struct validate_dup){.key = mac_key(&port->mac),
			.a = i,
			.b = j,
			.field = &port->mac,
			.pos = port->pos};
	}
	for (j = 0; j < v->n_networks; j++)
		if (v->networks[j].gateway != 0)
			d[n++] = (struct validate_dup){.key = mac_key(&v->networks[j].gw_mac),
				.a = i,
				.b = j,
				.c = 1,
				.field = &v->networks[j].gw_mac,
				.pos = v->networks[j].pos};
	return n;
}

void
validate_macs(struct config_ctx *x)
{
	size_t i, n = 0;
	struct validate_dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].n_ports + x->c->vpcs[i].n_networks;
	d = validate_dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++)
		n += mac_entries(x->c, i, d + n);
	validate_find_dups(x, d, n, report_mac, NULL);
}

static void
report_segment(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *va = &x->c->vpcs[first->a], *vb = &x->c->vpcs[again->a];
	const struct vxg_port_cfg *pa = &va->ports[first->b], *pb = &vb->ports[again->b];
	size_t mark;

	if (first->a == again->a && pa->network == pb->network)
		return;
	mark = config_obj_push(x, "vpc %s port %s", vb->name, pb->name);
	config_error(x, validate_dup_pos(x, again),
		"interface %s vlan %u already carries vpc %s network "
		"%s (port %s, line %u); one interface and VLAN is one network",
		x->c->interfaces[pb->interface].name, pb->vlan, va->name,
		va->networks[pa->network].name, pa->name, pa->pos.line);
	config_obj_pop(x, mark);
}

void
validate_segments(struct config_ctx *x)
{
	const struct vxg_port_cfg *port;
	unsigned i, j, n = 0;
	struct validate_dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].n_ports;
	d = validate_dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++) {
		for (j = 0; j < x->c->vpcs[i].n_ports; j++) {
			port = &x->c->vpcs[i].ports[j];
			if (port->loc == VXG_LOC_INTERFACE)
				d[n++] = (struct validate_dup){
					.key = (uint64_t)port->interface << 16 | port->vlan,
					.a = i,
					.b = j,
					.field = &port->interface,
					.pos = port->pos};
		}
	}
	validate_find_dups(x, d, n, report_segment, NULL);
}
