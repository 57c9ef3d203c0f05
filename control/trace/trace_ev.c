/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet trace events described (trace_ev.h): an event's fields and sentence, and the
 * names both the IPv4 and the IPv6 events print.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trace/trace_ev.h"
#include "vxg_gen.h"

void __rte_format_printf(3, 4) tr_str(struct tr_ev *o, const char *key, const char *fmt, ...)
{
	struct tr_field *f;
	va_list ap;

	if (o->n == TR_FIELDS)
		return;
	f = &o->f[o->n++];
	f->key = key;
	f->type = TR_STR;
	va_start(ap, fmt);
	vsnprintf(f->s, sizeof(f->s), fmt, ap);
	va_end(ap);
}

void
tr_num(struct tr_ev *o, const char *key, uint64_t v)
{
	if (o->n == TR_FIELDS)
		return;
	o->f[o->n].key = key;
	o->f[o->n].type = TR_NUM;
	o->f[o->n++].u = v;
}

void
tr_bool(struct tr_ev *o, const char *key, bool v)
{
	tr_num(o, key, v);
	o->f[o->n - 1].type = TR_BOOL;
}

void __rte_format_printf(2, 3) tr_text(struct tr_ev *o, const char *fmt, ...)
{
	size_t n = strlen(o->text);
	va_list ap;

	if (n + 1 >= sizeof(o->text))
		return;
	va_start(ap, fmt);
	vsnprintf(o->text + n, sizeof(o->text) - n, fmt, ap);
	va_end(ap);
}

struct tr_s
iface_s(const struct tr_ctx *c, uint16_t port)
{
	struct tr_s r;

	for (unsigned i = 0; i < c->d->n_ifs; i++) {
		if (c->d->ifs[i].port_id == port) {
			snprintf(r.s, sizeof(r.s), "%s", c->d->ifs[i].name);
			return r;
		}
	}
	snprintf(r.s, sizeof(r.s), "port %u", port);
	return r;
}

/* "vpc/network" of a VNI (VNIs stay with their network across reloads). */
struct tr_s
net_s(const struct tr_ctx *c, uint32_t vni)
{
	const struct vxg_gen_net *n =
		c->d->gen != NULL ? vxg_net_by_vni(&c->d->gen->vx, vni) : NULL;
	struct tr_s r;

	if (n != NULL)
		snprintf(r.s, sizeof(r.s), "%s/%s", n->vpc, n->name);
	else
		snprintf(r.s, sizeof(r.s), "VNI %u", vni);
	return r;
}

struct tr_s
vpc_s(const struct tr_ctx *c, uint16_t vpc)
{
	struct tr_s r;

	if (c->names && vpc < c->d->cfg->n_vpcs)
		snprintf(r.s, sizeof(r.s), "%s", c->d->cfg->vpcs[vpc].name);
	else
		snprintf(r.s, sizeof(r.s), "VPC %u", vpc);
	return r;
}

const char *
route_kind(uint8_t code)
{
	static const char *const kinds[] = {"connected", "gateway", "interface", "local", "none"};

	code &= (uint8_t)~VXG_TR_ROUTE_OUTSIDE;
	return code < RTE_DIM(kinds) ? kinds[code] : "?";
}
