/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show evpn`: EVPN's settings (AS, router ID, namespace, the networks it advertises, FRR
 * mode), FRR's daemons (pid, uptime, restarts, the last exit) and the configuration
 * changes applied to bgpd, then the BGP sessions as FRR last reported them, with the age
 * of that report. Text or JSON.
 *
 * Thread-safety: control thread only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/daemon.h"
#include "core/json.h"
#include "evpn/evpn_feature.h"

static void
last_exit(const struct evpn_proc *p, char *buf, size_t len)
{
	int st = p->last_status;

	if (st == -1)
		snprintf(buf, len, "none");
	else if (WIFEXITED(st))
		snprintf(buf, len, "status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "signal %d", WTERMSIG(st));
	else
		snprintf(buf, len, "stopped");
}

static void
daemons_text(const struct vxg_evpn_state *e, uint64_t now, FILE *out)
{
	const struct evpn_frr *f = &e->frr;
	char why[32];

	for (unsigned i = 0; i < EVPN_DAEMONS; i++) {
		const struct evpn_proc *p = &f->d[i];

		last_exit(p, why, sizeof(why));
		if (p->pid != 0)
			fprintf(out, "  %-5s pid %d, up %.1f s", p->name, (int)p->pid,
				(now - p->started_ms) / 1000.0);
		else
			fprintf(out, "  %-5s not running", p->name);
		fprintf(out, ", restarts %" PRIu64 ", last exit %s\n", p->restarts, why);
	}
	fprintf(out,
		"  config changes: %" PRIu64 " applied by vtysh, %" PRIu64 " failed, %" PRIu64
		" bgpd restarts\n",
		f->applies_ok, f->applies_failed, f->bgpd_reloads);
}

/* A session's remote AS: FRR says 0 for an iBGP peer (remote-as internal) before it has
 * opened; the config says whose it is. */
static uint32_t
remote_as(const struct evpn_bgp *b, const struct evpn_session *s)
{
	if (s->remote_as != 0)
		return s->remote_as;
	for (unsigned i = 0; i < b->n_peers; i++)
		if (!strcmp(config_ip_str(b->peers[i].address).s, s->address))
			return b->peers[i].asn ? b->peers[i].asn : b->asn;
	return 0;
}

static void
sessions_text(const struct evpn_query *q, const struct evpn_bgp *b, uint64_t now, FILE *out)
{
	if (!q->valid) {
		fprintf(out, "sessions: not known yet%s%s\n", q->error[0] ? ": " : "", q->error);
		return;
	}
	fprintf(out, "sessions (FRR, %.1f s ago%s%s):\n", (now - q->taken_ms) / 1000.0,
		q->error[0] ? "; last ask: " : "", q->error);
	if (q->n_sessions == 0)
		fprintf(out, "  none\n");
	for (unsigned i = 0; i < q->n_sessions; i++) {
		const struct evpn_session *s = &q->sessions[i];

		fprintf(out, "  %-15s AS %-10u %-11s", s->address, remote_as(b, s), s->state);
		if (!strcmp(s->state, "Established"))
			fprintf(out, " up %.1f s, %" PRIu64 " routes", s->uptime_ms / 1000.0,
				s->prefixes);
		fprintf(out, " (established %" PRIu64 ", dropped %" PRIu64 ")\n", s->established,
			s->dropped);
	}
}

/* The networks EVPN advertises (evpn not false), as the live config has them. */
static void
vnis_text(const struct vxg_config *cfg, FILE *out)
{
	unsigned n = 0;

	fprintf(out, "networks:");
	for (unsigned i = 0; i < cfg->n_vpcs; i++)
		for (unsigned k = 0; k < cfg->vpcs[i].n_networks; k++)
			if (cfg->vpcs[i].networks[k].evpn && ++n)
				fprintf(out, " %s/%s (vni %u)", cfg->vpcs[i].name,
					cfg->vpcs[i].networks[k].name,
					cfg->vpcs[i].networks[k].vni);
	fprintf(out, "%s\n", n ? "" : " none");
}

static void
vnis_json(const struct vxg_config *cfg, struct jw *j)
{
	jw_arr_open(j, "networks");
	for (unsigned i = 0; i < cfg->n_vpcs; i++) {
		for (unsigned k = 0; k < cfg->vpcs[i].n_networks; k++) {
			const struct vxg_network_cfg *net = &cfg->vpcs[i].networks[k];

			if (!net->evpn)
				continue;
			jw_obj_open(j, NULL);
			jw_str(j, "vpc", cfg->vpcs[i].name);
			jw_str(j, "network", net->name);
			jw_u64(j, "vni", net->vni);
			jw_obj_close(j);
		}
	}
	jw_arr_close(j);
}

static void
show_text(const struct vxg_evpn_state *e, uint64_t now, FILE *out)
{
	const struct evpn_bgp *b = &e->frr.want;

	if (!e->on) {
		fprintf(out, "evpn: off (no vtep.evpn in the config)\n");
		return;
	}
	fprintf(out, "evpn: AS %u, router ID %s, %u peers, timers %u/%u s\n", b->asn,
		config_ip_str(b->router_id).s, b->n_peers, b->keepalive, b->hold);
	fprintf(out, "namespace %s%s, BGP %s\n", e->netns, e->created ? " (made by vxgate)" : "",
		e->inband ? "in-band (tap)" : "out of band (VTEP address on lo)");
	vnis_text(vxg_cli_daemon()->cfg, out);
	fprintf(out, "frr %s, files in %s\n", vxg_frr_mode_name(e->mode), e->frr.dir);
	if (e->mode == VXG_FRR_MANAGED)
		daemons_text(e, now, out);
	sessions_text(&e->query, b, now, out);
	/* EVPN sync (evpn_sync.h), once on main: vxg_evpn_sync_summary() counts here. */
}

static void
daemons_json(const struct vxg_evpn_state *e, uint64_t now, struct jw *j)
{
	char why[32];

	jw_arr_open(j, "daemons");
	for (unsigned i = 0; i < EVPN_DAEMONS; i++) {
		const struct evpn_proc *p = &e->frr.d[i];

		last_exit(p, why, sizeof(why));
		jw_obj_open(j, NULL);
		jw_str(j, "name", p->name);
		jw_bool(j, "running", p->pid != 0);
		jw_u64(j, "pid", (uint64_t)p->pid);
		jw_u64(j, "uptime_ms", p->pid ? now - p->started_ms : 0);
		jw_u64(j, "restarts", p->restarts);
		jw_str(j, "last_exit", why);
		jw_obj_close(j);
	}
	jw_arr_close(j);
	jw_u64(j, "applies_ok", e->frr.applies_ok);
	jw_u64(j, "applies_failed", e->frr.applies_failed);
	jw_u64(j, "bgpd_restarts_for_config", e->frr.bgpd_reloads);
}

static void
sessions_json(const struct evpn_query *q, const struct evpn_bgp *b, uint64_t now, struct jw *j)
{
	jw_bool(j, "sessions_known", q->valid);
	jw_u64(j, "sessions_age_ms", q->valid ? now - q->taken_ms : 0);
	jw_str(j, "sessions_error", q->error);
	jw_arr_open(j, "sessions");
	for (unsigned i = 0; q->valid && i < q->n_sessions; i++) {
		const struct evpn_session *s = &q->sessions[i];

		jw_obj_open(j, NULL);
		jw_str(j, "peer", s->address);
		jw_u64(j, "remote_as", remote_as(b, s));
		jw_str(j, "state", s->state);
		jw_u64(j, "uptime_ms", s->uptime_ms);
		jw_u64(j, "routes", s->prefixes);
		jw_u64(j, "established", s->established);
		jw_u64(j, "dropped", s->dropped);
		jw_obj_close(j);
	}
	jw_arr_close(j);
}

static void
show_json(const struct vxg_evpn_state *e, uint64_t now, FILE *out)
{
	const struct evpn_bgp *b = &e->frr.want;
	struct jw j;

	jw_init(&j, out);
	jw_obj_open(&j, NULL);
	jw_bool(&j, "enabled", e->on);
	if (e->on) {
		jw_u64(&j, "asn", b->asn);
		jw_str(&j, "router_id", config_ip_str(b->router_id).s);
		jw_u64(&j, "keepalive", b->keepalive);
		jw_u64(&j, "hold", b->hold);
		jw_str(&j, "namespace", e->netns);
		jw_bool(&j, "namespace_created", e->created);
		jw_bool(&j, "inband", e->inband);
		jw_str(&j, "frr", vxg_frr_mode_name(e->mode));
		jw_str(&j, "frr_dir", e->frr.dir);
		vnis_json(vxg_cli_daemon()->cfg, &j);
		if (e->mode == VXG_FRR_MANAGED)
			daemons_json(e, now, &j);
		sessions_json(&e->query, b, now, &j);
	}
	jw_obj_close(&j);
}

static void
cmd_show_evpn(void *parsed, struct cmdline *cl, void *data)
{
	if (vxg_cli_json())
		show_json(vxg_evpn(), vxg_ctl_now_ms(), vxg_cli_out());
	else
		show_text(vxg_evpn(), vxg_ctl_now_ms(), vxg_cli_out());
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_evpn, w1, "evpn");

VXG_CLI_CMD(i_show_evpn, cmd_show_evpn,
	"show evpn: EVPN's AS and namespace, FRR's daemons and restarts, the BGP sessions",
	(void *)&t_show, (void *)&t_evpn);
