/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Checks of QoS policies (validate_qos.h).
 */
#include <stdio.h>

#include "config/fields.h"
#include "config/validate_dup.h"
#include "config/validate_qos.h"

/* The largest MTU a policy of v may meet, and what has it. */
struct qos_mtu {
	unsigned mtu;
	char what[64];
};

static struct qos_mtu
qos_mtu(const struct config_ctx *x, const struct vxg_vpc_cfg *v)
{
	struct qos_mtu m = {0, ""};

	for (unsigned i = 0; i < v->n_networks; i++) {
		if (v->networks[i].mtu <= m.mtu)
			continue;
		m.mtu = v->networks[i].mtu;
		snprintf(m.what, sizeof(m.what), "network %s", v->networks[i].name);
	}
	if (v->nat.interface != VXG_NONE && v->nat.interface < x->c->n_interfaces &&
		x->c->interfaces[v->nat.interface].mtu > m.mtu) {
		m.mtu = x->c->interfaces[v->nat.interface].mtu;
		snprintf(m.what, sizeof(m.what), "NAT interface %s",
			x->c->interfaces[v->nat.interface].name);
	}
	return m;
}

static void
check_policy(struct config_ctx *x, const struct vxg_qos_policy_cfg *q, const struct qos_mtu *m)
{
	static const char *const dir_name[2] = {"ingress", "egress"};
	size_t mark = config_obj_push(x, "qos_policy %s", q->name);
	char b[32];

	for (unsigned d = 0; d < 2; d++) {
		const struct vxg_qos_rate_cfg *r = &q->dir[d];

		if (!r->set || r->burst == 0 || r->burst >= m->mtu)
			continue;
		vxg_bytes_format(r->burst, b, sizeof(b));
		config_error(x, config_pos(x, &r->burst, r->pos),
			"%s burst %s is less than one packet of %u bytes (the MTU of %s): a burst "
			"must hold at least one packet",
			dir_name[d], b, m->mtu, m->what);
	}
	config_obj_pop(x, mark);
}

void
validate_qos(struct config_ctx *x, struct vxg_vpc_cfg *v)
{
	struct qos_mtu m;

	if (v->n_qos_policies == 0)
		return;
	VALIDATE_NAMES(x, v->qos_policies, v->n_qos_policies, "qos_policy");
	m = qos_mtu(x, v);
	for (unsigned i = 0; i < v->n_qos_policies; i++)
		check_policy(x, &v->qos_policies[i], &m);
}
