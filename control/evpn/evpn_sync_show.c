/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shell commands of the EVPN shadow, text or JSON: `show evpn vnis` (per VNI: its devices
 * in the namespace, remote VTEPs, MACs from routes, MACs advertised; then the shadow's
 * counters) and `show evpn macs [VNI]` (each MAC: VNI, VTEP, origin: `remote` from a
 * type-2 route, `remote-port` for a declared port it placed, `local` or `gateway`
 * advertised by vxgate).
 *
 * Thread-safety: control thread only (the shadow's state is the control thread's).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include <rte_hash.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "evpn/evpn_sync.h"
#include "l2/fdb.h"

static struct vxg_evpn_sync *
shadow(void)
{
	struct vxg_evpn_sync *s = vxg_evpn_sync_current();

	if (s == NULL)
		cli_error("EVPN is off: no vtep.evpn in the config, or its namespace is not open");
	return s;
}

static void
net_name(uint32_t vni, char *buf, size_t len)
{
	const struct vxg_daemon *d = vxg_cli_daemon();
	const struct vxg_gen_net *n = d->gen ? vxg_net_by_vni(&d->gen->vx, vni) : NULL;

	snprintf(buf, len, "%s/%s", n ? n->vpc : "-", n ? n->name : "-");
}

/* ---- show evpn vnis ------------------------------------------------------------------------ */

static void
vni_json(struct jw *j, const struct evs_net *n)
{
	char name[2 * VXG_NAME_MAX + 2], ip[16];

	net_name(n->vni, name, sizeof(name));
	jw_obj_open(j, NULL);
	jw_u64(j, "vni", n->vni);
	jw_str(j, "network", name);
	jw_str(j, "state", n->ready ? "up" : n->broken ? "repairing" : "down");
	jw_obj_open(j, "ifindex");
	jw_u64(j, "bridge", (uint64_t)n->br);
	jw_u64(j, "vxlan", (uint64_t)n->vx);
	jw_u64(j, "port", (uint64_t)n->vp);
	jw_u64(j, "peer", (uint64_t)n->vq);
	jw_obj_close(j);
	jw_arr_open(j, "remote_vteps");
	for (unsigned i = 0; i < n->n_vteps; i++) {
		vxg_ip_format(n->vteps[i], ip, sizeof(ip));
		jw_str(j, NULL, ip);
	}
	jw_arr_close(j);
	jw_u64(j, "evpn_macs", n->evpn_macs);
	jw_u64(j, "advertised", n->adv);
	jw_obj_close(j);
}

static void
vni_text(FILE *out, const struct evs_net *n)
{
	char name[2 * VXG_NAME_MAX + 2], ip[16], devs[64];

	net_name(n->vni, name, sizeof(name));
	snprintf(devs, sizeof(devs), "vxb%u vxv%u vxp%u", n->vni, n->vni, n->vni);
	fprintf(out, "%8u %-20s %-9s %-30s %6u %10" PRIu64 " %10" PRIu64 "\n", n->vni, name,
		n->ready    ? "up"
		: n->broken ? "repairing"
			    : "down",
		devs, n->n_vteps, n->evpn_macs, n->adv);
	for (unsigned i = 0; i < n->n_vteps; i++) {
		vxg_ip_format(n->vteps[i], ip, sizeof(ip));
		fprintf(out, "%s%s", i == 0 ? "         remote VTEPs: " : " ", ip);
	}
	if (n->n_vteps > 0)
		fprintf(out, "\n");
}

