/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IPv6 router's part of the shell's router views: its counters in `show router` and
 * its neighbours (of networks and of external interfaces) in `show neighbours`.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "l3/l3_show6.h"
#include "l3/router6.h"
#include "l3/router_neigh.h"
#include "vxg_l3.h"

void
vxg_l3_show_counters6(const struct vxg_daemon *d, FILE *out, struct jw *j, bool json)
{
	static const enum vxg_event ev[] = {VXG_EV_routed6, VXG_EV_icmp6_time_exceeded,
		VXG_EV_icmp6_unreachable, VXG_EV_icmp6_pkt_too_big, VXG_EV_neigh6_miss};
	const struct vxg_router6_stats *rs = vxg_router6_stats();
	const struct vxg_l3_neigh6_table *t = vxg_router_neigh6();
	const struct {
		const char *name;
		uint64_t v;
	} c[] = {
		{"nd6_ns_rx", rs->ns_rx},
		{"nd6_na_tx", rs->na_tx},
		{"nd6_ns_tx", rs->ns_tx},
		{"nd6_na_rx", rs->na_rx},
		{"nd6_other", rs->nd_other},
		{"nd6_malformed", rs->nd_bad},
		{"icmp6_echo_rx", rs->echo_rx},
		{"icmp6_echo_replies_tx", rs->echo_tx},
		{"icmp6_port_unreach_tx", rs->port_unreach_tx},
		{"neigh6_miss_rx", rs->miss_rx},
		{"held6_tx", rs->held_tx},
		{"held6_dropped", t != NULL ? t->queue_drops + t->unresolved_drops : 0},
		{"neighbours6_full", t != NULL ? t->full : 0},
		{"unknown6", rs->unknown},
	};
	struct vxg_worker_stats s;

	vxg_daemon_stats_total(d, &s);
	for (unsigned i = 0; i < RTE_DIM(ev); i++) {
		if (json)
			jw_u64(j, vxg_event_names[ev[i]], s.events[ev[i]]);
		else
			fprintf(out, "  %-22s %" PRIu64 "\n", vxg_event_names[ev[i]],
				s.events[ev[i]]);
	}
	for (unsigned i = 0; i < RTE_DIM(c); i++) {
		if (json)
			jw_u64(j, c[i].name, c[i].v);
		else
			fprintf(out, "  %-22s %" PRIu64 "\n", c[i].name, c[i].v);
	}
}

/* The VPC and network names of a neighbour key's vni (an interface: "-" and its name). */
static bool
neigh6_where(const struct vxg_config *cfg, uint32_t vni, const char **vpc, const char **net)
{
	*vpc = "-";
	*net = "-";
	if (vni & VXG_L3N6_IF) {
		uint32_t i = vni & ~VXG_L3N6_IF;

		if (i < cfg->n_interfaces)
			*net = cfg->interfaces[i].name;
		return true;
	}
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned i = 0; i < cfg->vpcs[v].n_networks; i++)
			if (cfg->vpcs[v].networks[i].vni == vni) {
				*vpc = cfg->vpcs[v].name;
				*net = cfg->vpcs[v].networks[i].name;
				return true;
			}
	return false;
}

static void
neigh6_row(FILE *out, struct jw *j, bool json, const char *vpc, const char *net,
	const struct vxg_l3_neigh6 *e, uint64_t now)
{
	char ip[INET6_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	union vxg_l3_nmac m = e->mac;
	uint64_t age = e->state == VXG_L3N_STATIC ? 0 : (now - e->updated_ms) / 1000;

	inet_ntop(AF_INET6, e->key.ip, ip, sizeof(ip));
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
		jw_u64(j, "age", age);
		jw_u64(j, "held", e->nq);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "  %-12s %-12s %-15s %-17s %-10s %6" PRIu64 " %4u\n", vpc, net, ip, mac,
		vxg_l3n_state_name(e->state), age, e->nq);
}

void
vxg_l3_show_neighbours6(const struct vxg_daemon *d, const char *vpc, FILE *out, struct jw *j,
	bool json, uint64_t now_ms)
{
	const struct vxg_l3_neigh6_table *t = vxg_router_neigh6();

	for (uint32_t i = 0; t != NULL && i < t->cap; i++) {
		const struct vxg_l3_neigh6 *e = &t->e[i];
		const char *v, *net;

		if (!e->used || !neigh6_where(d->cfg, e->key.vni, &v, &net))
			continue;
		/* an interface's neighbours are every VPC's that routes out of it */
		if (vpc != NULL && strcmp(v, vpc) != 0 && !(e->key.vni & VXG_L3N6_IF))
			continue;
		neigh6_row(out, j, json, v, net, e, now_ms);
	}
}
