/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cross-object validation (validate.h): checks that need more than one object, and
 * defaults that depend on other objects. Runs only on a model whose every value parsed,
 * so indices are resolved and values are in range; positions of values come from the
 * marks the walk left (config_pos).
 *
 * Uniqueness checks sort a list of (key, owner) entries and report each entry whose key
 * the first one of its run already has: n log n, so 10k routes or ports stay fast.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "config/fields.h"
#include "config/validate.h"

/* ---- Duplicates ------------------------------------------------------------------------- */

struct dup {
	const char *name; /* compared when set, else key */
	uint64_t key;
	unsigned a, b, c; /* the owner, for the message: e.g. vpc, port, address index */
	const void *field; /* where the value was written */
	struct vxg_pos pos; /* the owner's position, if the value has no mark */
};

typedef void (*dup_fn)(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg);

static int
dup_cmp(const void *pa, const void *pb)
{
	const struct dup *a = pa, *b = pb;
	int r;

	if (a->name != NULL) {
		r = strcmp(a->name, b->name);
		if (r != 0)
			return r;
	} else if (a->key != b->key) {
		return a->key < b->key ? -1 : 1;
	}
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return (a->c > b->c) - (a->c < b->c);
}

static bool
dup_same(const struct dup *a, const struct dup *b)
{
	return a->name != NULL ? !strcmp(a->name, b->name) : a->key == b->key;
}

static struct dup *
dup_alloc(struct config_ctx *x, size_t n)
{
	struct dup *d = calloc(n ? n : 1, sizeof(*d));

	if (d == NULL)
		x->nomem = true;
	return d;
}

/* Sorts d, then calls report(first, again) for each entry repeating a run's first key. */
static void
find_dups(struct config_ctx *x, struct dup *d, size_t n, dup_fn report, const void *arg)
{
	size_t i, first = 0;

	qsort(d, n, sizeof(*d), dup_cmp);
	for (i = 1; i < n; i++) {
		if (!dup_same(&d[first], &d[i]))
			first = i;
		else
			report(x, &d[first], &d[i], arg);
	}
	free(d);
}

static struct vxg_pos
dup_pos(const struct config_ctx *x, const struct dup *d)
{
	return config_pos(x, d->field, d->pos);
}

static void
report_name(struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	size_t mark = config_obj_push(x, "%s %s", (const char *)arg, again->name);

	config_error(x, dup_pos(x, again), "duplicate name (first defined at line %u)",
		dup_pos(x, first).line);
	config_obj_pop(x, mark);
}

/* Objects start with their name; pos_off locates their position. */
static void
check_names(struct config_ctx *x, const void *base, unsigned n, size_t stride, size_t pos_off,
	const char *label)
{
	struct dup *d = dup_alloc(x, n);
	const char *e;
	unsigned i;

	if (d == NULL)
		return;
	for (i = 0; i < n; i++) {
		e = (const char *)base + (size_t)i * stride;
		d[i].name = e;
		d[i].b = i;
		d[i].field = e;
		memcpy(&d[i].pos, e + pos_off, sizeof(d[i].pos));
	}
	find_dups(x, d, n, report_name, label);
}

#define CHECK_NAMES(x, arr, n, label) \
	check_names((x), (arr), (n), sizeof(*(arr)), offsetof(__typeof__(*(arr)), pos), (label))

/* ---- Interfaces and the VTEP ----------------------------------------------------------- */

static struct vxg_cidr
if_subnet(const struct vxg_if_cfg *ic)
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
	else if (!config_cidr_has(if_subnet(ic), ic->gateway))
		config_error(x, pos, "gateway %s is outside the interface's subnet %s", gw.s,
			config_cidr_str(if_subnet(ic)).s);
	else if (ic->gateway == ic->address)
		config_error(x, pos, "gateway %s is the interface's own address", gw.s);
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
	else if (!config_cidr_has(if_subnet(ic), nb->ip) || nb->ip == ic->address)
		config_error(x, pos, "ip %s is not another host of the interface's subnet %s",
			config_ip_str(nb->ip).s, config_cidr_str(if_subnet(ic)).s);
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
	for (i = 0; i < ic->n_neighbours; i++)
		check_neighbour(x, ic, i);
	config_obj_pop(x, mark);
}

