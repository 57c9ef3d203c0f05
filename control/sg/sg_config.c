/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security group compiler: a VPC's groups, port memberships and named sets, flattened
 * into rte_acl rules keyed by (protocol, port, remote address, L4 port or ICMP type/code).
 * A remote group, port group or address set expands to its current addresses, so a
 * reload that changes a membership recompiles the rules that name it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "l2/fdb.h"
#include "core/port.h"
#include "vxg_gen.h"
#include "sg/psec6_config.h"
#include "sg/sg_acl6.h"
#include "sg/sg_config.h"

enum { F_PROTO, F_PORT, F_REMOTE, F_UNUSED, F_L4, N_FIELDS };

RTE_ACL_RULE_DEF(sg_acl_rule, N_FIELDS);

static const struct rte_acl_field_def sg_defs[N_FIELDS] = {
	[F_PROTO] = {.type = RTE_ACL_FIELD_TYPE_BITMASK,
		.size = 1,
		.field_index = F_PROTO,
		.input_index = 0,
		.offset = offsetof(struct vxg_sg_key, proto)},
	[F_PORT] = {.type = RTE_ACL_FIELD_TYPE_MASK,
		.size = 4,
		.field_index = F_PORT,
		.input_index = 1,
		.offset = offsetof(struct vxg_sg_key, port)},
	[F_REMOTE] = {.type = RTE_ACL_FIELD_TYPE_MASK,
		.size = 4,
		.field_index = F_REMOTE,
		.input_index = 2,
		.offset = offsetof(struct vxg_sg_key, remote)},
	[F_UNUSED] = {.type = RTE_ACL_FIELD_TYPE_RANGE,
		.size = 2,
		.field_index = F_UNUSED,
		.input_index = 3,
		.offset = offsetof(struct vxg_sg_key, unused)},
	[F_L4] = {.type = RTE_ACL_FIELD_TYPE_RANGE,
		.size = 2,
		.field_index = F_L4,
		.input_index = 3,
		.offset = offsetof(struct vxg_sg_key, l4)},
};

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_SCTP 132

/* Rules being gathered, per direction, before they go into the contexts. */
struct sg_build {
	struct sg_acl_rule *rules[2];
	uint32_t n[2], cap[2];
	struct sg6_build b6; /* the IPv6 rules */
	struct vxg_sg_vpc *out;
	uint32_t cap_refs;
};

static int
build_push(struct sg_build *b, enum vxg_dir dir, const struct sg_acl_rule *r)
{
	if (b->n[dir] == b->cap[dir]) {
		uint32_t cap = b->cap[dir] ? 2 * b->cap[dir] : 64;
		struct sg_acl_rule *nr = realloc(b->rules[dir], cap * sizeof(*nr));

		if (nr == NULL)
			return -ENOMEM;
		b->rules[dir] = nr;
		b->cap[dir] = cap;
	}
	b->rules[dir][b->n[dir]++] = *r;
	return 0;
}

static int
build_ref(struct sg_build *b, const struct vxg_sg_rule_ref *ref)
{
	struct vxg_sg_vpc *s = b->out;

	if (s->n_refs == b->cap_refs) {
		uint32_t cap = b->cap_refs ? 2 * b->cap_refs : 64;
		struct vxg_sg_rule_ref *nr = realloc(s->refs, cap * sizeof(*nr));

		if (nr == NULL)
			return -ENOMEM;
		s->refs = nr;
		b->cap_refs = cap;
	}
	s->refs[s->n_refs++] = *ref;
	return 0;
}

/* The L4 field's range for a rule: ports for TCP/UDP/SCTP, type/code for ICMP. */
static void
rule_l4(const struct vxg_rule_cfg *r, uint16_t *lo, uint16_t *hi)
{
	*lo = 0;
	*hi = UINT16_MAX;
	if (r->proto == PROTO_TCP || r->proto == PROTO_UDP || r->proto == PROTO_SCTP) {
		*lo = r->port_min;
		*hi = r->port_max;
	} else if (r->proto == PROTO_ICMP && r->icmp_type >= 0) {
		*lo = (uint16_t)r->icmp_type << 8;
		*hi = *lo | 0xff;
		if (r->icmp_code >= 0)
			*lo = *hi = *lo | r->icmp_code;
	}
}

