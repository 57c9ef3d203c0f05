/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vtep.evpn's checks (validate_evpn.h).
 */
#include "config/fields.h"
#include "config/validate_evpn.h"

static void
check_peers(struct config_ctx *x, const struct vxg_evpn_cfg *e, uint32_t vtep)
{
	const struct vxg_evpn_peer_cfg *p, *q;
	unsigned i, j;
	size_t mark;

	if (e->n_peers == 0)
		config_error(x, e->pos, "peers: at least one BGP peer is needed");
	for (i = 0; i < e->n_peers; i++) {
		p = &e->peers[i];
		if (p->address == 0)
			continue; /* refused while parsing */
		mark = config_obj_push(x, "peer %u", i + 1);
		for (j = 0; j < i && e->peers[j].address != p->address; j++)
			;
		q = &e->peers[j];
		if (j < i)
			config_error(x, config_pos(x, &p->address, p->pos),
				"address %s is already peer %u (line %u)",
				config_ip_str(p->address).s, j + 1, q->pos.line);
		else if (p->address == vtep)
			config_error(x, config_pos(x, &p->address, p->pos),
				"address %s is this VTEP's own address",
				config_ip_str(p->address).s);
		config_obj_pop(x, mark);
	}
}

/* RFC 4271 4.2: a hold time is 0 (no keepalives) or at least 3 s; keepalives must come
 * more often than the hold time runs out. */
static void
check_timers(struct config_ctx *x, const struct vxg_evpn_cfg *e)
{
	struct vxg_pos pos = config_pos(x, &e->hold, e->pos);

	if (e->hold == 0)
		return;
	if (e->hold < 3)
		config_error(
			x, pos, "hold %u is too short: 0 (no hold timer) or at least 3 s", e->hold);
	else if (e->hold <= e->keepalive)
		config_error(
			x, pos, "hold %u must be longer than keepalive %u", e->hold, e->keepalive);
}

void
validate_evpn(struct config_ctx *x)
{
	struct vxg_vtep_cfg *vt = &x->c->vtep;
	struct vxg_evpn_cfg *e = &vt->evpn;
	size_t mark;

	if (!vt->enabled || !e->enabled)
		return;
	mark = config_obj_push(x, "vtep evpn");
	if (e->router_id == 0)
		e->router_id = vt->address;
	check_peers(x, e, vt->address);
	check_timers(x, e);
	config_obj_pop(x, mark);
}
