/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks and derived defaults of networks and DHCP (validate_networks.h).
 */
#include <rte_ether.h>

#include "config/fields.h"
#include "config/validate_interfaces.h"
#include "config/validate_net6.h"
#include "config/validate_networks.h"

const char *
validate_host_problem(const struct vxg_network_cfg *net, uint32_t ip)
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
	const char *why = validate_host_problem(net, net->gateway);

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
	const struct vxg_if_cfg *u = validate_underlay_if(x->c);
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
	const char *w1 = validate_host_problem(net, d->range_start),
		   *w2 = validate_host_problem(net, d->range_end);
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
	const char *why = validate_host_problem(net, h->ip);
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

void
validate_network(struct config_ctx *x, struct vxg_network_cfg *net)
{
	size_t mark = config_obj_push(x, "network %s", net->name);

	if (net->gateway != 0)
		check_net_gateway(x, net);
	net_gateway_mac(net);
	net_mtu(x, net);
	check_flood(x, net);
	if (net->dhcp.enabled)
		check_dhcp(x, net);
	validate_network6(x, net);
	config_obj_pop(x, mark);
}

/* Few networks: n^2. */
void
validate_overlaps(struct config_ctx *x, const struct vxg_vpc_cfg *v)
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