static void
report_device(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const struct vxg_if_cfg *ifs = x->c->interfaces;
	size_t mark = config_obj_push(x, "interface %s", ifs[again->b].name);

	config_error(x, dup_pos(x, again), "device '%s' is already used by interface %s",
		again->name, ifs[first->b].name);
	config_obj_pop(x, mark);
}

static void
report_if_address(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const struct vxg_if_cfg *ifs = x->c->interfaces;
	size_t mark = config_obj_push(x, "interface %s", ifs[again->b].name);

	config_error(x, dup_pos(x, again), "address %s is already the address of interface %s",
		config_ip_str(again->key).s, ifs[first->b].name);
	config_obj_pop(x, mark);
}

static void
check_interfaces(struct config_ctx *x)
{
	const struct vxg_config *c = x->c;
	struct dup *dev, *addr;
	unsigned i, n = 0;

	CHECK_NAMES(x, c->interfaces, c->n_interfaces, "interface");
	for (i = 0; i < c->n_interfaces; i++)
		check_interface(x, &c->interfaces[i]);
	dev = dup_alloc(x, c->n_interfaces);
	addr = dup_alloc(x, c->n_interfaces);
	if (dev == NULL || addr == NULL)
		goto err;
	for (i = 0; i < c->n_interfaces; i++) {
		const struct vxg_if_cfg *ic = &c->interfaces[i];

		dev[i] = (struct dup){
			.name = ic->device, .b = i, .field = ic->device, .pos = ic->pos};
		if (ic->address != 0)
			addr[n++] = (struct dup){
				.key = ic->address, .b = i, .field = &ic->address, .pos = ic->pos};
	}
	find_dups(x, dev, c->n_interfaces, report_device, NULL);
	find_dups(x, addr, n, report_if_address, NULL);
	return;
err:
	free(dev);
	free(addr);
}

static void
check_vtep(struct config_ctx *x)
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

/* The interface VXLAN leaves by: the VTEP's, else the first underlay one, else none. */
static const struct vxg_if_cfg *
underlay_if(const struct vxg_config *c)
{
	unsigned i;

	if (c->vtep.underlay != VXG_NONE)
		return &c->interfaces[c->vtep.underlay];
	for (i = 0; i < c->n_interfaces; i++)
		if (c->interfaces[i].role == VXG_ROLE_UNDERLAY)
			return &c->interfaces[i];
	return NULL;
}

/* ---- Networks ------------------------------------------------------------------------- */

/* NULL if ip can be a host of net, else what it is. */
static const char *
host_problem(const struct vxg_network_cfg *net, uint32_t ip)
{
	if (!config_cidr_has(net->cidr, ip))
		return "is outside";
	if (ip == net->cidr.addr)
		return "is the network address of";
	if (ip == config_cidr_last(net->cidr))
		return "is the broadcast address of";
	return NULL;
}

static void
check_net_gateway(struct config_ctx *x, const struct vxg_network_cfg *net)
{
	const char *why = host_problem(net, net->gateway);

	if (why != NULL)
		config_error(x, config_pos(x, &net->gateway, net->pos), "gateway %s %s %s",
			config_ip_str(net->gateway).s, why, config_cidr_str(net->cidr).s);
}

/*
 * Without gateway_mac, the router's MAC on a network is 02:76:78:VV:VV:VV: locally
 * administered, 'v' 'x', then the 24-bit VNI. VNIs are unique, so the MAC is unique per
 * network, and it survives reordering or renaming VPCs (VMs keep their ARP entries).
 */
static void
net_gateway_mac(struct vxg_network_cfg *net)
{
	struct rte_ether_addr m = {{0x02, 0x76, 0x78, net->vni >> 16, net->vni >> 8, net->vni}};

	if (!net->gw_mac_set)
		net->gw_mac = m;
}

static void
net_mtu(struct config_ctx *x, struct vxg_network_cfg *net)
{
	const struct vxg_if_cfg *u = underlay_if(x->c);
	unsigned room = u != NULL ? u->mtu - CONFIG_VXLAN_OVERHEAD : 1500 - CONFIG_VXLAN_OVERHEAD;

	if (net->mtu == 0 && room < 68) {
		config_error(x, net->pos,
			"the MTU %u of underlay interface %s leaves less than 68 "
			"bytes for this network's frames",
			u->mtu, u->name);
	} else if (net->mtu == 0) {
		net->mtu = room;
	} else if (u != NULL && net->mtu > room) {
		config_error(x, config_pos(x, &net->mtu, net->pos),
			"mtu %u plus %u bytes of "
			"VXLAN headers exceeds the MTU %u of underlay interface %s; the most is %u",
			net->mtu, CONFIG_VXLAN_OVERHEAD, u->mtu, u->name, room);
	}
}