static void
acl_rule_fill(struct sg_acl_rule *a, const struct vxg_rule_cfg *r, uint32_t port,
	struct vxg_cidr remote, uint32_t userdata)
{
	uint16_t lo, hi;

	memset(a, 0, sizeof(*a));
	a->data.category_mask = 1;
	a->data.priority = 1;
	a->data.userdata = userdata;
	if (r != NULL && r->proto != VXG_PROTO_ANY) {
		a->field[F_PROTO].value.u8 = r->proto;
		a->field[F_PROTO].mask_range.u8 = 0xff;
	}
	a->field[F_PORT].value.u32 = port;
	a->field[F_PORT].mask_range.u32 = 32;
	a->field[F_REMOTE].value.u32 = remote.addr;
	a->field[F_REMOTE].mask_range.u32 = remote.len;
	a->field[F_UNUSED].mask_range.u16 = UINT16_MAX;
	if (r != NULL) {
		rule_l4(r, &lo, &hi);
	} else {
		lo = 0;
		hi = UINT16_MAX;
	}
	a->field[F_L4].value.u16 = lo;
	a->field[F_L4].mask_range.u16 = hi;
}

/* Every address a port may use: its IPs and its allowed address pairs. */
static int
push_port_addrs(
	struct sg_build *b, enum vxg_dir dir, struct sg_acl_rule *a, const struct vxg_port_cfg *p)
{
	int ret = 0;

	for (unsigned i = 0; i < p->n_ips && ret == 0; i++) {
		a->field[F_REMOTE].value.u32 = p->ips[i];
		a->field[F_REMOTE].mask_range.u32 = 32;
		ret = build_push(b, dir, a);
	}
	for (unsigned i = 0; i < p->n_pairs && ret == 0; i++) {
		if (p->pairs[i].is6)
			continue; /* this context is IPv4's */
		a->field[F_REMOTE].value.u32 = p->pairs[i].ip.addr;
		a->field[F_REMOTE].mask_range.u32 = p->pairs[i].ip.len;
		ret = build_push(b, dir, a);
	}
	return ret;
}

static bool
port_in_sg(const struct vxg_port_cfg *p, unsigned sg)
{
	for (unsigned i = 0; i < p->n_sgs; i++)
		if (p->sgs[i] == sg)
			return true;
	return false;
}

/* One config rule for one port: one ACL rule per remote address it stands for. */
static int
push_rule(struct sg_build *b, const struct vxg_vpc_cfg *v, const struct vxg_rule_cfg *r,
	uint32_t port, uint32_t userdata)
{
	struct vxg_cidr any = {0, 0};
	struct sg_acl_rule a;
	int ret = 0;

	acl_rule_fill(&a, r, port, r->remote_kind == VXG_REMOTE_CIDR ? r->remote : any, userdata);
	switch (r->remote_kind) {
	case VXG_REMOTE_ANY:
	case VXG_REMOTE_CIDR:
		return build_push(b, r->dir, &a);
	case VXG_REMOTE_GROUP:
		for (unsigned p = 0; p < v->n_ports && ret == 0; p++)
			if (port_in_sg(&v->ports[p], r->remote_index))
				ret = push_port_addrs(b, r->dir, &a, &v->ports[p]);
		return ret;
	case VXG_REMOTE_PORT_GROUP: {
		const struct vxg_port_group_cfg *pg = &v->port_groups[r->remote_index];

		for (unsigned i = 0; i < pg->n_ports && ret == 0; i++)
			ret = push_port_addrs(b, r->dir, &a, &v->ports[pg->ports[i]]);
		return ret;
	}
	case VXG_REMOTE_ADDRESS_SET: {
		const struct vxg_address_set_cfg *as = &v->address_sets[r->remote_index];

		for (unsigned i = 0; i < as->n_addrs && ret == 0; i++) {
			a.field[F_REMOTE].value.u32 = as->addrs[i].addr;
			a.field[F_REMOTE].mask_range.u32 = as->addrs[i].len;
			ret = build_push(b, r->dir, &a);
		}
		return ret;
	}
	}
	return -EINVAL;
}

