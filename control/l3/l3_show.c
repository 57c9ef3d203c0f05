/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of the VPC routers: `show route [VPC]`, `show router [VPC]`,
 * `show neighbours VPC` and the router's section of `show neighbours`, in text or JSON.
 *
 * Thread-safety: control thread only.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "l3/l3_feature.h"
#include "l3/l3_show6.h"
#include "neigh/neigh_show.h"

static void
show_cidr(struct vxg_cidr c, char *buf, size_t len)
{
	char ip[16];

	vxg_ip_format(c.addr, ip, sizeof(ip));
	snprintf(buf, len, "%s/%u", ip, c.len);
}

/* Which VPCs to show: [first, last). */
static int
show_range(const struct vxg_config *cfg, const char *vpc, unsigned *first, unsigned *last)
{
	unsigned v;

	if (vpc == NULL) {
		*first = 0;
		*last = cfg->n_vpcs;
		return 0;
	}
	if ((v = vxg_config_find_vpc(cfg, vpc)) == VXG_NONE)
		return -ENOENT;
	*first = v;
	*last = v + 1;
	return 0;
}

static void
route_row(FILE *out, struct jw *j, bool json, const char *prefix, const char *nexthop,
	const char *via, const char *kind)
{
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "prefix", prefix);
		jw_str(j, "nexthop", nexthop);
		jw_str(j, "via", via);
		jw_str(j, "kind", kind);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "  %-18s %-15s %-20s %s\n", prefix, nexthop, via, kind);
}

/*
 * A static IPv6 route, as the config gives it: the router has no IPv6 table yet, so it is
 * listed with the kind saying so (and not counted in the prefixes).
 */
static void
route6_row(const struct vxg_daemon *d, const struct vxg_vpc_cfg *vc, const struct vxg_route_cfg *r,
	FILE *out, struct jw *j, bool json)
{
	char prefix[64], nh[64], via[64];
	const struct vxg_ip6 *gw = &r->nexthop6;

	vxg_cidr6_format(r->prefix6, prefix, sizeof(prefix));
	snprintf(via, sizeof(via), "network");
	if (r->via != VXG_NONE) {
		if (config_ip6_is_zero(gw))
			gw = &d->cfg->interfaces[r->via].gateway6;
		snprintf(via, sizeof(via), "%s", d->cfg->interfaces[r->via].name);
	}
	for (unsigned k = 0; r->via == VXG_NONE && k < vc->n_networks; k++)
		if (vc->networks[k].ip6.enabled && config_cidr6_has(vc->networks[k].ip6.cidr, gw))
			snprintf(via, sizeof(via), "%s", vc->networks[k].name);
	vxg_ip6_format(gw, nh, sizeof(nh));
	route_row(out, j, json, prefix, nh, via, "static6 (not routed yet)");
}

static void
routes_vpc(const struct vxg_daemon *d, unsigned v, FILE *out, struct jw *j, bool json)
{
	const struct vxg_vpc_cfg *vc = &d->cfg->vpcs[v];
	char prefix[24], nh[16], via[64];

	for (unsigned i = 0; i < vc->n_networks; i++) {
		const struct vxg_network_cfg *n = &vc->networks[i];

		if (n->gateway == 0)
			continue;
		show_cidr(n->cidr, prefix, sizeof(prefix));
		snprintf(via, sizeof(via), "%s (VNI %u)", n->name, n->vni);
		route_row(out, j, json, prefix, "-", via, "connected");
	}
	for (unsigned i = 0; i < vc->n_routes; i++) {
		const struct vxg_route_cfg *r = &vc->routes[i];

		if (r->is6) {
			route6_row(d, vc, r, out, j, json);
			continue;
		}
		show_cidr(r->prefix, prefix, sizeof(prefix));
		if (r->via != VXG_NONE) {
			uint32_t gw = r->nexthop ? r->nexthop : d->cfg->interfaces[r->via].gateway;

			vxg_ip_format(gw, nh, sizeof(nh));
			snprintf(via, sizeof(via), "%s", d->cfg->interfaces[r->via].name);
		} else {
			vxg_ip_format(r->nexthop, nh, sizeof(nh));
			snprintf(via, sizeof(via), "network");
			for (unsigned k = 0; k < vc->n_networks; k++) {
				const struct vxg_cidr *c = &vc->networks[k].cidr;
				uint32_t mask = c->len ? ~0u << (32 - c->len) : 0;

				if ((r->nexthop & mask) == c->addr)
					snprintf(via, sizeof(via), "%s", vc->networks[k].name);
			}
		}
		route_row(out, j, json, prefix, nh, via, "static");
	}
}