static void
check_flood(struct config_ctx *x, const struct vxg_network_cfg *net)
{
	const struct vxg_vtep_cfg *vt = &x->c->vtep;
	struct vxg_pos pos;
	unsigned i, j;

	for (i = 0; i < net->n_flood; i++) {
		pos = config_pos(x, &net->flood[i], net->pos);
		if (!vt->enabled) {
			config_error(
				x, pos, "flood needs a vtep: section (the source of the copies)");
			return;
		}
		if (net->flood[i] == vt->address)
			config_error(x, pos, "flood %s is this gateway's own VTEP address",
				config_ip_str(net->flood[i]).s);
		for (j = 0; j < i && net->flood[j] != net->flood[i]; j++)
			;
		if (j < i)
			config_error(
				x, pos, "flood %s is listed twice", config_ip_str(net->flood[i]).s);
	}
}

static void
check_dhcp_range(struct config_ctx *x, const struct vxg_network_cfg *net)
{
	const struct vxg_dhcp_cfg *d = &net->dhcp;
	struct vxg_pos p1 = config_pos(x, &d->range_start, d->pos);
	struct vxg_pos p2 = config_pos(x, &d->range_end, d->pos);
	const char *w1 = host_problem(net, d->range_start), *w2 = host_problem(net, d->range_end);
	struct config_str cidr = config_cidr_str(net->cidr);

	if (w1 != NULL)
		config_error(
			x, p1, "range start %s %s %s", config_ip_str(d->range_start).s, w1, cidr.s);
	if (w2 != NULL)
		config_error(
			x, p2, "range end %s %s %s", config_ip_str(d->range_end).s, w2, cidr.s);
	if (w1 != NULL || w2 != NULL)
		return;
	if (d->range_start > d->range_end)
		config_error(x, p1, "range %s - %s: the first address is above the last",
			config_ip_str(d->range_start).s, config_ip_str(d->range_end).s);
	else if (net->gateway >= d->range_start && net->gateway <= d->range_end)
		config_error(x, p1, "range %s - %s includes the gateway %s",
			config_ip_str(d->range_start).s, config_ip_str(d->range_end).s,
			config_ip_str(net->gateway).s);
}

static void
check_dhcp_host(struct config_ctx *x, const struct vxg_network_cfg *net, unsigned i)
{
	const struct vxg_dhcp_host_cfg *h = &net->dhcp.hosts[i], *o;
	struct vxg_pos pos = config_pos(x, &h->ip, h->pos);
	size_t mark = config_obj_push(x, "host %u", i + 1);
	const char *why = host_problem(net, h->ip);
	unsigned j;

	if (why != NULL)
		config_error(x, pos, "ip %s %s %s", config_ip_str(h->ip).s, why,
			config_cidr_str(net->cidr).s);
	else if (h->ip == net->gateway)
		config_error(x, pos, "ip %s is the gateway", config_ip_str(h->ip).s);
	for (j = 0; j < i; j++) {
		o = &net->dhcp.hosts[j];
		if (o->ip == h->ip)
			config_error(x, pos, "ip %s is already given to host %u (line %u)",
				config_ip_str(h->ip).s, j + 1, o->pos.line);
		if (rte_is_same_ether_addr(&o->mac, &h->mac))
			config_error(x, config_pos(x, &h->mac, h->pos),
				"mac %s is already host "
				"%u (line %u)",
				config_mac_str(&h->mac).s, j + 1, o->pos.line);
	}
	config_obj_pop(x, mark);
}

static void
check_dhcp(struct config_ctx *x, const struct vxg_network_cfg *net)
{
	size_t mark = config_obj_push(x, "dhcp");
	unsigned i;

	if (net->gateway == 0)
		config_error(x, net->dhcp.pos,
			"dhcp needs a gateway on the network: the server "
			"answers from it");
	else if (net->dhcp.range_start != 0)
		check_dhcp_range(x, net);
	for (i = 0; i < net->dhcp.n_hosts; i++)
		check_dhcp_host(x, net, i);
	config_obj_pop(x, mark);
}