/*
 * A port's rules, and per family the implicit allow-all egress when its groups list no
 * egress rule of that family (Neutron's default groups allow both families out; an IPv6
 * egress rule does not close IPv4 egress, nor the reverse).
 */
static int
compile_port(struct sg_build *b, const struct vxg_vpc_cfg *v, uint32_t port)
{
	const struct vxg_port_cfg *p = &v->ports[port];
	bool egress4 = false, egress6 = false;
	int ret;

	for (unsigned i = 0; i < p->n_sgs; i++) {
		const struct vxg_sg_cfg *sg = &v->sgs[p->sgs[i]];

		for (unsigned r = 0; r < sg->n_rules; r++) {
			const struct vxg_rule_cfg *rc = &sg->rules[r];
			struct vxg_sg_rule_ref ref = {p->sgs[i], r, port, sg->stateful};
			bool is6 = vxg_rule_is6(rc);

			egress4 |= !is6 && rc->dir == VXG_DIR_EGRESS;
			egress6 |= is6 && rc->dir == VXG_DIR_EGRESS;
			if ((ret = build_ref(b, &ref)) < 0)
				return ret;
			if (is6)
				ret = vxg_sg6_push_rule(
					&b->b6, v, rc, rc->dir, port, b->out->n_refs);
			else
				ret = push_rule(b, v, rc, port, b->out->n_refs);
			if (ret < 0)
				return ret;
		}
	}
	if (!egress4 || !egress6) {
		/* everything out of that family is allowed (and tracked) */
		struct vxg_sg_rule_ref ref = {UINT16_MAX, 0, port, true};
		struct sg_acl_rule a;

		if ((ret = build_ref(b, &ref)) < 0)
			return ret;
		acl_rule_fill(&a, NULL, port, (struct vxg_cidr){0, 0}, b->out->n_refs);
		if (!egress4 && (ret = build_push(b, VXG_DIR_EGRESS, &a)) < 0)
			return ret;
		if (!egress6)
			return vxg_sg6_push_rule(
				&b->b6, v, NULL, VXG_DIR_EGRESS, port, b->out->n_refs);
	}
	return 0;
}

static int
build_ctx(struct sg_build *b, enum vxg_dir dir, unsigned vpc, char *err, size_t errlen)
{
	static unsigned seq;
	struct rte_acl_config cfg = {.num_categories = 1, .num_fields = N_FIELDS};
	char name[RTE_ACL_NAMESIZE];
	struct rte_acl_param prm = {
		.name = name,
		.socket_id = (int)rte_socket_id(),
		.rule_size = RTE_ACL_RULE_SZ(N_FIELDS),
		.max_rule_num = b->n[dir],
	};
	struct rte_acl_ctx *ctx;
	int ret;

	if (b->n[dir] == 0)
		return 0;
	snprintf(name, sizeof(name), "vxg_sg%u", seq++);
	memcpy(cfg.defs, sg_defs, sizeof(sg_defs));
	if ((ctx = rte_acl_create(&prm)) == NULL) {
		ret = -rte_errno;
		goto err;
	}
	b->out->acl[dir] = ctx;
	b->out->n_acl_rules[dir] = b->n[dir];
	ret = rte_acl_add_rules(ctx, (const struct rte_acl_rule *)b->rules[dir], b->n[dir]);
	if (ret == 0)
		ret = rte_acl_build(ctx, &cfg);
	if (ret == 0)
		return 0;
err:
	snprintf(err, errlen,
		"vpc #%u: cannot build the %s security group classifier (%u rules): "
		"%s",
		vpc, dir == VXG_DIR_INGRESS ? "ingress" : "egress", b->n[dir], rte_strerror(-ret));
	return ret;
}