/* The counters, as name/value pairs for both forms. */
static void
sum_fields(const struct vxg_evpn_sync_sum *m, const char **names, uint64_t *vals, unsigned *n)
{
	const struct {
		const char *name;
		uint64_t val;
	} f[] = {
		{"events", m->events},
		{"errors", m->errors},
		{"unknown_ifindex", m->unknown_ifindex},
		{"ignored", m->ignored},
		{"mac_adds", m->mac_adds},
		{"mac_moves", m->mac_moves},
		{"mac_dels", m->mac_dels},
		{"vtep_adds", m->vtep_adds},
		{"vtep_dels", m->vtep_dels},
		{"fdb_full", m->fdb_full},
		{"conflicts", m->conflicts},
		{"adv_adds", m->adv_adds},
		{"adv_dels", m->adv_dels},
		{"adv_full", m->adv_full},
		{"nl_errors", m->nl_errors},
		{"overruns", m->overruns},
		{"regens", m->regens},
		{"reconciles", m->reconciles},
		{"reconcile_swept", m->reconcile_swept},
		{"reconcile_readded", m->reconcile_readded},
		{"last_reconcile_ms", m->last_reconcile_ms},
	};

	*n = RTE_DIM(f);
	for (unsigned i = 0; i < RTE_DIM(f); i++) {
		names[i] = f[i].name;
		vals[i] = f[i].val;
	}
}

static void
sum_show(struct jw *j, FILE *out, bool json, const struct vxg_evpn_sync_sum *m)
{
	const char *names[32];
	uint64_t vals[32], ago = m->last_reconcile ? (uint64_t)time(NULL) - m->last_reconcile : 0;
	unsigned n;

	sum_fields(m, names, vals, &n);
	if (json) {
		jw_obj_open(j, "counters");
		for (unsigned i = 0; i < n; i++)
			jw_u64(j, names[i], vals[i]);
		jw_u64(j, "last_reconcile", m->last_reconcile);
		jw_bool(j, "reconciling", m->reconciling);
		jw_obj_close(j);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		fprintf(out, "%s%s %" PRIu64, i % 7 == 0 ? "\n  " : ", ", names[i], vals[i]);
	fprintf(out, "\n  last reconcile: ");
	if (m->last_reconcile)
		fprintf(out, "%" PRIu64 " s ago%s\n", ago, m->reconciling ? " (one running)" : "");
	else
		fprintf(out, "never%s\n", m->reconciling ? " (one running)" : "");
}

static void
cmd_show_evpn_vnis(void *parsed, struct cmdline *cl, void *data)
{
	struct vxg_evpn_sync *s = shadow();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct vxg_evpn_sync_sum m;
	struct jw j;

	if (s == NULL)
		return;
	vxg_evpn_sync_summary(s, &m);
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "vnis");
	} else {
		fprintf(out, "%8s %-20s %-9s %-30s %6s %10s %10s\n", "VNI", "NETWORK", "STATE",
			"DEVICES", "VTEPS", "EVPN MACS", "ADVERTISED");
	}
	for (unsigned i = 0; i < s->n_nets; i++) {
		if (json)
			vni_json(&j, &s->nets[i]);
		else
			vni_text(out, &s->nets[i]);
	}
	if (json)
		jw_arr_close(&j);
	else
		fprintf(out,
			"%u VNIs (%u up), %u remote VTEPs, %" PRIu64 " EVPN MACs, %" PRIu64
			" advertised",
			m.vnis, m.vnis_ready, m.remote_vteps, m.evpn_macs, m.advertised);
	sum_show(&j, out, json, &m);
	if (json)
		jw_obj_close(&j);
}

/* ---- show evpn macs [VNI] ---------------------------------------------------------------- */

static void
mac_row(struct jw *j, uint32_t vni, const struct rte_ether_addr *mac, uint32_t vtep_host,
	const char *origin)
{
	char m[RTE_ETHER_ADDR_FMT_SIZE], ip[16], name[2 * VXG_NAME_MAX + 2];

	rte_ether_format_addr(m, sizeof(m), mac);
	vxg_ip_format(vtep_host, ip, sizeof(ip));
	net_name(vni, name, sizeof(name));
	if (vxg_cli_json()) {
		jw_obj_open(j, NULL);
		jw_str(j, "mac", m);
		jw_u64(j, "vni", vni);
		jw_str(j, "network", name);
		jw_str(j, "vtep", ip);
		jw_str(j, "origin", origin);
		jw_obj_close(j);
		return;
	}
	fprintf(vxg_cli_out(), "%-17s %8u %-20s %-15s %s\n", m, vni, name, ip, origin);
}