static void
check_network(struct config_ctx *x, struct vxg_network_cfg *net)
{
	size_t mark = config_obj_push(x, "network %s", net->name);

	if (net->gateway != 0)
		check_net_gateway(x, net);
	net_gateway_mac(net);
	net_mtu(x, net);
	check_flood(x, net);
	if (net->dhcp.enabled)
		check_dhcp(x, net);
	config_obj_pop(x, mark);
}

/* Within a VPC the router must know which network an address is on. Few networks: n^2. */
static void
check_overlaps(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	const struct vxg_network_cfg *a, *b;
	unsigned i, j;
	size_t mark;

	for (j = 0; j < v->n_networks; j++) {
		b = &v->networks[j];
		for (i = 0; i < j; i++) {
			a = &v->networks[i];
			if (!config_cidr_has(a->cidr, b->cidr.addr) &&
				!config_cidr_has(b->cidr, a->cidr.addr))
				continue;
			mark = config_obj_push(x, "network %s", b->name);
			config_error(x, config_pos(x, &b->cidr, b->pos),
				"cidr %s overlaps network "
				"%s %s (line %u)",
				config_cidr_str(b->cidr).s, a->name, config_cidr_str(a->cidr).s,
				a->pos.line);
			config_obj_pop(x, mark);
			break;
		}
	}
}

/* ---- Ports -------------------------------------------------------------------------------- */

static void
check_port_ip(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port,
	unsigned i)
{
	const struct vxg_network_cfg *net = &v->networks[port->network];
	struct vxg_pos pos = config_pos(x, &port->ips[i], port->pos);
	const char *why = host_problem(net, port->ips[i]);

	if (why != NULL)
		config_error(x, pos, "ip %s %s network %s %s", config_ip_str(port->ips[i]).s, why,
			net->name, config_cidr_str(net->cidr).s);
	else if (port->ips[i] == net->gateway)
		config_error(x, pos, "ip %s is the gateway of network %s",
			config_ip_str(port->ips[i]).s, net->name);
}