int
vxg_sg_compile(const struct vxg_config *cfg, unsigned vpc, struct vxg_sg_vpc *out, char *err,
	size_t errlen)
{
	const struct vxg_vpc_cfg *v = &cfg->vpcs[vpc];
	struct sg_build b = {.out = out};
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->n_ports = v->n_ports;
	out->filtered = calloc(v->n_ports ? v->n_ports : 1, sizeof(*out->filtered));
	if (out->filtered == NULL)
		return -ENOMEM;
	for (uint32_t p = 0; p < v->n_ports && ret == 0; p++) {
		out->filtered[p] = v->ports[p].n_sgs > 0 && v->ports[p].port_security;
		if (out->filtered[p])
			ret = compile_port(&b, v, p);
	}
	if (ret == -ENOMEM)
		snprintf(err, errlen, "vpc %s: out of memory compiling security groups", v->name);
	if (ret == 0 && (ret = build_ctx(&b, VXG_DIR_INGRESS, vpc, err, errlen)) == 0)
		ret = build_ctx(&b, VXG_DIR_EGRESS, vpc, err, errlen);
	for (int d = 0; d < 2 && ret == 0; d++)
		ret = vxg_sg6_build_ctx(&b.b6, out, (enum vxg_dir)d, v->name, err, errlen);
	free(b.rules[0]);
	free(b.rules[1]);
	vxg_sg6_build_free(&b.b6);
	if (ret < 0)
		vxg_sg_free(out);
	return ret;
}

void
vxg_sg_free(struct vxg_sg_vpc *s)
{
	if (s->lent) {
		memset(s, 0, sizeof(*s));
		return;
	}
	for (int d = 0; d < 2; d++) {
		rte_acl_free(s->acl[d]);
		rte_acl_free(s->acl6[d]);
		s->acl[d] = NULL;
		s->acl6[d] = NULL;
	}
	free(s->refs);
	free(s->filtered);
	s->refs = NULL;
	s->filtered = NULL;
	s->n_refs = 0;
}

/* ---- The generation's ports ------------------------------------------------------------ */

static int
cmp_be32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_lport_mac(const void *a, const void *b)
{
	return memcmp(&((const struct vxg_lport_mac *)a)->mac,
		&((const struct vxg_lport_mac *)b)->mac, sizeof(struct rte_ether_addr));
}

/* Does the port at loc live at flood target t of gn (vxg_sg_flood's numbering)? One that
 * EVPN places (PENDING) may be behind any of the VTEPs. */
static bool
sg_port_at(const struct vxg_gen *g, const struct vxg_gen_net *gn, uint32_t t, union vxg_fdb_loc loc)
{
	if (loc.kind == VXG_FDB_PENDING)
		return t >= gn->n_access;
	if (t < gn->n_access)
		return loc.kind == VXG_FDB_LOCAL && loc.port_id == gn->access[t].port_id &&
		       loc.vlan == gn->access[t].vlan;
	return loc.kind == VXG_FDB_REMOTE &&
	       loc.vtep == g->vx.vteps[gn->flood[t - gn->n_access]].ip;
}

/*
 * The ports of network ni at flood target t when all of them have groups, into lports
 * (may be NULL: just counted); 0 when one has none, or no port lives there (the
 * target takes every flood: a host there is no port whose rules could apply).
 */
static uint32_t
sg_flood_target(const struct vxg_gen *g, const struct vxg_vpc_cfg *v, unsigned ni,
	const struct vxg_gen_net *gn, uint32_t t, const uint16_t *slot_of, uint16_t *lports)
{
	uint32_t n = 0;

	for (unsigned p = 0; p < v->n_ports; p++) {
		const struct vxg_gen_lport *lp = &g->lports[slot_of[p] - 1];

		if (v->ports[p].network != ni || !sg_port_at(g, gn, t, lp->loc))
			continue;
		if (!(lp->flags & VXG_LP_FILTERED))
			return 0;
		if (lports != NULL)
			lports[n] = slot_of[p];
		n++;
	}
	return n;
}

/* The receivers' ingress rules on the floods of network ni (vxg_sg_flood): which of its
 * targets hold only ports with groups, and those ports. None: gn->sg_flood stays NULL. */
