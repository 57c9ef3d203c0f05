/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `show qos [VPC]`: each VPC's policies, then each attachment (port, floating IP, SNAT)
 * with its packets and bytes conforming and exceeding per direction, in text or JSON.
 *
 * Thread-safety: control thread only; the counters are read racily (a burst behind).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "config/fields.h"
#include "core/cli.h"
#include "core/json.h"
#include "qos/qos_feature.h"

static const char *const dir_name[2] = {"ingress", "egress"};

static void
show_policy(const struct vxg_qos_policy_cfg *q, FILE *out, struct jw *j, bool json)
{
	char rate[32], burst[32];

	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "name", q->name);
		jw_str(j, "action", q->action == VXG_QOS_REMARK ? "remark" : "drop");
		if (q->action == VXG_QOS_REMARK)
			jw_u64(j, "dscp", q->dscp);
	} else {
		fprintf(out, "  policy %s:", q->name);
	}
	for (unsigned d = 0; d < 2; d++) {
		if (!q->dir[d].set)
			continue;
		vxg_rate_format(q->dir[d].rate, rate, sizeof(rate));
		vxg_bytes_format(q->dir[d].burst, burst, sizeof(burst));
		if (json) {
			jw_obj_open(j, dir_name[d]);
			jw_u64(j, "rate_bits", q->dir[d].rate);
			jw_u64(j, "burst_bytes", q->dir[d].burst);
			jw_obj_close(j);
		} else {
			fprintf(out, " %s %s burst %s,", dir_name[d], rate, burst);
		}
	}
	if (json)
		jw_obj_close(j);
	else if (q->action == VXG_QOS_REMARK)
		fprintf(out, " over it: remark dscp %u\n", q->dscp);
	else
		fprintf(out, " over it: drop\n");
}

static void
show_att(const struct vxg_daemon *d, const struct vxg_vpc_cfg *v, const struct vxg_qos_att *a,
	FILE *out, struct jw *j, bool json)
{
	uint64_t pk[2], by[2];
	char what[64];

	snprintf(what, sizeof(what), "%s %s", vxg_qos_kind_name(a->kind), a->name);
	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "kind", vxg_qos_kind_name(a->kind));
		jw_str(j, "name", a->name);
		jw_str(j, "policy", v->qos_policies[a->policy].name);
	}
	for (unsigned k = 0; k < 2; k++) {
		if (a->meter[k] == 0)
			continue;
		vxg_qos_counters(d, a->meter[k], pk, by);
		if (json) {
			jw_obj_open(j, dir_name[k]);
			jw_u64(j, "conform_packets", pk[0]);
			jw_u64(j, "conform_bytes", by[0]);
			jw_u64(j, "exceed_packets", pk[1]);
			jw_u64(j, "exceed_bytes", by[1]);
			jw_obj_close(j);
		} else {
			fprintf(out,
				"  %-28s %-12s %-8s %12" PRIu64 " %14" PRIu64 " %12" PRIu64
				" %14" PRIu64 "\n",
				what, v->qos_policies[a->policy].name, dir_name[k], pk[0], by[0],
				pk[1], by[1]);
		}
	}
	if (json)
		jw_obj_close(j);
}

static void
show_vpc(const struct vxg_daemon *d, unsigned vi, FILE *out, struct jw *j, bool json)
{
	const struct vxg_vpc_cfg *v = &d->cfg->vpcs[vi];
	const struct vxg_qos_att *a;
	unsigned n;

	if (json) {
		jw_obj_open(j, NULL);
		jw_str(j, "vpc", v->name);
		jw_arr_open(j, "policies");
	} else {
		fprintf(out, "vpc %s\n", v->name);
	}
	for (unsigned i = 0; i < v->n_qos_policies; i++)
		show_policy(&v->qos_policies[i], out, j, json);
	if (json) {
		jw_arr_close(j);
		jw_arr_open(j, "attachments");
	} else {
		fprintf(out, "  %-28s %-12s %-8s %12s %14s %12s %14s\n", "attachment", "policy",
			"dir", "conform_pkts", "conform_bytes", "exceed_pkts", "exceed_bytes");
	}
	a = vxg_qos_atts(&n);
	for (unsigned i = 0; i < n; i++)
		if (a[i].vpc == vi)
			show_att(d, v, &a[i], out, j, json);
	if (json) {
		jw_arr_close(j);
		jw_obj_close(j);
	}
}

/* Each VPC with policies (vpc NULL) or VPC `vpc`. 0, or -ENOENT. */
static int
qos_show(const struct vxg_daemon *d, const char *vpc, FILE *out, bool json)
{
	const struct vxg_qos_stats *st = vxg_qos_stats();
	unsigned first, last, n = 0;
	struct jw j;

	if (vxg_config_vpc_range(d->cfg, vpc, &first, &last) < 0)
		return -ENOENT;
	if (json) {
		jw_init(&j, out);
		jw_obj_open(&j, NULL);
		jw_u64(&j, "divisions", st->divisions);
		jw_u64(&j, "divisions_late", st->divisions_late);
		jw_arr_open(&j, "vpcs");
	}
	for (unsigned v = first; v < last; v++) {
		if (d->cfg->vpcs[v].n_qos_policies == 0)
			continue;
		show_vpc(d, v, out, &j, json);
		n++;
	}
	if (json) {
		jw_arr_close(&j);
		jw_obj_close(&j);
		return 0;
	}
	if (n == 0)
		fprintf(out, "%s\n", vpc != NULL ? "no qos policy" : "no VPC has a qos policy");
	fprintf(out, "rates divided between workers: %" PRIu64 " times (%" PRIu64 " put off)\n",
		st->divisions, st->divisions_late);
	return 0;
}

static void
cmd_show_qos(void *parsed, struct cmdline *cl, void *data)
{
	qos_show(vxg_cli_daemon(), NULL, vxg_cli_out(), vxg_cli_json());
}

static void
cmd_show_qos_vpc(void *parsed, struct cmdline *cl, void *data)
{
	const char *vpc = vxg_cli_arg(parsed);

	if (qos_show(vxg_cli_daemon(), vpc, vxg_cli_out(), vxg_cli_json()) < 0)
		cli_error("no VPC %s", vpc);
}

VXG_CLI_WORD(t_show, w0, "show");
VXG_CLI_WORD(t_qos, w1, "qos");
VXG_CLI_ARG(t_vpc);

VXG_CLI_CMD(i_show_qos, cmd_show_qos,
	"show qos: each VPC's QoS policies, and per port, floating IP and SNAT the packets and "
	"bytes within and over the rate, each direction",
	(void *)&t_show, (void *)&t_qos);
VXG_CLI_CMD(i_show_qos_vpc, cmd_show_qos_vpc, "show qos VPC: one VPC's QoS", (void *)&t_show,
	(void *)&t_qos, (void *)&t_vpc);