static void
check_location(struct config_ctx *x, const struct vxg_port_cfg *port)
{
	const struct vxg_vtep_cfg *vt = &x->c->vtep;
	const struct vxg_if_cfg *ic;

	if (port->loc == VXG_LOC_VTEP && !vt->enabled) {
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

static void
check_port(struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_port_cfg *port)
{
	size_t mark = config_obj_push(x, "port %s", port->name);
	unsigned i;

	for (i = 0; i < port->n_ips; i++)
		check_port_ip(x, v, port, i);
	check_location(x, port);
	check_port_security(x, port);
	config_obj_pop(x, mark);
}

static void
report_port_ip(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	size_t mark = config_obj_push(x, "port %s", v->ports[again->b].name);

	if (first->b == again->b)
		config_error(
			x, dup_pos(x, again), "ip %s is listed twice", config_ip_str(again->key).s);
	else
		config_error(x, dup_pos(x, again), "ip %s is already used by port %s (line %u)",
			config_ip_str(again->key).s, v->ports[first->b].name,
			v->ports[first->b].pos.line);
	config_obj_pop(x, mark);
}

/* Networks of a VPC do not overlap, so unique in the VPC is unique in the network. */
static void
check_port_ips(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	unsigned i, j, n = 0;
	struct dup *d;

	for (i = 0; i < v->n_ports; i++)
		n += v->ports[i].n_ips;
	d = dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < v->n_ports; i++)
		for (j = 0; j < v->ports[i].n_ips; j++)
			d[n++] = (struct dup){.key = v->ports[i].ips[j],
				.b = i,
				.c = j,
				.field = &v->ports[i].ips[j],
				.pos = v->ports[i].pos};
	find_dups(x, d, n, report_port_ip, v);
}

/* ---- Routes ------------------------------------------------------------------------------ */

static void
check_route_via(struct config_ctx *x, const struct vxg_route_cfg *r)
{
	const struct vxg_if_cfg *ic = &x->c->interfaces[r->via];
	struct vxg_pos pos = config_pos(x, &r->via, r->pos);
	struct vxg_pos npos = config_pos(x, &r->nexthop, r->pos);

	if (ic->role == VXG_ROLE_ACCESS)
		config_error(x, pos,
			"via interface %s has role access; routes leave through an "
			"external or underlay interface",
			ic->name);
	else if (ic->address == 0)
		config_error(x, pos, "via interface %s has no address", ic->name);
	else if (r->nexthop == 0 && ic->gateway == 0)
		config_error(x, pos, "via interface %s has no gateway; give a nexthop", ic->name);
	else if (r->nexthop != 0 && !config_cidr_has(if_subnet(ic), r->nexthop))
		config_error(x, npos, "nexthop %s is not on interface %s's subnet %s",
			config_ip_str(r->nexthop).s, ic->name, config_cidr_str(if_subnet(ic)).s);
	else if (r->nexthop != 0 && r->nexthop == ic->address)
		config_error(x, npos, "nexthop %s is interface %s's own address",
			config_ip_str(r->nexthop).s, ic->name);
}

static void
check_route_nexthop(
	struct config_ctx *x, const struct vxg_vpc_cfg *v, const struct vxg_route_cfg *r)
{
	struct vxg_pos pos = config_pos(x, &r->nexthop, r->pos);
	const struct vxg_network_cfg *net;
	const char *why;
	unsigned i;

	for (i = 0; i < v->n_networks; i++) {
		net = &v->networks[i];
		if (!config_cidr_has(net->cidr, r->nexthop))
			continue;
		why = host_problem(net, r->nexthop);
		if (why != NULL)
			config_error(x, pos, "nexthop %s %s network %s",
				config_ip_str(r->nexthop).s, why, net->name);
		else if (r->nexthop == net->gateway)
			config_error(x, pos, "nexthop %s is the router's own address on network %s",
				config_ip_str(r->nexthop).s, net->name);
		return;
	}
	config_error(x, pos,
		"nexthop %s is not inside any network of vpc %s; add via: to "
		"reach it through an interface",
		config_ip_str(r->nexthop).s, v->name);
}

static void
report_route(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *v = arg;
	size_t mark = config_obj_push(x, "route %u", again->b + 1);

	config_error(x, dup_pos(x, again), "prefix %s is already routed by route %u (line %u)",
		config_cidr_str(v->routes[again->b].prefix).s, first->b + 1,
		v->routes[first->b].pos.line);
	config_obj_pop(x, mark);
}

static void
check_routes(struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	const struct vxg_route_cfg *r;
	struct dup *d = dup_alloc(x, v->n_routes);
	size_t mark;
	unsigned i;

	if (d == NULL)
		return;
	for (i = 0; i < v->n_routes; i++) {
		r = &v->routes[i];
		mark = config_obj_push(x, "route %u", i + 1);
		if (r->via != VXG_NONE)
			check_route_via(x, r);
		else
			check_route_nexthop(x, v, r);
		config_obj_pop(x, mark);
		d[i] = (struct dup){.key = (uint64_t)r->prefix.addr << 8 | r->prefix.len,
			.b = i,
			.field = &r->prefix,
			.pos = r->pos};
	}
	find_dups(x, d, v->n_routes, report_route, v);
}

/* ---- NAT ------------------------------------------------------------------------------------ */

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
report_fixed_ip(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
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

static void
check_nat(struct config_ctx *x, struct vxg_vpc_cfg *v)
{
	struct vxg_nat_cfg *nat = &v->nat;
	size_t mark;
	struct dup *d;
	unsigned i;

	if (nat->pos.line == 0)
		return;
	mark = config_obj_push(x, "nat");
	nat_interface(x, nat);
	for (i = 0; i < nat->n_fips; i++)
		check_fip(x, v, &nat->fips[i], i);
	d = dup_alloc(x, nat->n_fips);
	if (d != NULL) {
		for (i = 0; i < nat->n_fips; i++)
			d[i] = (struct dup){
				.key = (uint64_t)nat->fips[i].port << 32 | nat->fips[i].fixed_ip,
				.b = i};
		find_dups(x, d, nat->n_fips, report_fixed_ip, v);
	}
	config_obj_pop(x, mark);
}

/* A NAT address: c = 0 the VPC's snat, c = 1 floating IP b - 1 (snat sorts first). */
static void
push_nat_obj(struct config_ctx *x, const struct dup *d)
{
	const char *vpc = x->c->vpcs[d->a].name;

	if (d->c == 0)
		config_obj_push(x, "vpc %s nat", vpc);
	else
		config_obj_push(x, "vpc %s nat floating_ip %u", vpc, d->b);
}

static void
report_nat_ip(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const char *what = again->c == 0 ? "snat" : "floating IP";
	const char *vpc = x->c->vpcs[first->a].name;
	struct config_str ip = config_ip_str(again->key);
	struct vxg_pos pos = dup_pos(x, again);
	size_t mark = x->obj_len;

	push_nat_obj(x, again);
	if (first->c == 0)
		config_error(
			x, pos, "%s %s is already the snat address of vpc %s", what, ip.s, vpc);
	else
		config_error(x, pos, "%s %s is already floating_ip %u of vpc %s (line %u)", what,
			ip.s, first->b, vpc, dup_pos(x, first).line);
	config_obj_pop(x, mark);
}

/* External addresses are global: one owner each, whichever VPC claims it. */
static void
check_nat_addresses(struct config_ctx *x)
{
	const struct vxg_vpc_cfg *v;
	unsigned i, j, n = 0;
	struct dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].nat.n_fips + 1;
	d = dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++) {
		v = &x->c->vpcs[i];
		if (v->nat.snat != 0)
			d[n++] = (struct dup){.key = v->nat.snat,
				.a = i,
				.field = &v->nat.snat,
				.pos = v->nat.pos};
		for (j = 0; j < v->nat.n_fips; j++)
			d[n++] = (struct dup){.key = v->nat.fips[j].ip,
				.a = i,
				.b = j + 1,
				.c = 1,
				.field = &v->nat.fips[j].ip,
				.pos = v->nat.fips[j].pos};
	}
	find_dups(x, d, n, report_nat_ip, NULL);
}