/* vpc: a VPC name, or NULL for all. Return 0, or -ENOENT for an unknown VPC. */
static int
vxg_l3_show_routes(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	unsigned first, last;
	struct jw j;
	int ret;

	if ((ret = show_range(d->cfg, vpc, &first, &last)) < 0)
		return ret;
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "vpcs");
	}
	for (unsigned v = first; v < last; v++) {
		const struct vxg_gen_vpc *gv = &d->gen->vpcs[v];

		/* the kind of table each family is in (vxg_l3.h, vxg_l3v6.h) */
		const char *t4 = !gv->l3.routed ? "none" : gv->l3.lpm ? "rte_lpm" : "short list";
		const char *t6 = !gv->l3v6.on ? "none" : gv->l3v6.fib ? "rte_fib6" : "short list";

		if (json) {
			jw_obj_open(&j, NULL);
			jw_str(&j, "vpc", d->cfg->vpcs[v].name);
			jw_u64(&j, "prefixes", gv->l3.n_routes);
			jw_str(&j, "table", t4);
			jw_str(&j, "table6", t6);
			jw_arr_open(&j, "routes");
		} else {
			fprintf(out,
				"vpc %s: %u prefixes%s, tables: IPv4 %s, IPv6 %s\n  %-18s %-15s "
				"%-20s %s\n",
				d->cfg->vpcs[v].name, gv->l3.n_routes,
				!gv->l3.routed ? " (no router: no network has a gateway)" : "", t4,
				t6, "PREFIX", "NEXT HOP", "VIA", "KIND");
		}
		routes_vpc(d, v, out, &j, json);
		if (json) {
			jw_arr_close(&j);
			jw_obj_close(&j);
		}
	}
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
	return 0;
}

/* A network's ipv6 block: a JSON object, or a text line under the network's. */
static void
router_iface6(const struct vxg_network_cfg *n, FILE *out, struct jw *j, bool json)
{
	const struct vxg_net6_cfg *c = &n->ip6;
	char cidr[64], gw[64];

	if (!c->enabled)
		return;
	vxg_cidr6_format(c->cidr, cidr, sizeof(cidr));
	vxg_ip6_format(&c->gateway, gw, sizeof(gw));
	if (!json) {
		fprintf(out, "  %-12s %8s ipv6 %s gateway %s mode %s ra every %us lifetime %us\n",
			"", "", cidr, gw, vxg_ip6_mode_name(c->mode), c->ra_interval,
			c->ra_lifetime);
		return;
	}
	jw_obj_open(j, "ipv6");
	jw_str(j, "cidr", cidr);
	jw_str(j, "gateway", gw);
	jw_str(j, "mode", vxg_ip6_mode_name(c->mode));
	jw_u64(j, "ra_interval", c->ra_interval);
	jw_u64(j, "ra_lifetime", c->ra_lifetime);
	jw_u64(j, "lease", c->lease);
	jw_obj_close(j);
}

static void
router_ifaces(const struct vxg_daemon *d, unsigned v, FILE *out, struct jw *j, bool json)
{
	const struct vxg_vpc_cfg *vc = &d->cfg->vpcs[v];
	char gw[16], cidr[24], mac[RTE_ETHER_ADDR_FMT_SIZE];

	for (unsigned i = 0; i < vc->n_networks; i++) {
		const struct vxg_network_cfg *n = &vc->networks[i];

		if (n->gateway == 0)
			continue;
		vxg_ip_format(n->gateway, gw, sizeof(gw));
		show_cidr(n->cidr, cidr, sizeof(cidr));
		rte_ether_format_addr(mac, sizeof(mac), &n->gw_mac);
		if (json) {
			jw_obj_open(j, NULL);
			jw_str(j, "network", n->name);
			jw_u64(j, "vni", n->vni);
			jw_str(j, "gateway", gw);
			jw_str(j, "cidr", cidr);
			jw_str(j, "mac", mac);
			jw_u64(j, "mtu", n->mtu);
			jw_bool(j, "dhcp", n->dhcp.enabled);
			router_iface6(n, out, j, json);
			jw_obj_close(j);
			continue;
		}
		fprintf(out, "  %-12s %8u %-15s %-18s %-17s %5u %s\n", n->name, n->vni, gw, cidr,
			mac, n->mtu, n->dhcp.enabled ? "dhcp" : "-");
		router_iface6(n, out, j, json);
	}
}

