/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of the MAC table: `show fdb [NETWORK]` and `clear fdb [NETWORK]`, in
 * text or JSON. A network is named by NAME, VPC/NAME or VNI.
 *
 * Thread-safety: control thread only. Entries are read racily while workers learn: a row
 * may be a packet behind.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "l2/l2_feature.h"

static void
ip_str(rte_be32_t ip, char *buf, size_t len)
{
	vxg_ip_format(rte_be_to_cpu_32(ip), buf, len);
}

/* A network by name (in any VPC, or VPC/NAME) or by VNI; NULL after saying why. */
static const struct vxg_gen_net *
cli_network(const char *arg)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	const struct vxg_gen_vxlan *vx = &d->gen->vx;
	const struct vxg_gen_net *found = NULL;
	const char *slash = strchr(arg, '/');
	char *end;
	unsigned long vni = strtoul(arg, &end, 10);

	if (*arg != '\0' && *end == '\0')
		found = vxg_net_by_vni(vx, (uint32_t)vni);
	for (unsigned i = 0; found == NULL && i < vx->n_nets; i++) {
		const struct vxg_gen_net *n = &vx->nets[i];

		if (slash == NULL ? strcmp(n->name, arg) == 0
				  : strncmp(n->vpc, arg, slash - arg) == 0 &&
					    n->vpc[slash - arg] == '\0' &&
					    strcmp(n->name, slash + 1) == 0)
			found = n;
	}
	if (found == NULL)
		cli_error("no network %s (give a network name, VPC/NAME or a VNI)", arg);
	return found;
}

/* A VTEP, an interface (and VLAN), or "evpn: VTEP" / "evpn: pending" for a declared port
 * that EVPN places. */
static void
fdb_where(const union vxg_fdb_loc *loc, bool evpn, char *buf, size_t len)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	const char *name = "?";
	char ip[16];

	if (loc->kind == VXG_FDB_PENDING) {
		snprintf(buf, len, "%spending", evpn ? "evpn: " : "");
		return;
	}
	if (loc->kind == VXG_FDB_REMOTE) {
		ip_str(loc->vtep, ip, sizeof(ip));
		snprintf(buf, len, "%s%s", evpn ? "evpn: " : "", ip);
		return;
	}
	for (unsigned i = 0; i < d->n_ifs; i++)
		if (d->ifs[i].port_id == loc->port_id)
			name = d->ifs[i].name;
	if (loc->vlan)
		snprintf(buf, len, "%s.%u", name, loc->vlan);
	else
		snprintf(buf, len, "%s", name);
}

/* Who put the entry there: learning, the config, or a BGP EVPN route. */
static const char *
fdb_origin(union vxg_fdb_loc loc)
{
	return loc.origin == VXG_FDB_STATIC        ? "static"
	       : loc.origin == VXG_FDB_EVPN        ? "evpn"
	       : loc.origin == VXG_FDB_EVPN_STICKY ? "evpn-sticky"
						   : "learned";
}

static const char *
fdb_kind(union vxg_fdb_loc loc)
{
	return loc.kind == VXG_FDB_REMOTE  ? "vtep"
	       : loc.kind == VXG_FDB_LOCAL ? "interface"
					   : "pending";
}

static void
fdb_row(struct jw *j, const struct vxg_fdb_entry *e, union vxg_fdb_loc loc, uint32_t now)
{
	bool evpn = vxg_fdb_evpn_port(vxg_l2_fdb(), e);
	const struct vxg_daemon *d = vxg_cli_daemon();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const struct vxg_gen_net *n = vxg_net_by_vni(&d->gen->vx, e->key.vni);
	char mac[RTE_ETHER_ADDR_FMT_SIZE], where[64], net[2 * VXG_NAME_MAX + 2];
	uint32_t age = now - e->seen;

	rte_ether_format_addr(mac, sizeof(mac), &e->key.mac);
	fdb_where(&loc, evpn && !json, where, sizeof(where));
	snprintf(net, sizeof(net), "%s/%s", n ? n->vpc : "-", n ? n->name : "-");
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "mac", mac);
		jw_str(j, "network", net);
		jw_u64(j, "vni", e->key.vni);
		jw_str(j, "kind", fdb_kind(loc));
		jw_str(j, "where", where);
		jw_str(j, "type", fdb_origin(loc));
		jw_bool(j, "evpn_located", evpn); /* a port without location: EVPN places it */
		jw_u64(j, "age", loc.origin != VXG_FDB_LEARNED ? 0 : age);
		jw_obj_close(j);
		return;
	}
	fprintf(out, "%-17s %-20s %8u %-18s %-8s", mac, net, e->key.vni, where, fdb_origin(loc));
	if (loc.origin != VXG_FDB_LEARNED)
		fprintf(out, " %6s\n", "-");
	else
		fprintf(out, " %6u\n", age);
}