/* ---- Global uniqueness ------------------------------------------------------------------ */

static void
report_vni(struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *va = &x->c->vpcs[first->a], *vb = &x->c->vpcs[again->a];
	size_t mark =
		config_obj_push(x, "vpc %s network %s", vb->name, vb->networks[again->b].name);

	config_error(x, dup_pos(x, again),
		"vni %u is already used by vpc %s network %s (line "
		"%u); VNIs are global to the VTEP",
		(unsigned)again->key, va->name, va->networks[first->b].name,
		dup_pos(x, first).line);
	config_obj_pop(x, mark);
}

static void
check_vnis(struct config_ctx *x)
{
	const struct vxg_network_cfg *net;
	unsigned i, j, n = 0;
	struct dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].n_networks;
	d = dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++) {
		for (j = 0; j < x->c->vpcs[i].n_networks; j++) {
			net = &x->c->vpcs[i].networks[j];
			d[n++] = (struct dup){.key = net->vni,
				.a = i,
				.b = j,
				.field = &net->vni,
				.pos = net->pos};
		}
	}
	find_dups(x, d, n, report_vni, NULL);
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
report_mac_gateway(struct config_ctx *x, const struct dup *port, const struct dup *gw)
{
	const struct vxg_vpc_cfg *vp = &x->c->vpcs[port->a], *vg = &x->c->vpcs[gw->a];
	const struct vxg_network_cfg *net = &vg->networks[gw->b];
	size_t mark = config_obj_push(x, "vpc %s port %s", vp->name, vp->ports[port->b].name);

	config_error(x, dup_pos(x, port), "mac %s is the %sgateway MAC of vpc %s network %s%s",
		config_mac_str(&net->gw_mac).s, net->gw_mac_set ? "" : "derived ", vg->name,
		net->name, net->gw_mac_set ? "" : "; change this MAC or set gateway_mac there");
	config_obj_pop(x, mark);
}

static void
report_mac(struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
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
		config_error(x, dup_pos(x, again),
			"mac %s is already used by port %s in the same "
			"network (line %u)",
			config_mac_str(&pb->mac).s, pa->name, pa->pos.line);
	else
		config_error(x, dup_pos(x, again),
			"mac %s is already used by vpc %s port %s (line "
			"%u); MACs must be unique across the whole config",
			config_mac_str(&pb->mac).s, va->name, pa->name, pa->pos.line);
	config_obj_pop(x, mark);
}

