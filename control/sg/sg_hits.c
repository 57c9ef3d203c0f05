/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security group rule hits across a reload (sg_hits.h): pairs each compiled rule of the
 * new generation with the same rule of the old one and carries its hits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sg/sg_hits.h"

/* What makes a compiled rule (a port's copy of a group's rule) the same in two
 * generations: the port's name, the group's name, the rule's content and the group's
 * statefulness. Indices are not compared: they move when rules are added before. */
struct hit_id {
	const char *port;
	const char *group; /* NULL: the implicit egress allow */
	const char *remote; /* a remote group's, port group's or address set's name, or NULL */
	const struct vxg_rule_cfg *r; /* NULL: the implicit egress allow */
	bool stateful;
	uint32_t ref; /* index in the generation's refs */
};

/* NULL sorts first. */
static int
hit_strcmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

#define HIT_RULE_VALS 9

static void
hit_rule_vals(const struct vxg_rule_cfg *r, int64_t v[HIT_RULE_VALS])
{
	v[0] = r->dir;
	v[1] = r->ethertype;
	v[2] = r->proto;
	v[3] = r->port_min;
	v[4] = r->port_max;
	v[5] = r->icmp_type;
	v[6] = r->icmp_code;
	v[7] = r->remote_kind;
	v[8] = r->remote_kind == VXG_REMOTE_CIDR ? (int64_t)r->remote.addr << 8 | r->remote.len : 0;
}

static int
hit_rule_cmp(const struct vxg_rule_cfg *a, const struct vxg_rule_cfg *b)
{
	int64_t va[HIT_RULE_VALS], vb[HIT_RULE_VALS];

	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	hit_rule_vals(a, va);
	hit_rule_vals(b, vb);
	for (unsigned i = 0; i < HIT_RULE_VALS; i++)
		if (va[i] != vb[i])
			return va[i] < vb[i] ? -1 : 1;
	if (a->remote_kind == VXG_REMOTE_CIDR && a->ethertype == RTE_ETHER_TYPE_IPV6) {
		int c = memcmp(&a->remote6.addr, &b->remote6.addr, sizeof(a->remote6.addr));

		return c != 0 ? c : (int)a->remote6.len - (int)b->remote6.len;
	}
	return 0;
}

/* Same rule? 0 when they are. */
static int
hit_id_cmp(const struct hit_id *a, const struct hit_id *b)
{
	int c;

	if ((c = strcmp(a->port, b->port)) != 0 || (c = hit_strcmp(a->group, b->group)) != 0 ||
		(c = hit_rule_cmp(a->r, b->r)) != 0 || (c = hit_strcmp(a->remote, b->remote)) != 0)
		return c;
	return (int)a->stateful - (int)b->stateful;
}

/* For qsort: by identity, then in generation order, so that a rule a group lists twice
 * pairs with its own copy. */
