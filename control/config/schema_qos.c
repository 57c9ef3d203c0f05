/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of a QoS policy (schema_qos.h):
 *   {name: bronze, ingress: {rate: 50mbit, burst: 64kb}, egress: {...},
 *    action: drop | remark, dscp: 0..63}
 * A direction left out is not limited; one of them must be given.
 */
#include "config/schema_qos.h"
#include "config/values.h"

static const char *const action_names[] = {
	[VXG_QOS_DROP] = "drop",
	[VXG_QOS_REMARK] = "remark",
};

static int
fn_rate(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_qos_rate_cfg *r = obj;

	if (config_get_rate(p->x, n, "rate", 1, SCHEMA_QOS_RATE_MAX, &r->rate))
		config_mark(p->x, &r->rate, config_node_pos(n));
	return 0;
}

static int
fn_burst(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_qos_rate_cfg *r = obj;

	if (config_get_bytes(p->x, n, "burst", 1, SCHEMA_QOS_BURST_MAX, &r->burst))
		config_mark(p->x, &r->burst, config_node_pos(n));
	return 0;
}

static const struct config_field rate_fields[] = {
	{"rate", F_FN, REQ, .fn = fn_rate},
	{"burst", F_FN, REQ, .fn = fn_burst},
};

static int
qos_dir(struct config_parser *p, const struct config_node *n, struct vxg_qos_rate_cfg *r,
	const char *label)
{
	r->set = true;
	r->pos = config_node_pos(n);
	return config_parse_sub(p, n, label, rate_fields, RTE_DIM(rate_fields), r);
}

static int
fn_ingress(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_qos_policy_cfg *q = obj;

	return qos_dir(p, n, &q->dir[VXG_DIR_INGRESS], "ingress");
}

static int
fn_egress(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_qos_policy_cfg *q = obj;

	return qos_dir(p, n, &q->dir[VXG_DIR_EGRESS], "egress");
}

static int
fn_action(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_qos_policy_cfg *q = obj;
	unsigned a;

	if (config_get_enum(p->x, n, "action", action_names, RTE_DIM(action_names), &a))
		q->action = (enum vxg_qos_action)a;
	return 0;
}

static void
qos_check(struct config_parser *p, const struct config_node *n, void *elem)
{
	const struct config_node *dscp = config_map_get(p->doc, n, "dscp"),
				 *action = config_map_get(p->doc, n, "action");
	struct vxg_qos_policy_cfg *q = elem;

	if (!q->dir[VXG_DIR_INGRESS].set && !q->dir[VXG_DIR_EGRESS].set)
		config_error(p->x, config_node_pos(n),
			"give ingress (towards the VM), egress (from it) or both, each "
			"{rate: R, burst: B}");
	if (q->action == VXG_QOS_REMARK && dscp == NULL)
		config_error(p->x, action != NULL ? config_node_pos(action) : config_node_pos(n),
			"action remark needs dscp: the DSCP (0..63) set on packets over the rate");
	else if (q->action != VXG_QOS_REMARK && dscp != NULL)
		config_error(p->x, config_node_pos(dscp), "dscp applies only to action: remark");
}

#define T struct vxg_qos_policy_cfg
static const struct config_field qos_fields[] = {
	{"name", F_NAME, REQ, AT(name)},
	{"ingress", F_FN, .fn = fn_ingress},
	{"egress", F_FN, .fn = fn_egress},
	{"action", F_FN, .fn = fn_action},
	{"dscp", F_U8, AT(dscp), .min = 0, .max = 63},
};
const struct config_seq schema_qos_policy_seq =
	SEQ("qos_policy", true, qos_fields, NULL, qos_check);
#undef T