static size_t
mac_entries(const struct vxg_config *c, unsigned i, struct dup *d)
{
	const struct vxg_vpc_cfg *v = &c->vpcs[i];
	const struct vxg_port_cfg *port;
	size_t n = 0;
	unsigned j;

	for (j = 0; j < v->n_ports; j++) {
		port = &v->ports[j];
		d[n++] = (struct dup){.key = mac_key(&port->mac),
			.a = i,
			.b = j,
			.field = &port->mac,
			.pos = port->pos};
	}
	for (j = 0; j < v->n_networks; j++)
		if (v->networks[j].gateway != 0)
			d[n++] = (struct dup){.key = mac_key(&v->networks[j].gw_mac),
				.a = i,
				.b = j,
				.c = 1,
				.field = &v->networks[j].gw_mac,
				.pos = v->networks[j].pos};
	return n;
}

static void
check_macs(struct config_ctx *x)
{
	size_t i, n = 0;
	struct dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].n_ports + x->c->vpcs[i].n_networks;
	d = dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++)
		n += mac_entries(x->c, i, d + n);
	find_dups(x, d, n, report_mac, NULL);
}

static void
report_segment(
	struct config_ctx *x, const struct dup *first, const struct dup *again, const void *arg)
{
	const struct vxg_vpc_cfg *va = &x->c->vpcs[first->a], *vb = &x->c->vpcs[again->a];
	const struct vxg_port_cfg *pa = &va->ports[first->b], *pb = &vb->ports[again->b];
	size_t mark;

	if (first->a == again->a && pa->network == pb->network)
		return;
	mark = config_obj_push(x, "vpc %s port %s", vb->name, pb->name);
	config_error(x, dup_pos(x, again),
		"interface %s vlan %u already carries vpc %s network "
		"%s (port %s, line %u); one interface and VLAN is one network",
		x->c->interfaces[pb->interface].name, pb->vlan, va->name,
		va->networks[pa->network].name, pa->name, pa->pos.line);
	config_obj_pop(x, mark);
}

/* Frames from an access interface are switched by (interface, VLAN): one network each. */
static void
check_segments(struct config_ctx *x)
{
	const struct vxg_port_cfg *port;
	unsigned i, j, n = 0;
	struct dup *d;

	for (i = 0; i < x->c->n_vpcs; i++)
		n += x->c->vpcs[i].n_ports;
	d = dup_alloc(x, n);
	if (d == NULL)
		return;
	for (i = 0, n = 0; i < x->c->n_vpcs; i++) {
		for (j = 0; j < x->c->vpcs[i].n_ports; j++) {
			port = &x->c->vpcs[i].ports[j];
			if (port->loc == VXG_LOC_INTERFACE)
				d[n++] = (struct dup){
					.key = (uint64_t)port->interface << 16 | port->vlan,
					.a = i,
					.b = j,
					.field = &port->interface,
					.pos = port->pos};
		}
	}
	find_dups(x, d, n, report_segment, NULL);
}

/* ---- VPCs ------------------------------------------------------------------------------ */

static void
check_vpc(struct config_ctx *x, struct vxg_vpc_cfg *v)
{
	size_t mark = config_obj_push(x, "vpc %s", v->name);
	unsigned i;

	CHECK_NAMES(x, v->networks, v->n_networks, "network");
	CHECK_NAMES(x, v->ports, v->n_ports, "port");
	CHECK_NAMES(x, v->sgs, v->n_sgs, "security_group");
	CHECK_NAMES(x, v->port_groups, v->n_port_groups, "port_group");
	CHECK_NAMES(x, v->address_sets, v->n_address_sets, "address_set");
	for (i = 0; i < v->n_networks; i++)
		check_network(x, &v->networks[i]);
	check_overlaps(x, v);
	for (i = 0; i < v->n_ports; i++)
		check_port(x, v, &v->ports[i]);
	check_port_ips(x, v);
	check_routes(x, v);
	check_nat(x, v);
	config_obj_pop(x, mark);
}

int
config_validate(struct config_ctx *x)
{
	struct vxg_config *c = x->c;
	unsigned i;

	check_interfaces(x);
	check_vtep(x);
	CHECK_NAMES(x, c->vpcs, c->n_vpcs, "vpc");
	for (i = 0; i < c->n_vpcs; i++)
		check_vpc(x, &c->vpcs[i]);
	check_vnis(x);
	check_macs(x);
	check_segments(x);
	check_nat_addresses(x);
	return x->nomem ? -ENOMEM : 0;
}
