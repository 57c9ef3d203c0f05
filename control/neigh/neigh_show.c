/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell command of the underlay neighbours: `show neighbours`, the ARP table of our own
 * interfaces (static entries from the config, then learned ones) and the ARP/ICMP
 * counters, in text or JSON. Other features add their part (the VPC routers their
 * neighbours) as a section (neigh/neigh_show.h).
 *
 * Thread-safety: control thread only.
 */
#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "neigh/neigh_feature.h"
#include "neigh/neigh_show.h"

static void
ip_str(rte_be32_t ip, char *buf, size_t len)
{
	vxg_ip_format(rte_be_to_cpu_32(ip), buf, len);
}

static struct vxg_neigh_section *sections;

void
vxg_neigh_section_register(struct vxg_neigh_section *s)
{
	struct vxg_neigh_section **p = &sections;

	while (*p != NULL && strcmp((*p)->key, s->key) < 0)
		p = &(*p)->next;
	s->next = *p;
	*p = s;
}

bool
vxg_neigh_is_static(const struct vxg_config *cfg, unsigned ifi, rte_be32_t ip)
{
	const struct vxg_if_cfg *ic = &cfg->interfaces[ifi];

	for (unsigned i = 0; i < ic->n_neighbours; i++)
		if (rte_cpu_to_be_32(ic->neighbours[i].ip) == ip)
			return true;
	return false;
}

static void
neigh_row(struct jw *j, unsigned ifi, rte_be32_t ip, const struct rte_ether_addr *mac,
	const char *state, int64_t age_s, unsigned probes)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	char ips[16], macs[RTE_ETHER_ADDR_FMT_SIZE], ages[24];

	ip_str(ip, ips, sizeof(ips));
	if (mac != NULL)
		rte_ether_format_addr(macs, sizeof(macs), mac);
	else
		snprintf(macs, sizeof(macs), "-");
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "interface", d->ifs[ifi].name);
		jw_str(j, "ip", ips);
		jw_str(j, "mac", macs);
		jw_str(j, "state", state);
		if (age_s >= 0)
			jw_u64(j, "age", (uint64_t)age_s);
		jw_u64(j, "probes", probes);
		jw_obj_close(j);
		return;
	}
	if (age_s >= 0)
		snprintf(ages, sizeof(ages), "%" PRId64, age_s);
	else
		snprintf(ages, sizeof(ages), "-");
	fprintf(out, "  %-12s %-15s %-17s %-10s %6s %6u\n", d->ifs[ifi].name, ips, macs, state,
		ages, probes);
}

static void
neigh_rows(struct jw *j)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	const struct vxg_neigh_table *t = vxg_underlay_neigh();
	uint64_t now = rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);

	for (unsigned i = 0; i < d->cfg->n_interfaces; i++) {
		const struct vxg_if_cfg *ic = &d->cfg->interfaces[i];

		for (unsigned k = 0; k < ic->n_neighbours; k++)
			neigh_row(j, i, rte_cpu_to_be_32(ic->neighbours[k].ip),
				&ic->neighbours[k].mac, "static", -1, 0);
	}
	for (uint32_t i = 0; t != NULL && i < t->n; i++) {
		const struct vxg_neigh *e = &t->e[i];

		if (vxg_neigh_is_static(d->cfg, e->ifi, e->ip))
			continue; /* the static entry is the one in use */
		neigh_row(j, e->ifi, e->ip, e->state == VXG_NEIGH_INCOMPLETE ? NULL : &e->mac,
			vxg_neigh_state_name(e->state), (int64_t)((now - e->updated_ms) / 1000),
			e->probes);
	}
}

static void
cmd_show_neighbours(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_underlay_stats *us = vxg_underlay_stats();
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct jw j;

	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "neighbours");
	} else {
		fprintf(out, "  %-12s %-15s %-17s %-10s %6s %6s\n", "INTERFACE", "IP", "MAC",
			"STATE", "AGE", "PROBES");
	}
	neigh_rows(&j);
	if (json) {
		jw_arr_close(&j);
		for (const struct vxg_neigh_section *s = sections; s != NULL; s = s->next) {
			jw_arr_open(&j, s->key);
			s->show(d, NULL, out, &j, true);
			jw_arr_close(&j);
		}
		jw_obj_open(&j, "counters");
		jw_u64(&j, "arp_requests_rx", us->arp_requests_rx);
		jw_u64(&j, "arp_replies_tx", us->arp_replies_tx);
		jw_u64(&j, "arp_requests_tx", us->arp_requests_tx);
		jw_u64(&j, "arp_replies_rx", us->arp_replies_rx);
		jw_u64(&j, "icmp_echo_rx", us->icmp_echo_rx);
		jw_u64(&j, "icmp_echo_replies_tx", us->icmp_echo_replies_tx);
		jw_u64(&j, "ctl_tx_dropped", d->ctl_tx_full);
		jw_u64(&j, "neigh_full", us->neigh_full);
		jw_u64(&j, "generations_rebuilt", us->regens);
		jw_obj_close(&j);
		jw_obj_close(&j);
		return;
	}
	fprintf(out,
		"arp: requests rx %" PRIu64 " replies tx %" PRIu64 ", probes tx %" PRIu64
		" replies rx %" PRIu64 "\nicmp: echo requests rx %" PRIu64 " replies tx %" PRIu64
		"\ncontrol tx dropped %" PRIu64 ", table full %" PRIu64
		", generations rebuilt %" PRIu64 "\n",
		us->arp_requests_rx, us->arp_replies_tx, us->arp_requests_tx, us->arp_replies_rx,
		us->icmp_echo_rx, us->icmp_echo_replies_tx, d->ctl_tx_full, us->neigh_full,
		us->regens);
	for (const struct vxg_neigh_section *s = sections; s != NULL; s = s->next) {
		fprintf(out, "%s:\n", s->title);
		s->show(d, NULL, out, NULL, false);
	}
}

/* ---- The commands --------------------------------------------------------------------- */

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_neighbours, w1, "neighbours");

VXG_CLI_CMD(i_show_neighbours, cmd_show_neighbours,
	"show neighbours: underlay ARP table (interface, IP, MAC, state, age, probes), "
	"ARP/ICMP counters, router neighbours",
	(void *)&t_show, (void *)&t_neighbours);