static void
show_fdb(const struct vxg_gen_net *only)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	const struct vxg_fdb *fdb = vxg_l2_fdb();
	uint32_t now = vxg_fdb_now(), n = 0, pending = 0;
	struct jw j;

	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "limit", fdb->limit);
		jw_arr_open(&j, "entries");
	} else {
		fprintf(out, "%-17s %-20s %8s %-18s %-8s %6s\n", "MAC", "NETWORK", "VNI", "WHERE",
			"TYPE", "AGE");
	}
	for (uint32_t i = 0; i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];
		union vxg_fdb_loc loc = {.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE)};

		if (loc.kind == VXG_FDB_NONE || (only != NULL && e->key.vni != only->vni))
			continue;
		fdb_row(&j, e, loc, now);
		n++;
		pending += loc.kind == VXG_FDB_PENDING;
	}
	if (json) {
		jw_arr_close(&j);
		jw_u64(&j, "count", n);
		jw_u64(&j, "pending", pending); /* ports EVPN has not placed yet */
		jw_obj_close(&j);
	} else if (pending > 0) {
		fprintf(out, "%u entries (limit %u), %u ports not placed by EVPN yet\n", n,
			fdb->limit, pending);
	} else {
		fprintf(out, "%u entries (limit %u)\n", n, fdb->limit);
	}
}

static void
cmd_show_fdb(void *parsed, struct cmdline *cl, void *data)
{
	show_fdb(NULL);
}

static void
cmd_show_fdb_net(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_gen_net *n = cli_network(vxg_cli_arg(parsed));

	if (n != NULL)
		show_fdb(n);
}

static void
clear_fdb(const struct vxg_gen_net *only)
{
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	unsigned n = vxg_fdb_clear(vxg_l2_fdb(), only ? only->vni : 0);

	if (json) {
		struct jw j;

		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "cleared", n);
		jw_obj_close(&j);
	} else {
		fprintf(out, "%u learned entries cleared\n", n);
	}
}

static void
cmd_clear_fdb(void *parsed, struct cmdline *cl, void *data)
{
	clear_fdb(NULL);
}

static void
cmd_clear_fdb_net(void *parsed, struct cmdline *cl, void *data)
{
	const struct vxg_gen_net *n = cli_network(vxg_cli_arg(parsed));

	if (n != NULL)
		clear_fdb(n);
}

/* ---- The commands --------------------------------------------------------------------- */

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_clear, w0, "clear");
VXG_CLI_WORD(t_fdb, w1, "fdb");
VXG_CLI_ARG(t_net);

VXG_CLI_CMD(i_show_fdb, cmd_show_fdb,
	"show fdb: MAC table of every network (MAC, network, VNI, where, learned/static/evpn, age; "
	"a port EVPN places: evpn: VTEP or evpn: pending)",
	(void *)&t_show, (void *)&t_fdb);
VXG_CLI_CMD(i_show_fdb_net, cmd_show_fdb_net,
	"show fdb NETWORK: MAC table of one network (name or VNI)", (void *)&t_show, (void *)&t_fdb,
	(void *)&t_net);
VXG_CLI_CMD(i_clear_fdb, cmd_clear_fdb, "clear fdb: forget every learned MAC", (void *)&t_clear,
	(void *)&t_fdb);
VXG_CLI_CMD(i_clear_fdb_net, cmd_clear_fdb_net,
	"clear fdb NETWORK: forget the learned MACs of one network", (void *)&t_clear,
	(void *)&t_fdb, (void *)&t_net);
