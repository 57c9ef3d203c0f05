/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Schema of the metrics: section (schema_metrics.h). Absent, the endpoint is off; present,
 * it needs listen: A.B.C.D:PORT.
 */
#include "config/schema_metrics.h"
#include "config/values.h"

/* listen: an address and a port, two members, one position. */
static int
fn_listen(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_metrics_cfg *m = obj;

	m->pos = config_node_pos(n);
	if (config_get_endpoint(p->x, n, "listen", &m->addr, &m->port))
		config_mark(p->x, &m->addr, m->pos);
	return 0;
}

#define T struct vxg_metrics_cfg
static const struct config_field metrics_fields[] = {
	{"listen", F_FN, REQ, .fn = fn_listen},
};
#undef T

int
schema_metrics(struct config_parser *p, const struct config_node *n, void *obj)
{
	struct vxg_config *c = obj;

	c->metrics.enabled = true;
	c->metrics.pos = config_node_pos(n);
	return config_parse_sub(
		p, n, "metrics", metrics_fields, RTE_DIM(metrics_fields), &c->metrics);
}