static int
sg_build_flood(struct vxg_gen *g, const struct vxg_vpc_cfg *v, unsigned ni, struct vxg_gen_net *gn,
	const uint16_t *slot_of)
{
	uint32_t nt = (uint32_t)gn->n_access + gn->n_flood, total = 0;
	struct vxg_sg_flood *f;

	for (uint32_t t = 0; t < nt; t++)
		total += sg_flood_target(g, v, ni, gn, t, slot_of, NULL);
	if (total == 0)
		return 0;
	f = rte_zmalloc("vxg_sgflood",
		sizeof(*f) + (nt + 1) * sizeof(*f->first) + total * sizeof(*f->lports), 0);
	if (f == NULL)
		return -ENOMEM;
	f->first = (uint32_t *)(f + 1);
	f->lports = (uint16_t *)(f->first + nt + 1);
	for (uint32_t t = 0; t < nt; t++)
		f->first[t + 1] = f->first[t] + sg_flood_target(g, v, ni, gn, t, slot_of,
							&f->lports[f->first[t]]);
	gn->sg_flood = f;
	return 0;
}

/* Does port pc live behind a VTEP, with groups (a MAC that is no port's may not come
 * from there)? */
static bool
sg_vtep_guarded(const struct vxg_port_cfg *pc)
{
	return pc->port_security && pc->n_sgs > 0 &&
	       (pc->loc == VXG_LOC_VTEP || pc->loc == VXG_LOC_EVPN);
}

/* Sort and drop duplicates. */
static void
sg_sec_vteps_sort(struct vxg_gen_net *gn)
{
	uint16_t n = 0;

	if (gn->n_sec_vteps < 2)
		return;
	qsort(gn->sec_vteps, gn->n_sec_vteps, sizeof(rte_be32_t), cmp_be32);
	for (uint16_t i = 0; i < gn->n_sec_vteps; i++)
		if (n == 0 || gn->sec_vteps[n - 1] != gn->sec_vteps[i])
			gn->sec_vteps[n++] = gn->sec_vteps[i];
	gn->n_sec_vteps = n;
}

/* Per network: the VTEPs holding ports with groups (for a port EVPN places, any VTEP of
 * the network's flood set: it may be behind each), and the address pairs' MACs. */
static int
sg_build_net(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_vpc_cfg *v,
	unsigned ni, const uint16_t *slot_of)
{
	struct vxg_gen_net *gn = (struct vxg_gen_net *)vxg_net_by_vni(&g->vx, v->networks[ni].vni);
	unsigned nv = 0, nm = 0;
	bool evpn = false;

	(void)cfg;
	if (gn == NULL)
		return 0;
	for (unsigned p = 0; p < v->n_ports; p++) {
		const struct vxg_port_cfg *pc = &v->ports[p];

		if (pc->network != ni || !pc->port_security)
			continue;
		nv += sg_vtep_guarded(pc) && pc->loc == VXG_LOC_VTEP;
		evpn |= sg_vtep_guarded(pc) && pc->loc == VXG_LOC_EVPN;
		nm += pc->n_pairs;
	}
	nv += evpn ? gn->n_flood : 0;
	if (nv > 0 &&
		(gn->sec_vteps = rte_malloc("vxg_secvteps", nv * sizeof(rte_be32_t), 0)) == NULL)
		return -ENOMEM;
	if (nm > 0 && (gn->pair_macs = rte_malloc(
			       "vxg_pairmacs", nm * sizeof(struct vxg_lport_mac), 0)) == NULL)
		return -ENOMEM;
	for (unsigned p = 0; p < v->n_ports; p++) {
		const struct vxg_port_cfg *pc = &v->ports[p];

		if (pc->network != ni || !pc->port_security)
			continue;
		if (sg_vtep_guarded(pc) && pc->loc == VXG_LOC_VTEP)
			gn->sec_vteps[gn->n_sec_vteps++] = rte_cpu_to_be_32(pc->vtep);
		for (unsigned k = 0; k < pc->n_pairs; k++) {
			struct vxg_lport_mac *pm = &gn->pair_macs[gn->n_pair_macs++];

			pm->mac = pc->pairs[k].mac_set ? pc->pairs[k].mac : pc->mac;
			pm->lport = slot_of[p];
		}
	}
	for (uint16_t k = 0; evpn && k < gn->n_flood; k++)
		gn->sec_vteps[gn->n_sec_vteps++] = g->vx.vteps[gn->flood[k]].ip;
	sg_sec_vteps_sort(gn);
	if (gn->n_pair_macs > 1)
		qsort(gn->pair_macs, gn->n_pair_macs, sizeof(struct vxg_lport_mac), cmp_lport_mac);
	return sg_build_flood(g, v, ni, gn, slot_of);
}

