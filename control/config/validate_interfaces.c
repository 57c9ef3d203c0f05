/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of interfaces and the VTEP against each other (validate_interfaces.h).
 */
#include <stdlib.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_interfaces.h"

struct vxg_cidr
validate_if_subnet(const struct vxg_if_cfg *ic)
{
	struct vxg_cidr s = {ic->address & config_mask(ic->prefixlen), ic->prefixlen};

	return s;
}

static void
check_if_gateway(struct config_ctx *x, const struct vxg_if_cfg *ic)
{
	struct vxg_pos pos = config_pos(x, &ic->gateway, ic->pos);
	struct config_str gw = config_ip_str(ic->gateway);

	if (ic->address == 0)
		config_error(x, pos, "gateway %s needs an address on the interface", gw.s);
	else if (!config_cidr_has(validate_if_subnet(ic), ic->gateway))
		config_error(x, pos, "gateway %s is outside the interface's subnet %s", gw.s,
			config_cidr_str(validate_if_subnet(ic)).s);
	else if (ic->gateway == ic->address)
		config_error(x, pos, "gateway %s is the interface's own address", gw.s);
}

struct vxg_cidr6
validate_if_prefix6(const struct vxg_if_cfg *ic)
{
	struct vxg_cidr6 s = {config_ip6_prefix(&ic->address6, ic->prefixlen6), ic->prefixlen6};

	return s;
}

/* IPv6 is routed out of external interfaces only: the underlay stays IPv4. */
static void
check_if6(struct config_ctx *x, const struct vxg_if_cfg *ic)
{
	struct vxg_pos apos = config_pos(x, &ic->address6, ic->pos);
	struct vxg_pos gpos = config_pos(x, &ic->gateway6, ic->pos);
	struct config_str gw = config_ip6_str(&ic->gateway6);
	bool has_addr = !config_ip6_is_zero(&ic->address6);

	if (has_addr && ic->role != VXG_ROLE_EXTERNAL)
		config_error(x, apos,
			"address6 applies only to external interfaces (this one's role is %s)",
			vxg_role_name(ic->role));
	if (config_ip6_is_zero(&ic->gateway6))
		return;
	if (!has_addr)
		config_error(x, gpos, "gateway6 %s needs an address6 on the interface", gw.s);
	else if (!config_cidr6_has(validate_if_prefix6(ic), &ic->gateway6))
		config_error(x, gpos, "gateway6 %s is outside the interface's prefix %s", gw.s,
			config_cidr6_str(validate_if_prefix6(ic)).s);
	else if (config_ip6_cmp(&ic->gateway6, &ic->address6) == 0)
		config_error(x, gpos, "gateway6 %s is the interface's own address", gw.s);
}

static void
check_neighbour(struct config_ctx *x, const struct vxg_if_cfg *ic, unsigned i)
{
	const struct vxg_neigh_cfg *nb = &ic->neighbours[i];
	struct vxg_pos pos = config_pos(x, &nb->ip, nb->pos);
	size_t mark = config_obj_push(x, "neighbour %u", i + 1);
	unsigned j;

	if (ic->address == 0)
		config_error(x, nb->pos, "static neighbours need an address on the interface");
	else if (!config_cidr_has(validate_if_subnet(ic), nb->ip) || nb->ip == ic->address)
		config_error(x, pos, "ip %s is not another host of the interface's subnet %s",
			config_ip_str(nb->ip).s, config_cidr_str(validate_if_subnet(ic)).s);
	for (j = 0; j < i; j++) {
		if (ic->neighbours[j].ip == nb->ip) {
			config_error(x, pos, "ip %s is listed twice (first at line %u)",
				config_ip_str(nb->ip).s, ic->neighbours[j].pos.line);
			break;
		}
	}
	config_obj_pop(x, mark);
}