/* The routers' counters: the workers' router events, and control's side. */
static void
router_counters(const struct vxg_daemon *d, FILE *out, struct jw *j, bool json)
{
	static const enum vxg_event ev[] = {VXG_EV_routed, VXG_EV_icmp_time_exceeded,
		VXG_EV_icmp_unreachable, VXG_EV_icmp_frag_needed, VXG_EV_icmp_ratelimited,
		VXG_EV_fragmented, VXG_EV_neigh_miss};
	const struct vxg_router_stats *rs = vxg_router_stats();
	const struct vxg_l3_neigh_table *l3n = vxg_router_neigh();
	const struct {
		const char *name;
		uint64_t v;
	} c[] = {
		{"arp_requests_rx", rs->arp_requests_rx},
		{"arp_replies_tx", rs->arp_replies_tx},
		{"arp_requests_tx", rs->arp_requests_tx},
		{"arp_replies_rx", rs->arp_replies_rx},
		{"icmp_echo_rx", rs->icmp_echo_rx},
		{"icmp_echo_replies_tx", rs->icmp_echo_replies_tx},
		{"icmp_port_unreach_tx", rs->icmp_port_unreach_tx},
		{"neigh_miss_rx", rs->neigh_miss_rx},
		{"held_tx", rs->held_tx},
		{"held_dropped", l3n->queue_drops + l3n->unresolved_drops},
		{"neighbours_full", l3n->full},
		{"dhcp_rx", rs->dhcp_rx},
		{"dhcp_tx", rs->dhcp_tx},
		{"inject_full", d->inject_full},
	};
	struct vxg_worker_stats t;

	vxg_daemon_stats_total(d, &t);
	if (json)
		jw_obj_open(j, "counters");
	else
		fprintf(out, "counters (every VPC):\n");
	for (unsigned i = 0; i < RTE_DIM(ev); i++) {
		if (json)
			jw_u64(j, vxg_event_names[ev[i]], t.events[ev[i]]);
		else
			fprintf(out, "  %-22s %" PRIu64 "\n", vxg_event_names[ev[i]],
				t.events[ev[i]]);
	}
	for (unsigned i = 0; i < RTE_DIM(c); i++) {
		if (json)
			jw_u64(j, c[i].name, c[i].v);
		else
			fprintf(out, "  %-22s %" PRIu64 "\n", c[i].name, c[i].v);
	}
	vxg_l3_show_counters6(d, out, j, json);
	if (json)
		jw_obj_close(j);
}

static int
vxg_l3_show_router(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	unsigned first, last;
	struct jw j;
	int ret;

	if ((ret = show_range(d->cfg, vpc, &first, &last)) < 0)
		return ret;
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "vpcs");
	}
	for (unsigned v = first; v < last; v++) {
		if (json) {
			jw_obj_open(&j, NULL);
			jw_str(&j, "vpc", d->cfg->vpcs[v].name);
			jw_arr_open(&j, "interfaces");
		} else {
			fprintf(out, "vpc %s\n  %-12s %8s %-15s %-18s %-17s %5s %s\n",
				d->cfg->vpcs[v].name, "NETWORK", "VNI", "GATEWAY", "CIDR", "MAC",
				"MTU", "DHCP");
		}
		router_ifaces(d, v, out, &j, json);
		if (json) {
			jw_arr_close(&j);
			jw_obj_close(&j);
		}
	}
	if (json)
		jw_arr_close(&j);
	router_counters(d, out, &j, json);
	if (json)
		jw_obj_close(&j);
	return 0;
}

/* The VPC of network vni, or NULL. */
static const struct vxg_vpc_cfg *
show_vpc_of_vni(const struct vxg_config *cfg, uint32_t vni, const char **net)
{
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			if (cfg->vpcs[v].networks[i].vni == vni) {
				*net = cfg->vpcs[v].networks[i].name;
				return &cfg->vpcs[v];
			}
	return NULL;
}

static void
neigh_row(FILE *out, struct jw *j, bool json, const char *vpc, const char *net,
	const struct vxg_l3_neigh *e, uint64_t now)
{
	char ip[16], mac[RTE_ETHER_ADDR_FMT_SIZE];
	union vxg_l3_nmac m = e->mac;
	uint64_t age = (now - e->updated_ms) / 1000;

	vxg_ip_format(rte_be_to_cpu_32(e->key.ip), ip, sizeof(ip));
	if (m.valid)
		rte_ether_format_addr(mac, sizeof(mac), &m.mac);
	else
		snprintf(mac, sizeof(mac), "-");
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "vpc", vpc);
		jw_str(j, "network", net);
		jw_str(j, "ip", ip);
		jw_str(j, "mac", mac);
		jw_str(j, "state", vxg_l3n_state_name(e->state));
		jw_u64(j, "age", e->state == VXG_L3N_STATIC ? 0 : age);
		jw_u64(j, "held", e->nq);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "  %-12s %-12s %-15s %-17s %-10s %6" PRIu64 " %4u\n", vpc, net, ip, mac,
		vxg_l3n_state_name(e->state), e->state == VXG_L3N_STATIC ? 0 : age, e->nq);
}