static void
sg_fill_addrs(struct vxg_gen_lport *lp, struct vxg_lport_addr *a, const struct vxg_port_cfg *pc)
{
	uint16_t n = 0;

	for (unsigned i = 0; i < pc->n_ips; i++, n++) {
		a[n].addr = rte_cpu_to_be_32(pc->ips[i]);
		a[n].mask = RTE_BE32(0xffffffff);
		a[n].mac = pc->mac;
	}
	for (unsigned i = 0; i < pc->n_pairs; i++, n++) {
		uint32_t mask = pc->pairs[i].ip.len ? ~0u << (32 - pc->pairs[i].ip.len) : 0;

		if (pc->pairs[i].is6) {
			n--; /* in the IPv6 table (psec6_config.c) */
			continue;
		}

		a[n].addr = rte_cpu_to_be_32(pc->pairs[i].ip.addr & mask);
		a[n].mask = rte_cpu_to_be_32(mask);
		a[n].mac = pc->pairs[i].mac_set ? pc->pairs[i].mac : pc->mac;
	}
	lp->addrs = a;
	lp->n_addrs = n;
}

/* Where the next port's address tables go. */
struct sg_next {
	struct vxg_lport_addr *a4;
	struct vxg_lport_addr6 *a6;
};

static int
sg_build_vpc(struct vxg_gen *g, const struct vxg_config *cfg, unsigned v,
	const struct vxg_iface *ifs, struct vxg_fdb *fdb, struct vxg_gen *same,
	struct sg_next *next, char *err, size_t errlen)
{
	const struct vxg_vpc_cfg *vc = &cfg->vpcs[v];
	struct vxg_gen_vpc *gv = &g->vpcs[v];
	uint16_t *slot_of;
	int ret = 0;

	if (same != NULL) {
		/* the same config: its rules compile to the same tables, g takes them over */
		gv->sg = same->vpcs[v].sg;
		same->vpcs[v].sg.lent = true;
	} else if ((ret = vxg_sg_compile(cfg, v, &gv->sg, err, errlen)) < 0) {
		return ret;
	}
	if (gv->sg.n_refs > 0) {
		gv->sg_hits = rte_zmalloc("vxg_sg_hits",
			(size_t)rte_lcore_count() * gv->sg.n_refs * sizeof(uint64_t),
			RTE_CACHE_LINE_SIZE);
		if (gv->sg_hits == NULL)
			goto nomem;
	}
	slot_of = calloc(vc->n_ports ? vc->n_ports : 1, sizeof(*slot_of));
	if (slot_of == NULL)
		goto nomem;
	for (unsigned p = 0; p < vc->n_ports && ret == 0; p++) {
		const struct vxg_port_cfg *pc = &vc->ports[p];
		int32_t slot = vxg_fdb_lport(
			fdb, vc->networks[pc->network].vni, &pc->mac, (uint32_t)g->id);
		struct vxg_gen_lport *lp;

		if (slot < 0) {
			snprintf(err, errlen, "%s:%u:%u: port %s: more than %u ports in the config",
				cfg->path, pc->pos.line, pc->pos.col, pc->name, VXG_LPORT_MAX);
			ret = -ENOSPC;
			break;
		}
		slot_of[p] = (uint16_t)(slot + 1);
		lp = &g->lports[slot];
		lp->vpc_idx = (uint16_t)v;
		lp->vpc_port = p;
		lp->loc = vxg_fdb_port_loc(pc, ifs);
		lp->mac = pc->mac;
		lp->flags = VXG_LP_DECLARED;
		if (pc->port_security)
			lp->flags |= VXG_LP_SECURITY;
		if (gv->sg.filtered != NULL && gv->sg.filtered[p])
			lp->flags |= VXG_LP_FILTERED;
		sg_fill_addrs(lp, next->a4, pc);
		next->a4 += lp->n_addrs;
		next->a6 += vxg_psec6_fill(lp, next->a6, pc, &vc->networks[pc->network]);
		g->psec_on |= (lp->flags & VXG_LP_SECURITY) != 0;
		g->sg_on |= (lp->flags & VXG_LP_FILTERED) != 0;
		/* Where a port with groups lives, a MAC that is no port's would bypass them. */
		if (pc->port_security && pc->n_sgs > 0 && pc->loc == VXG_LOC_INTERFACE) {
			struct vxg_gen_if *gi = &g->ifs[pc->interface];

			if (gi->vlan_secured == NULL &&
				(gi->vlan_secured = rte_zmalloc("vxg_vlansec", 4096, 0)) == NULL) {
				ret = -ENOMEM;
				break;
			}
			gi->vlan_secured[pc->vlan] = 1;
		}
	}
	for (unsigned ni = 0; ni < vc->n_networks && ret == 0; ni++)
		ret = sg_build_net(g, cfg, vc, ni, slot_of);
	free(slot_of);
	if (ret == -ENOMEM)
		goto nomem;
	return ret;
nomem:
	snprintf(err, errlen, "vpc %s: out of memory building its ports", vc->name);
	return -ENOMEM;
}