static int
hit_sort_cmp(const void *pa, const void *pb)
{
	const struct hit_id *a = pa, *b = pb;
	int c = hit_id_cmp(a, b);

	if (c != 0)
		return c;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

static const char *
hit_remote_name(const struct vxg_vpc_cfg *vc, const struct vxg_rule_cfg *r)
{
	switch (r->remote_kind) {
	case VXG_REMOTE_GROUP:
		return r->remote_index < vc->n_sgs ? vc->sgs[r->remote_index].name : NULL;
	case VXG_REMOTE_PORT_GROUP:
		return r->remote_index < vc->n_port_groups ? vc->port_groups[r->remote_index].name
							   : NULL;
	case VXG_REMOTE_ADDRESS_SET:
		return r->remote_index < vc->n_address_sets ? vc->address_sets[r->remote_index].name
							    : NULL;
	default:
		return NULL;
	}
}

/* The identities of the compiled rules of s (compiled from vc), sorted; NULL: no memory. */
static struct hit_id *
hit_ids(const struct vxg_vpc_cfg *vc, const struct vxg_sg_vpc *s)
{
	struct hit_id *ids = calloc(s->n_refs ? s->n_refs : 1, sizeof(*ids));

	for (uint32_t i = 0; ids != NULL && i < s->n_refs; i++) {
		const struct vxg_sg_rule_ref *rf = &s->refs[i];

		ids[i].port = rf->port < vc->n_ports ? vc->ports[rf->port].name : "";
		ids[i].stateful = rf->stateful;
		ids[i].ref = i;
		if (rf->sg == UINT16_MAX || rf->sg >= vc->n_sgs ||
			rf->rule >= vc->sgs[rf->sg].n_rules)
			continue; /* the implicit egress allow */
		ids[i].group = vc->sgs[rf->sg].name;
		ids[i].r = &vc->sgs[rf->sg].rules[rf->rule];
		ids[i].remote = hit_remote_name(vc, ids[i].r);
	}
	if (ids != NULL)
		qsort(ids, s->n_refs, sizeof(*ids), hit_sort_cmp);
	return ids;
}

/* Hits of old rule `ref`: its base plus what each worker counted in the generation. */
static uint64_t
hit_total(const struct vxg_gen_vpc *ogv, const uint64_t *obase, uint32_t ref,
	struct vxg_worker *const *workers, unsigned n_workers)
{
	uint64_t n = obase != NULL ? obase[ref] : 0;

	for (unsigned i = 0; ogv->sg_hits != NULL && i < n_workers; i++)
		n += ogv->sg_hits[(size_t)workers[i]->id * ogv->sg.n_refs + ref];
	return n;
}

/* One VPC: nb[new ref] = the total of the same old rule. 0 or -ENOMEM. */
static int
hit_carry_vpc(uint64_t *nb, const struct vxg_vpc_cfg *nvc, const struct vxg_sg_vpc *ns,
	const struct vxg_vpc_cfg *ovc, const struct vxg_gen_vpc *ogv, const uint64_t *obase,
	struct vxg_worker *const *workers, unsigned n_workers)
{
	struct hit_id *a = hit_ids(ovc, &ogv->sg), *b = hit_ids(nvc, ns);
	uint32_t i = 0, j = 0;
	int ret = a != NULL && b != NULL ? 0 : -ENOMEM;

	/* Both sorted by identity: a merge pairs equal rules, k-th copy with k-th copy. */
	while (ret == 0 && i < ogv->sg.n_refs && j < ns->n_refs) {
		int c = hit_id_cmp(&a[i], &b[j]);

		if (c == 0)
			nb[b[j++].ref] = hit_total(ogv, obase, a[i++].ref, workers, n_workers);
		else if (c < 0)
			i++;
		else
			j++;
	}
	free(a);
	free(b);
	return ret;
}

void
vxg_sg_hits_base_free(uint64_t **base, unsigned n)
{
	for (unsigned v = 0; base != NULL && v < n; v++)
		free(base[v]);
	free(base);
}

int
vxg_sg_hits_carry(uint64_t ***out, const struct vxg_gen *ng, const struct vxg_config *ncfg,
	const struct vxg_gen *og, const struct vxg_config *ocfg, uint64_t *const *obase,
	unsigned n_obase, struct vxg_worker *const *workers, unsigned n_workers)
{
	uint64_t **nb;

	*out = NULL;
	if (og == NULL || ocfg == NULL || ng->n_vpcs == 0)
		return 0;
	if ((nb = calloc(ng->n_vpcs, sizeof(*nb))) == NULL)
		return -ENOMEM;
	for (unsigned v = 0; v < ng->n_vpcs && v < ncfg->n_vpcs; v++) {
		const struct vxg_sg_vpc *ns = &ng->vpcs[v].sg;
		unsigned ov = vxg_config_find_vpc(ocfg, ncfg->vpcs[v].name);

		if (ov == VXG_NONE || ov >= og->n_vpcs || ns->n_refs == 0 ||
			og->vpcs[ov].sg.n_refs == 0)
			continue;
		if ((nb[v] = calloc(ns->n_refs, sizeof(*nb[v]))) == NULL ||
			hit_carry_vpc(nb[v], &ncfg->vpcs[v], ns, &ocfg->vpcs[ov], &og->vpcs[ov],
				ov < n_obase ? obase[ov] : NULL, workers, n_workers) < 0) {
			vxg_sg_hits_base_free(nb, ng->n_vpcs);
			return -ENOMEM;
		}
	}
	*out = nb;
	return 0;
}