/* Router neighbours: as rows of the caller's JSON array j (json), or text lines. */
static int
vxg_l3_show_neighbours(
	const struct vxg_daemon *d, const char *vpc, FILE *out, struct jw *j, bool json)
{
	const struct vxg_l3_neigh_table *t = vxg_router_neigh();
	uint64_t now = rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);

	if (vpc != NULL && vxg_config_find_vpc(d->cfg, vpc) == VXG_NONE)
		return -ENOENT;
	if (!json)
		fprintf(out, "  %-12s %-12s %-15s %-17s %-10s %6s %4s\n", "VPC", "NETWORK", "IP",
			"MAC", "STATE", "AGE", "HELD");
	for (uint32_t i = 0; t != NULL && i < t->cap; i++) {
		const struct vxg_l3_neigh *e = &t->e[i];
		const struct vxg_vpc_cfg *vc;
		const char *net = "-";

		if (!e->used)
			continue;
		vc = show_vpc_of_vni(d->cfg, e->key.vni, &net);
		if (vpc != NULL && (vc == NULL || strcmp(vc->name, vpc) != 0))
			continue;
		neigh_row(out, j, json, vc != NULL ? vc->name : "-", net, e, now);
	}
	vxg_l3_show_neighbours6(d, vpc, out, j, json, now);
	return 0;
}

/* The router's neighbours, after the underlay's, in `show neighbours`. */
static struct vxg_neigh_section router_neighbours = {
	.title = "router neighbours",
	.key = "router",
	.show = vxg_l3_show_neighbours,
};
VXG_NEIGH_SECTION(router_neighbours);

/* show neighbours VPC, show route [VPC], show router [VPC] */

static void
cmd_show_neighbours_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const char *vpc = vxg_cli_arg(parsed);
	bool found = false;
	struct jw j;

	for (unsigned v = 0; v < d->cfg->n_vpcs; v++)
		found |= strcmp(d->cfg->vpcs[v].name, vpc) == 0;
	if (!found) {
		cli_error("no VPC %s", vpc);
		return;
	}
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "router");
	}
	vxg_l3_show_neighbours(d, vpc, out, &j, json);
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

static void
show_l3(int (*fn)(const struct vxg_daemon *, const char *, FILE *, bool), const char *vpc)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();

	if (fn(d, vpc, out, json) < 0)
		cli_error("no VPC %s", vpc);
}

static void
cmd_show_route(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_routes, NULL);
}

static void
cmd_show_route_vpc(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_routes, vxg_cli_arg(parsed));
}

static void
cmd_show_router(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_router, NULL);
}

static void
cmd_show_router_vpc(void *parsed, struct cmdline *cl, void *data)
{
	show_l3(vxg_l3_show_router, vxg_cli_arg(parsed));
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_neighbours, w1, "neighbours");
VXG_CLI_WORD(t_route, w1, "route");
VXG_CLI_WORD(t_router, w1, "router");
VXG_CLI_ARG(t_vpc);

VXG_CLI_CMD(i_show_neighbours_vpc, cmd_show_neighbours_vpc,
	"show neighbours VPC: the router neighbours of one VPC (network, IP, MAC, state, age)",
	(void *)&t_show, (void *)&t_neighbours, (void *)&t_vpc);
VXG_CLI_CMD(i_show_route, cmd_show_route, "show route: every VPC's route table", (void *)&t_show,
	(void *)&t_route);
VXG_CLI_CMD(i_show_route_vpc, cmd_show_route_vpc, "show route VPC: one VPC's route table",
	(void *)&t_show, (void *)&t_route, (void *)&t_vpc);
VXG_CLI_CMD(i_show_router, cmd_show_router,
	"show router: each VPC router's interfaces (gateway, MAC, MTU, DHCP) and counters",
	(void *)&t_show, (void *)&t_router);
VXG_CLI_CMD(i_show_router_vpc, cmd_show_router_vpc, "show router VPC: one VPC router",
	(void *)&t_show, (void *)&t_router, (void *)&t_vpc);