int
vxg_sg_build(struct vxg_gen *g, const struct vxg_config *cfg, const struct vxg_iface *ifs,
	struct vxg_fdb *fdb, struct vxg_gen *same, char *err, size_t errlen)
{
	unsigned n_addrs = 0, n_addrs6 = 0;
	struct sg_next next;
	int ret = 0;

	if (fdb == NULL)
		return 0; /* no L2 stage, nothing to secure */
	if (same != NULL && same->n_vpcs != cfg->n_vpcs)
		same = NULL;
	for (unsigned v = 0; v < cfg->n_vpcs; v++)
		for (unsigned p = 0; p < cfg->vpcs[v].n_ports; p++) {
			n_addrs += cfg->vpcs[v].ports[p].n_ips + cfg->vpcs[v].ports[p].n_pairs;
			n_addrs6 += vxg_psec6_count(&cfg->vpcs[v].ports[p]);
		}
	g->n_lports = VXG_LPORT_MAX;
	g->lports =
		rte_zmalloc("vxg_lports", VXG_LPORT_MAX * sizeof(*g->lports), RTE_CACHE_LINE_SIZE);
	g->lp_addrs = rte_malloc("vxg_lp_addrs", (n_addrs ? n_addrs : 1) * sizeof(*g->lp_addrs), 0);
	g->lp_addrs6 =
		rte_malloc("vxg_lp_addrs6", (n_addrs6 ? n_addrs6 : 1) * sizeof(*g->lp_addrs6), 0);
	if (g->lports == NULL || g->lp_addrs == NULL || g->lp_addrs6 == NULL) {
		snprintf(err, errlen, "out of memory for the ports' table");
		return -ENOMEM;
	}
	next = (struct sg_next){g->lp_addrs, g->lp_addrs6};
	for (unsigned v = 0; v < cfg->n_vpcs && ret == 0; v++)
		ret = sg_build_vpc(g, cfg, v, ifs, fdb, same, &next, err, errlen);
	g->n_lp_addrs = (uint32_t)(next.a4 - g->lp_addrs);
	g->n_lp_addrs6 = (uint32_t)(next.a6 - g->lp_addrs6);
	return ret;
}

void
vxg_sg_gen_free(struct vxg_gen *g)
{
	for (unsigned v = 0; g->vpcs != NULL && v < g->n_vpcs; v++) {
		vxg_sg_free(&g->vpcs[v].sg);
		rte_free(g->vpcs[v].sg_hits);
	}
	for (unsigned i = 0; i < g->vx.n_nets; i++) {
		rte_free(g->vx.nets[i].sec_vteps);
		rte_free(g->vx.nets[i].pair_macs);
		rte_free((void *)(uintptr_t)g->vx.nets[i].sg_flood);
	}
	for (unsigned i = 0; i < g->n_ifs; i++)
		rte_free(g->ifs[i].vlan_secured);
	rte_free(g->lports);
	rte_free(g->lp_addrs);
	rte_free(g->lp_addrs6);
}