static void
check_interface(struct config_ctx *x, const struct vxg_if_cfg *ic)
{
	size_t mark = config_obj_push(x, "interface %s", ic->name);
	unsigned i;

	if (ic->role == VXG_ROLE_UNDERLAY && ic->address == 0)
		config_error(x, ic->pos, "role underlay needs an address (the VTEP's source)");
	if (ic->gateway != 0)
		check_if_gateway(x, ic);
	check_if6(x, ic);
	for (i = 0; i < ic->n_neighbours; i++)
		check_neighbour(x, ic, i);
	config_obj_pop(x, mark);
}

static void
report_device(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_if_cfg *ifs = x->c->interfaces;
	size_t mark = config_obj_push(x, "interface %s", ifs[again->b].name);

	config_error(x, validate_dup_pos(x, again), "device '%s' is already used by interface %s",
		again->name, ifs[first->b].name);
	config_obj_pop(x, mark);
}

static void
report_if_address(struct config_ctx *x, const struct validate_dup *first,
	const struct validate_dup *again, const void *arg)
{
	const struct vxg_if_cfg *ifs = x->c->interfaces;
	size_t mark = config_obj_push(x, "interface %s", ifs[again->b].name);

	config_error(x, validate_dup_pos(x, again),
		"address %s is already the address of interface %s", config_ip_str(again->key).s,
		ifs[first->b].name);
	config_obj_pop(x, mark);
}

void
validate_interfaces(struct config_ctx *x)
{
	const struct vxg_config *c = x->c;
	struct validate_dup *dev, *addr;
	unsigned i, n = 0;

	VALIDATE_NAMES(x, c->interfaces, c->n_interfaces, "interface");
	for (i = 0; i < c->n_interfaces; i++)
		check_interface(x, &c->interfaces[i]);
	dev = validate_dup_alloc(x, c->n_interfaces);
	addr = validate_dup_alloc(x, c->n_interfaces);
	if (dev == NULL || addr == NULL)
		goto err;
	for (i = 0; i < c->n_interfaces; i++) {
		const struct vxg_if_cfg *ic = &c->interfaces[i];

		dev[i] = (struct validate_dup){
			.name = ic->device, .b = i, .field = ic->device, .pos = ic->pos};
		if (ic->address != 0)
			addr[n++] = (struct validate_dup){
				.key = ic->address, .b = i, .field = &ic->address, .pos = ic->pos};
	}
	validate_find_dups(x, dev, c->n_interfaces, report_device, NULL);
	validate_find_dups(x, addr, n, report_if_address, NULL);
	return;
err:
	free(dev);
	free(addr);
}

void
validate_vtep(struct config_ctx *x)
{
	struct vxg_vtep_cfg *vt = &x->c->vtep;
	struct vxg_pos pos = config_pos(x, &vt->address, vt->pos);
	const struct vxg_if_cfg *other = NULL;
	size_t mark;
	unsigned i;

	if (!vt->enabled)
		return;
	for (i = 0; i < x->c->n_interfaces && vt->underlay == VXG_NONE; i++) {
		const struct vxg_if_cfg *ic = &x->c->interfaces[i];

		if (ic->address == vt->address && ic->role == VXG_ROLE_UNDERLAY)
			vt->underlay = i;
		else if (ic->address == vt->address)
			other = ic;
	}
	if (vt->underlay != VXG_NONE)
		return;
	mark = config_obj_push(x, "vtep");
	if (other != NULL)
		config_error(x, pos,
			"address %s is on interface %s, whose role is %s; the VTEP "
			"address must be on an underlay interface",
			config_ip_str(vt->address).s, other->name, vxg_role_name(other->role));
	else
		config_error(x, pos, "address %s is not the address of any underlay interface",
			config_ip_str(vt->address).s);
	config_obj_pop(x, mark);
}

const struct vxg_if_cfg *
validate_underlay_if(const struct vxg_config *c)
{
	unsigned i;

	if (c->vtep.underlay != VXG_NONE)
		return &c->interfaces[c->vtep.underlay];
	for (i = 0; i < c->n_interfaces; i++)
		if (c->interfaces[i].role == VXG_ROLE_UNDERLAY)
			return &c->interfaces[i];
	return NULL;
}
