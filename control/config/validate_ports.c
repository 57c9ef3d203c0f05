/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of ports against their network, the interfaces and the VTEP (validate_ports.h).
 */
#include <stdlib.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_networks.h"
#include "config/validate_ports.h"

static void
check_port_ip(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port,
	unsigned i)
{
	const struct vxg_network_cfg *net = &v->networks[port->network];
	struct vxg_pos pos = config_pos(x, &port->ips[i], port->pos);
	const char *why = validate_host_problem(net, port->ips[i]);

	if (why != NULL)
		config_error(x, pos, "ip %s %s network %s %s", config_ip_str(port->ips[i]).s, why,
			net->name, config_cidr_str(net->cidr).s);
	else if (port->ips[i] == net->gateway)
		config_error(x, pos, "ip %s is the gateway of network %s",
			config_ip_str(port->ips[i]).s, net->name);
}

static void
check_location(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port)
{
	const struct vxg_vtep_cfg *vt = &x->c->vtep;
	const struct vxg_if_cfg *ic;

	/* Only EVPN can say where a port without a location lives. */
	if (port->loc == VXG_LOC_EVPN && (!vt->evpn.enabled || !v->networks[port->network].evpn)) {
		config_error(x, port->pos,
			"location is required (vtep or interface) unless the port's network "
			"uses BGP EVPN (vtep.evpn, and the network's evpn not false)");
	} else if (port->loc == VXG_LOC_VTEP && !vt->enabled) {
		config_error(x, config_pos(x, &port->vtep, port->pos),
			"location vtep needs a "
			"vtep: section (this gateway's own VTEP)");
	} else if (port->loc == VXG_LOC_VTEP && port->vtep == vt->address) {
		config_error(x, config_pos(x, &port->vtep, port->pos),
			"location vtep %s is this "
			"gateway's own VTEP address",
			config_ip_str(port->vtep).s);
	} else if (port->loc == VXG_LOC_INTERFACE) {
		ic = &x->c->interfaces[port->interface];
		if (ic->role != VXG_ROLE_ACCESS)
			config_error(x, config_pos(x, &port->interface, port->pos),
				"location "
				"interface %s has role %s; ports attach to access interfaces",
				ic->name, vxg_role_name(ic->role));
	}
}

/* Neutron's rule: without port security there is nothing to enforce groups or pairs with. */
static void
check_port_security(struct config_ctx *x, const struct vxg_port_cfg *port)
{
	struct vxg_pos pos = config_pos(x, &port->port_security, port->pos);

	if (port->port_security)
		return;
	if (port->n_sgs > 0)
		config_error(x, pos,
			"port_security is false but security_groups are set; "
			"remove them or enable port security");
	if (port->n_pairs > 0)
		config_error(x, pos,
			"port_security is false but allowed_address_pairs are set; "
			"remove them or enable port security");
}

void
validate_port(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port)
{
	size_t mark = config_obj_push(x, "port %s", port->name);
	unsigned i;

	for (i = 0; i < port->n_ips; i++)
		check_port_ip(x, v, port, i);
	check_location(x, v, port);
	check_port_security(x, port);
	config_obj_pop(x, mark);
}

static void
report_port_ip(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	size_t mark = config_obj_push(x, "port %s", v->ports[again->b].name);

	if (first->b == again->b)
		config_error(x, validate_dup_pos(x, again), "ip %s is listed twice",
			config_ip_str(again->key).s);
	else
		config_error(x, validate_dup_pos(x, again),
			"ip %s is already used by port %s (line %u)", config_ip_str(again->key).s,
			v->ports[first->b].name, v->ports[first->b].pos.line);
	config_obj_pop(x, mark);
}

/* Networks of a VPC do not overlap, so unique in the VPC is unique in the network. */
void
validate_port_ips(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	unsigned i, j, n = 0;
	struct validate_dup *d;

	for (i = 0; i < v->n_ports; i++)
		n += v->ports[i].n_ips;
	d = validate_dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < v->n_ports; i++)
		for (j = 0; j < v->ports[i].n_ips; j++)
			d[n++] = (struct validate_dup){.key = v->ports[i].ips[j],
				.b = i,
				.c = j,
				.field = &v->ports[i].ips[j],
				.pos = v->ports[i].pos};
	validate_find_dups(x, d, n, report_port_ip, v);
}