/* Remote MACs (the FDB's EVPN entries), then those advertised; how many. */
static uint64_t
macs_rows(struct jw *j, struct vxg_evpn_sync *s, uint32_t only)
{
	const struct vxg_fdb *fdb = evs_fdb(s);
	const void *key;
	void *data;
	uint32_t it = 0;
	uint64_t n = 0;
	int32_t pos;

	for (uint32_t i = 0; fdb != NULL && i < fdb->n_entries; i++) {
		const struct vxg_fdb_entry *e = &fdb->entries[i];
		union vxg_fdb_loc loc = {.u64 = __atomic_load_n(&e->loc.u64, __ATOMIC_ACQUIRE)};
		bool port = vxg_fdb_evpn_port(fdb, e);

		if (loc.kind != VXG_FDB_REMOTE || (!vxg_fdb_is_evpn(loc.origin) && !port) ||
			(only != 0 && e->key.vni != only))
			continue;
		mac_row(j, e->key.vni, &e->key.mac, rte_be_to_cpu_32(loc.vtep),
			port                                ? "remote-port"
			: loc.origin == VXG_FDB_EVPN_STICKY ? "remote-sticky"
							    : "remote");
		n++;
	}
	while ((pos = rte_hash_iterate(s->adv_h, &key, &data, &it)) >= 0) {
		const struct evs_adv *a = &s->adv[pos];

		if (only != 0 && a->key.vni != only)
			continue;
		mac_row(j, a->key.vni, &a->key.mac, rte_be_to_cpu_32(s->vtep),
			a->kind == EVS_ADV_GW ? "gateway" : "local");
		n++;
	}
	return n;
}

static void
show_macs(uint32_t only)
{
	struct vxg_evpn_sync *s = shadow();
	FILE *out = vxg_cli_out();
	bool json = vxg_cli_json();
	struct jw j;
	uint64_t n;

	if (s == NULL)
		return;
	if (only != 0 && evs_net_by_vni(s, only) == NULL) {
		cli_error("VNI %u is not shadowed (not a network with EVPN on)", only);
		return;
	}
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_arr_open(&j, "macs");
	} else {
		fprintf(out, "%-17s %8s %-20s %-15s %s\n", "MAC", "VNI", "NETWORK", "VTEP",
			"ORIGIN");
	}
	n = macs_rows(&j, s, only);
	if (json) {
		jw_arr_close(&j);
		jw_u64(&j, "count", n);
		jw_obj_close(&j);
	} else {
		fprintf(out, "%" PRIu64 " MACs\n", n);
	}
}

static void
cmd_show_evpn_macs(void *parsed, struct cmdline *cl, void *data)
{
	show_macs(0);
}

static void
cmd_show_evpn_macs_vni(void *parsed, struct cmdline *cl, void *data)
{
	const char *arg = vxg_cli_arg(parsed);
	char *end;
	unsigned long vni = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || vni == 0 || vni > VXG_VNI_MAX) {
		cli_error("%s: give a VNI (1 to %u)", arg, VXG_VNI_MAX);
		return;
	}
	show_macs((uint32_t)vni);
}

/* ---- The commands --------------------------------------------------------------------- */

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_evpn, w1, "evpn");
VXG_CLI_WORD(t_vnis, w2, "vnis");
VXG_CLI_WORD(t_macs, w2, "macs");
VXG_CLI_ARG(t_vni);

VXG_CLI_CMD(i_show_evpn_vnis, cmd_show_evpn_vnis,
	"show evpn vnis: each VNI's shadow devices, remote VTEPs, EVPN MACs and MACs advertised, "
	"and the shadow's counters",
	(void *)&t_show, (void *)&t_evpn, (void *)&t_vnis);
VXG_CLI_CMD(i_show_evpn_macs, cmd_show_evpn_macs,
	"show evpn macs: MACs from EVPN routes and MACs advertised (MAC, VNI, VTEP, origin)",
	(void *)&t_show, (void *)&t_evpn, (void *)&t_macs);
VXG_CLI_CMD(i_show_evpn_macs_vni, cmd_show_evpn_macs_vni,
	"show evpn macs VNI: the same for one VNI", (void *)&t_show, (void *)&t_evpn,
	(void *)&t_macs, (void *)&t_vni);
