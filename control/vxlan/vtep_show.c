/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell command of the VTEP: `show vtep`, our address and each remote VTEP with its next
 * hop, underlay neighbour state, the MACs behind it (and how many of them BGP EVPN gave),
 * its packets and where it came from (the config, EVPN or both), in text or JSON.
 *
 * Thread-safety: control thread only. Counters are read racily while workers count.
 */
#include <inttypes.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "l2/l2_feature.h"
#include "neigh/neigh_feature.h"
#include "neigh/neigh_show.h"
#include "vxlan/vxlan_dyn.h"
#include "vxlan/vxlan_feature.h"

static void
ip_str(rte_be32_t ip, char *buf, size_t len)
{
	vxg_ip_format(rte_be_to_cpu_32(ip), buf, len);
}

/* MACs the FDB holds behind each remote VTEP, and of them those from EVPN: what an
 * operator checks first. */
static uint32_t
vtep_macs(rte_be32_t ip, uint32_t *evpn)
{
	const struct vxg_fdb *fdb = vxg_l2_fdb();
	uint32_t n = 0;

	*evpn = 0;
	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		union vxg_fdb_loc loc = {.u64 = fdb->entries[i].loc.u64};

		if (loc.kind == VXG_FDB_REMOTE && loc.vtep == ip) {
			n++;
			*evpn += vxg_fdb_is_evpn(loc.origin) ||
				 vxg_fdb_evpn_port(fdb, &fdb->entries[i]);
		}
	}
	return n;
}

/* Does the config name ip (host order) in a flood list or as a port's location? */
static bool
vtep_in_config(const struct vxg_config *cfg, uint32_t ip)
{
	for (unsigned v = 0; v < cfg->n_vpcs; v++) {
		const struct vxg_vpc_cfg *vpc = &cfg->vpcs[v];

		for (unsigned i = 0; i < vpc->n_networks; i++)
			for (unsigned f = 0; f < vpc->networks[i].n_flood; f++)
				if (vpc->networks[i].flood[f] == ip)
					return true;
		for (unsigned p = 0; p < vpc->n_ports; p++)
			if (vpc->ports[p].loc == VXG_LOC_VTEP && vpc->ports[p].vtep == ip)
				return true;
	}
	return false;
}

/* Where a remote VTEP came from: "config", "evpn" (a type-3 route) or "config+evpn". */
static const char *
vtep_source(const struct vxg_config *cfg, rte_be32_t ip)
{
	bool c = vtep_in_config(cfg, rte_be_to_cpu_32(ip));
	bool e = vxg_vxlan_dyn_has(rte_be_to_cpu_32(ip));

	return c && e ? "config+evpn" : e ? "evpn" : "config";
}

static void
vtep_row(struct jw *j, const struct vxg_gen_vxlan *vx, unsigned i)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const struct vxg_gen_vtep *t = &vx->vteps[i];
	char ip[16], nh[16], mac[RTE_ETHER_ADDR_FMT_SIZE];
	const struct vxg_neigh *n =
		vxg_neigh_lookup(vxg_underlay_neigh(), d->cfg->vtep.underlay, t->nexthop);
	const char *state =
		!t->resolved ? "unresolved"
		: n == NULL || vxg_neigh_is_static(d->cfg, d->cfg->vtep.underlay, t->nexthop)
			? "static"
			: "learned";
	uint32_t evpn, macs = vtep_macs(t->ip, &evpn);
	const char *source = vtep_source(d->cfg, t->ip);
	uint64_t tx, rx;

	vxg_vtep_total(d, (uint16_t)i, &tx, &rx);

	ip_str(t->ip, ip, sizeof(ip));
	ip_str(t->nexthop, nh, sizeof(nh));
	if (t->resolved)
		rte_ether_format_addr(mac, sizeof(mac), &t->tmpl.eth.dst_addr);
	else
		snprintf(mac, sizeof(mac), "-");
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "address", ip);
		jw_str(j, "nexthop", nh);
		jw_str(j, "neighbour", state);
		jw_str(j, "mac", mac);
		jw_u64(j, "macs", macs);
		jw_u64(j, "tx_packets", tx);
		jw_u64(j, "rx_packets", rx);
		jw_u64(j, "evpn_macs", evpn);
		jw_str(j, "source", source);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "  %-15s %-15s %-10s %-17s %8u %12" PRIu64 " %12" PRIu64 " %9u %s\n", ip, nh,
		state, mac, macs, tx, rx, evpn, source);
}

static void
cmd_show_vtep(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const struct vxg_gen_vxlan *vx = &d->gen->vx;
	const struct vxg_vtep_cfg *vc = &d->cfg->vtep;
	char addr[16];
	struct jw j;

	if (!vx->enabled) {
		cli_error("no vtep: section in %s", d->cfg->path);
		return;
	}
	ip_str(vx->addr, addr, sizeof(addr));
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_str(&j, "address", addr);
		jw_u64(&j, "udp_port", vc->udp_port);
		jw_str(&j, "interface", d->ifs[vc->underlay].name);
		jw_bool(&j, "learning", vc->learning);
		jw_u64(&j, "ageing", vc->ageing);
		jw_arr_open(&j, "remotes");
	} else {
		fprintf(out,
			"vtep %s udp port %u on %s, learning %s, ageing %u s\n"
			"  %-15s %-15s %-10s %-17s %8s %12s %12s %9s %s\n",
			addr, vc->udp_port, d->ifs[vc->underlay].name, vc->learning ? "on" : "off",
			vc->ageing, "REMOTE", "NEXTHOP", "NEIGHBOUR", "MAC", "FDB MACS", "TX", "RX",
			"EVPN MACS", "SOURCE");
	}
	for (unsigned i = 0; i < vx->n_vteps; i++)
		vtep_row(&j, vx, i);
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
	}
}

/* ---- The commands --------------------------------------------------------------------- */

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_vtep, w1, "vtep");

VXG_CLI_CMD(i_show_vtep, cmd_show_vtep,
	"show vtep: our VTEP and each remote VTEP, its next hop, neighbour state, MACs behind it, "
	"source (config or evpn)",
	(void *)&t_show, (void *)&t_vtep);
